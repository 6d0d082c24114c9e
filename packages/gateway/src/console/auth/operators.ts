// The console's operators: created or updated by the CLI (`operator add`), read at sign-in.
import type { Kysely } from 'kysely';
import type { Database, OperatorRole } from '../../store/schema.ts';
import { hashPassword } from './passwords.ts';

export const ROLES: readonly OperatorRole[] = ['operator', 'viewer'];
const USERNAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 12;

export class OperatorError extends Error {
  override name = 'OperatorError';
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export interface OperatorInput {
  username: string;
  role: OperatorRole;
  /** Kept as it is when an existing operator is updated without one. */
  displayName?: string;
  /** Kept as it is when an existing operator is updated without one; required for a new operator. */
  password?: string;
}

export interface Operator {
  username: string;
  displayName: string;
  role: OperatorRole;
}

/** Creates the operator, or updates the role, name and password of an existing one (and enables it). */
export async function upsertOperator(
  db: Kysely<Database>,
  input: OperatorInput,
): Promise<{ created: boolean; operator: Operator }> {
  const username = normaliseUsername(input.username);
  if (!USERNAME.test(username))
    throw new OperatorError('the username must be 2 to 64 letters, digits or . _ @ - characters');
  if (!ROLES.includes(input.role)) throw new OperatorError(`the role must be one of ${ROLES.join(', ')}`);
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH)
    throw new OperatorError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  const existing = await db
    .selectFrom('console_operator')
    .select(['username', 'display_name'])
    .where('username', '=', username)
    .executeTakeFirst();
  const now = new Date();
  const hash = input.password === undefined ? undefined : await hashPassword(input.password);
  const displayName = input.displayName?.trim() || existing?.display_name || username;
  if (existing) {
    await db
      .updateTable('console_operator')
      .set({
        role: input.role,
        display_name: displayName,
        updated_at: now,
        disabled_at: null,
        ...(hash ? { password_hash: hash } : {}),
      })
      .where('username', '=', username)
      .execute();
    // A new password or role ends the sessions opened under the old ones.
    await db.deleteFrom('console_session').where('username', '=', username).execute();
    return { created: false, operator: { username, displayName, role: input.role } };
  }
  if (!hash) throw new OperatorError('a new operator needs a password');
  await db
    .insertInto('console_operator')
    .values({ username, display_name: displayName, role: input.role, password_hash: hash, updated_at: now })
    .execute();
  return { created: true, operator: { username, displayName, role: input.role } };
}

/** Stops the operator from signing in and ends its sessions. */
export async function disableOperator(db: Kysely<Database>, username: string): Promise<boolean> {
  const r = await db
    .updateTable('console_operator')
    .set({ disabled_at: new Date() })
    .where('username', '=', normaliseUsername(username))
    .executeTakeFirst();
  await db.deleteFrom('console_session').where('username', '=', normaliseUsername(username)).execute();
  return Number(r.numUpdatedRows) > 0;
}

export async function listOperators(
  db: Kysely<Database>,
): Promise<Array<Operator & { disabled: boolean; updatedAt: Date }>> {
  const rows = await db.selectFrom('console_operator').selectAll().orderBy('username').execute();
  return rows.map((r) => ({
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled_at !== null,
    updatedAt: r.updated_at,
  }));
}
