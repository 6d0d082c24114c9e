// Console sessions: the cookie carries 32 random bytes, the store keeps their sha256 with the
// session's CSRF token. A session ends after 8 hours without use, 24 hours after sign-in, or at sign-out.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ConsoleFlash, Database, OperatorRole } from '../../store/schema.ts';

export const SESSION_COOKIE = 'gw_console';
export const IDLE_MS = 8 * 3600_000;
export const MAX_AGE_MS = 24 * 3600_000;
/** last_seen_at is written at most this often, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface Session {
  idHash: string;
  username: string;
  displayName: string;
  role: OperatorRole;
  csrf: string;
  createdAt: Date;
  flash: ConsoleFlash | null;
}

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function createSession(
  db: Kysely<Database>,
  username: string,
  now: Date,
): Promise<{ id: string; csrf: string }> {
  const id = randomToken();
  const csrf = randomToken();
  await db
    .insertInto('console_session')
    .values({ id_hash: hashSessionId(id), username, csrf_token: csrf, created_at: now, last_seen_at: now })
    .execute();
  // Expired sessions of anyone are dropped at each sign-in, so the table stays small.
  await db
    .deleteFrom('console_session')
    .where((eb) =>
      eb.or([
        eb('last_seen_at', '<', new Date(now.getTime() - IDLE_MS)),
        eb('created_at', '<', new Date(now.getTime() - MAX_AGE_MS)),
      ]),
    )
    .execute();
  return { id, csrf };
}

/** The session of a cookie value, if it is still valid; the flash message is taken out of it. */
export async function loadSession(
  db: Kysely<Database>,
  id: string | undefined,
  now: Date,
): Promise<Session | undefined> {
  if (!id || id.length > 100) return undefined;
  const idHash = hashSessionId(id);
  const row = await db
    .selectFrom('console_session as s')
    .innerJoin('console_operator as o', 'o.username', 's.username')
    .select([
      's.id_hash',
      's.username',
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      's.flash',
      'o.display_name',
      'o.role',
      'o.disabled_at',
    ])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const expired =
    now.getTime() - row.last_seen_at.getTime() > IDLE_MS ||
    now.getTime() - row.created_at.getTime() > MAX_AGE_MS;
  if (expired || row.disabled_at) {
    await db.deleteFrom('console_session').where('id_hash', '=', idHash).execute();
    return undefined;
  }
  const flash = (row.flash as ConsoleFlash | null) ?? null;
  if (flash || now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db
      .updateTable('console_session')
      .set({ last_seen_at: now, flash: null })
      .where('id_hash', '=', idHash)
      .execute();
  }
  return {
    idHash,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    csrf: row.csrf_token,
    createdAt: row.created_at,
    flash,
  };
}

export async function setFlash(db: Kysely<Database>, idHash: string, flash: ConsoleFlash): Promise<void> {
  await db
    .updateTable('console_session')
    .set({ flash: JSON.stringify(flash) })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('console_session').where('id_hash', '=', idHash).execute();
}

/** Constant-time comparison of a submitted token with the expected one. */
export function tokensMatch(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
