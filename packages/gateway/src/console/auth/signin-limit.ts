// Sign-in attempts are limited per username and IP address: after 5 failures within 15 minutes the
// pair waits until the oldest of them is 15 minutes old. Failures live in the store, so the limit holds
// across instances and restarts.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;

/** Milliseconds to wait before the next attempt; 0 when an attempt may be made. */
export async function signinWait(
  db: Kysely<Database>,
  username: string,
  ip: string,
  now: Date,
): Promise<number> {
  const fifth = await db
    .selectFrom('console_signin_failure')
    .select('failed_at')
    .where('username', '=', username)
    .where('ip', '=', ip)
    .where('failed_at', '>', new Date(now.getTime() - WINDOW_MS))
    .orderBy('failed_at', 'desc')
    .offset(MAX_FAILURES - 1)
    .limit(1)
    .executeTakeFirst();
  if (!fifth) return 0;
  return Math.max(0, fifth.failed_at.getTime() + WINDOW_MS - now.getTime());
}

export async function recordFailure(
  db: Kysely<Database>,
  username: string,
  ip: string,
  now: Date,
): Promise<void> {
  await db.insertInto('console_signin_failure').values({ username, ip, failed_at: now }).execute();
  await db
    .deleteFrom('console_signin_failure')
    .where('failed_at', '<', new Date(now.getTime() - 24 * 3600_000))
    .execute();
}

export async function clearFailures(db: Kysely<Database>, username: string, ip: string): Promise<void> {
  await db
    .deleteFrom('console_signin_failure')
    .where('username', '=', username)
    .where('ip', '=', ip)
    .execute();
}
