// The rehearsal's steps, their typed results, and the runner that times them and keeps going only
// while what a step needs is there.
import type { Language, SideEvidence } from './customer-side.ts';
import { SideStepError } from './customer-side.ts';

export const STEP_IDS = [
  'settings',
  'customer-resources',
  'connection',
  'shares',
  'history',
  'rebilled-period',
  'read-only',
  'cleanup',
] as const;
export type StepId = (typeof STEP_IDS)[number];

export type StepOutcome = 'passed' | 'failed' | 'skipped';

/** What an operator reads, in both languages. */
export type Words = Record<Language, string>;

/** Words that read the same in both languages (dates and numbers). */
export const both = (text: string): Words => ({ fr: text, en: text });

export interface Check {
  what: Words;
  ok: boolean;
  detail?: string;
}

export interface StepResult {
  id: StepId;
  outcome: StepOutcome;
  startedAt: string;
  durationMs: number;
  checks: Check[];
  evidence: SideEvidence;
  /** An error that stopped the step, or why it was skipped. */
  reason?: string;
}

export class StepRun {
  readonly checks: Check[] = [];
  readonly evidence: SideEvidence = { screenshots: [], notes: [] };

  check(what: Words, ok: boolean, detail?: string): boolean {
    this.checks.push(detail === undefined ? { what, ok } : { what, ok, detail });
    return ok;
  }

  add(evidence: SideEvidence): void {
    this.evidence.screenshots.push(...evidence.screenshots);
    this.evidence.notes.push(...evidence.notes);
  }
}

/** A step the customer side cannot play: skipped, not failed. */
export class StepNotPlayable extends Error {}

export async function runStep(
  id: StepId,
  body: (run: StepRun) => Promise<void>,
  onStart: (id: StepId) => void,
): Promise<StepResult> {
  onStart(id);
  const run = new StepRun();
  const started = Date.now();
  let reason: string | undefined;
  let skipped = false;
  try {
    await body(run);
  } catch (e) {
    if (e instanceof StepNotPlayable) skipped = true;
    if (e instanceof SideStepError) run.add(e.evidence);
    reason = (e as Error).message;
  }
  const failed = !skipped && (reason !== undefined || run.checks.some((c) => !c.ok));
  const result: StepResult = {
    id,
    outcome: skipped ? 'skipped' : failed ? 'failed' : 'passed',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    checks: run.checks,
    evidence: run.evidence,
  };
  if (reason !== undefined) result.reason = reason;
  return result;
}

export function skippedStep(id: StepId, reason: string): StepResult {
  return {
    id,
    outcome: 'skipped',
    startedAt: new Date().toISOString(),
    durationMs: 0,
    checks: [],
    evidence: { screenshots: [], notes: [] },
    reason,
  };
}
