// Sign-in attempts are limited per username and IP address: after 5 failures within 15 minutes the
// pair waits until the oldest of them is 15 minutes old. Attempts live in the store, so the limit holds
// across instances and restarts. Each attempt is recorded (committed) before it counts the pair's
// attempts, and goes on only if they are 5 at most, its own included: of attempts made in parallel, at
// most 5 ever reach the password check (the last of them to be recorded sees them all), and extra
// ones may all be refused.
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
  now: Date,
): Promise<number> {
  const { id } = await db
    .insertInto('console_signin_failure')
    .values({ username, ip, failed_at: now })
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

/** A successful sign-in forgets the pair's failures (and its own attempt). */
export async function clearFailures(db: Kysely<Database>, username: string, ip: string): Promise<void> {
  await db
    .deleteFrom('console_signin_failure')
    .where('username', '=', username)
    .where('ip', '=', ip)
    .execute();
}
