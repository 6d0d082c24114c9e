// Sign-in attempts are limited per username and IP address: after 5 failures within 15 minutes the
// pair waits until the oldest of them is 15 minutes old. Attempts live in the store, so the limit holds
// across instances and restarts. Each attempt is recorded (committed) before it counts the pair's
// attempts, and goes on only if they are 5 at most, its own included: of attempts made in parallel, at
// most 5 ever reach the password check (the last of them to be recorded sees them all), and extra
// ones may all be refused.
//
// Only usernames that exist get rows: attempts at unknown usernames (a flood of made-up ones) are
// counted in memory, bounded, with the same limit, so that they store nothing and still answer as a
// real username would. A failure remembers the sign-in form (its cookie's token) it came from, so that a
// successful sign-in clears the failures of that browser only, never an attacker's behind the same
// proxy address.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;

/**
 * Records an attempt of the username from the address, as a failure until clearFailures says it
 * succeeded. Returns the milliseconds to wait when the limit is reached (the attempt is then not
 * recorded and its password must not be checked), or 0.
 */
export async function takeAttempt(
  db: Kysely<Database>,
  username: string,
  ip: string,
  form: string,
  now: Date,
): Promise<number> {
  const { id } = await db
    .insertInto('console_signin_failure')
    .values({ username, ip, failed_at: now, form: formHash(form) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recent = await db
    .selectFrom('console_signin_failure')
    .select(['id', 'failed_at'])
    .where('username', '=', username)
    .where('ip', '=', ip)
    .where('failed_at', '>', new Date(now.getTime() - WINDOW_MS))
    .orderBy('failed_at', 'desc')
    .limit(MAX_FAILURES + 1)
    .execute();
  if (recent.length <= MAX_FAILURES) {
    await db
      .deleteFrom('console_signin_failure')
      .where('failed_at', '<', new Date(now.getTime() - 24 * 3600_000))
      .execute();
    return 0;
  }
  await db.deleteFrom('console_signin_failure').where('id', '=', id).execute();
  const others = recent.filter((r) => String(r.id) !== String(id));
  const oldest = others[MAX_FAILURES - 1]?.failed_at.getTime() ?? now.getTime();
  return Math.max(60_000, oldest + WINDOW_MS - now.getTime());
}

/** A successful sign-in forgets the failures of its own sign-in form (and its own attempt). */
export async function clearFailures(
  db: Kysely<Database>,
  username: string,
  ip: string,
  form: string,
): Promise<void> {
  await db
    .deleteFrom('console_signin_failure')
    .where('username', '=', username)
    .where('ip', '=', ip)
    .where('form', '=', formHash(form))
    .execute();
}

function formHash(form: string): string {
  return createHash('sha256').update(form).digest('hex');
}

/** Most username-address pairs remembered for unknown usernames; the oldest is forgotten first. */
const MAX_UNKNOWN_PAIRS = 10_000;

/**
 * Attempts at usernames nobody has, per address, in memory: the same limit as takeAttempt, without a
 * row per attempt. Per process (nothing to protect but the answer's likeness to a real username's).
 */
export class UnknownUsernameAttempts {
  private readonly pairs = new Map<string, number[]>();

  constructor(private readonly maxPairs = MAX_UNKNOWN_PAIRS) {}

  /** As takeAttempt: the milliseconds to wait when the limit is reached, or 0 (the attempt counted). */
  take(username: string, ip: string, now: Date): number {
    const key = `${username}\n${ip}`;
    const since = now.getTime() - WINDOW_MS;
    const recent = (this.pairs.get(key) ?? []).filter((t) => t > since);
    this.pairs.delete(key);
    if (recent.length >= MAX_FAILURES) {
      this.pairs.set(key, recent);
      return Math.max(60_000, recent[recent.length - MAX_FAILURES]! + WINDOW_MS - now.getTime());
    }
    recent.push(now.getTime());
    this.pairs.set(key, recent);
    if (this.pairs.size > this.maxPairs) this.pairs.delete(this.pairs.keys().next().value!);
    return 0;
  }

  get size(): number {
    return this.pairs.size;
  }
}
