// The console's operators: created or updated by the CLI (`operator add`) or by an administrator in the
// console (routes/operators.ts), read at sign-in. Every change made in the console is written to the
// journal with who made it.
import type { Kysely } from 'kysely';
import { writeLog } from '../../log/gateway-log.ts';
import type { Database, OperatorRole } from '../../store/schema.ts';
import { inTransaction } from '../../store/transaction.ts';
import { hashPassword } from './passwords.ts';

export const ROLES: readonly OperatorRole[] = ['admin', 'operator', 'viewer'];
const USERNAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 12;
/** A new operator's role when none is said. */
export const DEFAULT_ROLE: OperatorRole = 'viewer';

/** Whether the role may act (operators and administrators) rather than only read. */
export function mayAct(role: OperatorRole | undefined): boolean {
  return role === 'operator' || role === 'admin';
}

export class OperatorError extends Error {
  override name = 'OperatorError';
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function isRole(value: unknown): value is OperatorRole {
  return ROLES.includes(value as OperatorRole);
}

export interface OperatorInput {
  username: string;
  /** Kept as it is when an existing operator is updated without one; DEFAULT_ROLE for a new one. */
  role?: OperatorRole;
  /** Kept as it is when an existing operator is updated without one. */
  displayName?: string;
  /**
   * Kept as it is when an existing operator is updated without one; required for a new operator. A
   * disabled operator is enabled again only with a new password, never with the one it had.
   */
  password?: string;
}

export interface Operator {
  username: string;
  displayName: string;
  role: OperatorRole;
  disabled: boolean;
}

/** Who changes an operator: an administrator in the console (written to the journal), or the CLI (null). */
export interface OperatorChangeBy {
  admin: string | null;
}

function checkUsername(input: string): string {
  const username = normaliseUsername(input);
  if (!USERNAME.test(username))
    throw new OperatorError('the username must be 2 to 64 letters, digits or . _ @ - characters');
  return username;
}

function checkPassword(password: string | undefined): void {
  if (password !== undefined && password.length < MIN_PASSWORD_LENGTH)
    throw new OperatorError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
}

/**
 * Creates the operator, or updates the role, name and password said of an existing one. A new
 * password enables a disabled operator again; anything else leaves it disabled.
 */
export async function upsertOperator(
  db: Kysely<Database>,
  input: OperatorInput,
  by: OperatorChangeBy = { admin: null },
): Promise<{ created: boolean; operator: Operator }> {
  const username = checkUsername(input.username);
  if (input.role !== undefined && !isRole(input.role))
    throw new OperatorError(`the role must be one of ${ROLES.join(', ')}`);
  checkPassword(input.password);
  const hash = input.password === undefined ? undefined : await hashPassword(input.password);
  return inTransaction(db, async (tx) => {
    const existing = await tx
      .selectFrom('console_operator')
      .select(['username', 'display_name', 'role', 'disabled_at'])
      .where('username', '=', username)
      .forUpdate()
      .executeTakeFirst();
    const now = new Date();
    const displayName = input.displayName?.trim() || existing?.display_name || username;
    if (existing) {
      const role = input.role ?? existing.role;
      const disabled = existing.disabled_at !== null && !hash;
      await tx
        .updateTable('console_operator')
        .set({
          role,
          display_name: displayName,
          updated_at: now,
          ...(hash ? { password_hash: hash, disabled_at: null } : {}),
        })
        .where('username', '=', username)
        .execute();
      // A new password or role ends the sessions opened under the old ones.
      if (hash || role !== existing.role)
        await tx.deleteFrom('console_session').where('username', '=', username).execute();
      if (by.admin !== null) {
        if (role !== existing.role)
          await journal(tx, by, username, { kind: 'operator-role-changed', role, from: existing.role });
        if (hash) await journal(tx, by, username, { kind: 'operator-password-reset' });
      }
      return { created: false, operator: { username, displayName, role, disabled } };
    }
    if (!hash) throw new OperatorError('a new operator needs a password');
    const role = input.role ?? DEFAULT_ROLE;
    await tx
      .insertInto('console_operator')
      .values({ username, display_name: displayName, role, password_hash: hash, updated_at: now })
      .execute();
    if (by.admin !== null) await journal(tx, by, username, { kind: 'operator-added', role });
    return { created: true, operator: { username, displayName, role, disabled: false } };
  });
}

/** Stops the operator from signing in and ends its sessions at once. */
export async function disableOperator(
  db: Kysely<Database>,
  username: string,
  by: OperatorChangeBy = { admin: null },
): Promise<boolean> {
  const name = normaliseUsername(username);
  return inTransaction(db, async (tx) => {
    const r = await tx
      .updateTable('console_operator')
      .set({ disabled_at: new Date() })
      .where('username', '=', name)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    await tx.deleteFrom('console_session').where('username', '=', name).execute();
    const done = Number(r.numUpdatedRows) > 0;
    if (done && by.admin !== null) await journal(tx, by, name, { kind: 'operator-disabled' });
    if (done) return true;
    // Disabled already: still "done" for the CLI, whose user asked for a state, not a change.
    return (await operatorOf(tx, name)) !== undefined;
  });
}

type OperatorEvent =
  | { kind: 'operator-added'; role: OperatorRole }
  | { kind: 'operator-role-changed'; role: OperatorRole; from: OperatorRole }
  | { kind: 'operator-password-reset' }
  | { kind: 'operator-disabled' };

async function journal(
  db: Kysely<Database>,
  by: OperatorChangeBy,
  username: string,
  event: OperatorEvent,
): Promise<void> {
  await writeLog(db, { service: 'Operator', subject: username, event, operator: by.admin });
}

export interface ListedOperator extends Operator {
  updatedAt: Date;
}

export async function listOperators(db: Kysely<Database>): Promise<ListedOperator[]> {
  const rows = await db.selectFrom('console_operator').selectAll().orderBy('username').execute();
  return rows.map((r) => ({
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled_at !== null,
    updatedAt: r.updated_at,
  }));
}

export async function operatorOf(
  db: Kysely<Database>,
  username: string,
): Promise<ListedOperator | undefined> {
  const r = await db
    .selectFrom('console_operator')
    .selectAll()
    .where('username', '=', normaliseUsername(username))
    .executeTakeFirst();
  return r
    ? {
        username: r.username,
        displayName: r.display_name,
        role: r.role,
        disabled: r.disabled_at !== null,
        updatedAt: r.updated_at,
      }
    : undefined;
}
