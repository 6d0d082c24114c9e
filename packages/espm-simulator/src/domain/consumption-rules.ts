// The checks a batch of consumption entries must pass, as pure functions. Known from ESPM's UI:
// consecutive bills may share exactly one day, more overlap is an error (API.md §6.7). The API's real
// error texts are unknown, so every message here is invented; rules ESPM may only warn about are
// switchable (error / warning / accept).
import { dayNumber, isDate } from '../clock.ts';
import type { ConsumptionEntry } from '../espm.ts';
import type { RuleOutcome } from '../options.ts';

export interface RuleSettings {
  startBeforeFirstBillDate: RuleOutcome;
  futurePeriod: RuleOutcome;
}

export interface BatchContext {
  firstBillDate: string;
  /** Today, as xs:date. */
  today: string;
  rules: RuleSettings;
}

export interface ExistingEntry {
  id: string;
  startDate: string;
  endDate: string;
}

export interface BatchVerdict {
  /** One message per refused entry, each naming the entry. */
  errors: string[];
  /** Per entry (same index as the batch), the warnings it raised. */
  warnings: string[][];
}

/** "2024-01-01–2024-01-31": how every message names an entry. */
export function entryName(e: { startDate: string; endDate: string }): string {
  return `${e.startDate}–${e.endDate}`;
}

/** Days two inclusive periods have in common (0 when they do not meet). */
export function sharedDays(
  a: { startDate: string; endDate: string },
  b: { startDate: string; endDate: string },
): number {
  const start = Math.max(dayNumber(a.startDate), dayNumber(b.startDate));
  const end = Math.min(dayNumber(a.endDate), dayNumber(b.endDate));
  return Math.max(0, end - start + 1);
}

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;

/** Problems of one entry on its own; an empty list when its period and usage are sound. */
function ownProblems(e: ConsumptionEntry): string[] {
  const problems: string[] = [];
  if (!isDate(e.startDate)) problems.push(`the start date "${e.startDate}" is not a date`);
  if (!isDate(e.endDate)) problems.push(`the end date "${e.endDate}" is not a date`);
  if (problems.length === 0 && e.endDate < e.startDate)
    problems.push('the end date is before the start date');
  if (e.usage === undefined || e.usage.trim() === '') problems.push('the usage is missing');
  else if (!DECIMAL.test(e.usage)) problems.push(`the usage "${e.usage}" is not a number`);
  else if (e.usage.trim().startsWith('-') && Number(e.usage) !== 0) problems.push('the usage is negative');
  return problems;
}

function applyRule(outcome: RuleOutcome, message: string, problems: string[], warnings: string[]): void {
  if (outcome === 'error') problems.push(message);
  else if (outcome === 'warning') warnings.push(message);
}

/**
 * Checks a batch against itself and the meter's other entries. All-or-nothing is the caller's job:
 * any error means nothing of the batch may be stored.
 */
export function checkBatch(
  batch: ConsumptionEntry[],
  existing: ExistingEntry[],
  ctx: BatchContext,
): BatchVerdict {
  const errors: string[] = [];
  const warnings: string[][] = [];
  const sound = batch.map((e) => ownProblems(e).length === 0);
  batch.forEach((entry, i) => {
    const problems = ownProblems(entry);
    const entryWarnings: string[] = [];
    if (sound[i]) {
      for (const other of existing) {
        const days = sharedDays(entry, other);
        if (days > 1) {
          problems.push(
            `it overlaps the existing entry ${entryName(other)} (id ${other.id}) by ${days} days; consecutive entries may share at most one day`,
          );
        }
      }
      batch.forEach((other, j) => {
        if (j === i || !sound[j]) return;
        const days = sharedDays(entry, other);
        if (days > 1) {
          problems.push(
            `it overlaps the entry ${entryName(other)} of the same request by ${days} days; consecutive entries may share at most one day`,
          );
        }
      });
      if (entry.startDate < ctx.firstBillDate) {
        applyRule(
          ctx.rules.startBeforeFirstBillDate,
          `it starts before the meter's first bill date (${ctx.firstBillDate})`,
          problems,
          entryWarnings,
        );
      }
      if (entry.endDate > ctx.today) {
        applyRule(
          ctx.rules.futurePeriod,
          `it ends in the future (after ${ctx.today})`,
          problems,
          entryWarnings,
        );
      }
    }
    if (problems.length) errors.push(`Consumption entry ${entryName(entry)}: ${problems.join('; ')}.`);
    warnings.push(entryWarnings.map((w) => `Consumption entry ${entryName(entry)}: ${w}.`));
  });
  return { errors, warnings };
}
