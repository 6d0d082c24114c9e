// Aggregation codes: the only writer of aggregation_code. An operator issues a code for a building's
// owner after checking ownership the utility's usual way; the owner types it in the ESPM meter's
// "Code d'agrégation" field. A code is shown once (only its hash is kept), records to whom it was given,
// expires after 90 days unless a share has used it, is bound to the first ESPM meter it is accepted
// for, and can be revoked (exchange/building-links.ts then ends the link it fed).
import type { Kysely } from 'kysely';
import { writeLog } from '../log/gateway-log.ts';
import type { AggregationCodeTable, Database } from '../store/schema.ts';
import { inTransaction } from '../store/transaction.ts';
import type { Selectable } from 'kysely';
import type { Actor } from './buildings.ts';
import { BuildingError, checkName } from './buildings.ts';
import { codeHash, newAggregationCode } from './code-format.ts';

export const CODE_VALID_DAYS = 90;

export type AggregationCode = Selectable<AggregationCodeTable>;
export type CodeState = 'active' | 'used' | 'expired' | 'revoked';

export function codeState(code: AggregationCode, now: Date): CodeState {
  if (code.revoked_at) return 'revoked';
  if (code.used_at) return 'used';
  return code.expires_at.getTime() <= now.getTime() ? 'expired' : 'active';
}

/** The person the operator gives the code to, as the console and the CLI ask for them. */
export interface Recipient {
  name: string;
  /** An e-mail address or a phone number. */
  contact: string;
}

const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]+\.[^\s@<>"]{2,}$/;
const PHONE = /^\+?[0-9][0-9 ().-]{5,22}[0-9]$/;

export function checkRecipient(recipient: Recipient): Recipient {
  let name: string;
  try {
    name = checkName(recipient.name);
  } catch {
    throw new BuildingError(
      'invalid-recipient-name',
      'the recipient’s name must be one line of 1 to 200 characters, not a formula',
    );
  }
  const contact = recipient.contact.trim();
  const digits = contact.replace(/\D/g, '').length;
  if (!(contact.length <= 254 && (EMAIL.test(contact) || (PHONE.test(contact) && digits >= 7)))) {
    throw new BuildingError(
      'invalid-recipient-contact',
      'the recipient’s contact must be an e-mail address or a phone number',
    );
  }
  return { name, contact };
}

/**
 * Issues a new code for the building; the returned code is its only copy. `recipient`: whom it is
 * given to (the console and the CLI always ask; codes issued before they did have none). `request`
 * names the confirmation form that asks: a form posted again (a reload, a double click) issues no
 * second code (BuildingError code-already-issued), since the first may already be on its way to the owner.
 */
export async function issueCode(
  db: Kysely<Database>,
  buildingId: string,
  by: Actor,
  now: Date,
  recipient?: Recipient,
  request?: string,
): Promise<{ code: string; id: number; expiresAt: Date }> {
  const to = recipient && checkRecipient(recipient);
  const code = newAggregationCode();
  const expiresAt = new Date(now.getTime() + CODE_VALID_DAYS * 86_400_000);
  return inTransaction(db, async (tx) => {
    const building = await tx
      .selectFrom('building')
      .select('building_id')
      .where('building_id', '=', buildingId)
      .executeTakeFirst();
    if (!building) throw new BuildingError('unknown-building', `there is no building ${buildingId}`);
    const inserted = await tx
      .insertInto('aggregation_code')
      .values({
        building_id: buildingId,
        code_sha256: codeHash(code),
        issued_at: now,
        issued_by: by.operator,
        expires_at: expiresAt,
        recipient_name: to?.name ?? null,
        recipient_contact: to?.contact ?? null,
        request_token: request ?? null,
      })
      .onConflict((oc) => oc.column('request_token').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new BuildingError('code-already-issued', 'this confirmation issued a code already');
    const { id } = inserted;
    await writeLog(tx, {
      service: 'Operator',
      subject: buildingId,
      event: { kind: 'code-issued', codeId: id },
      operator: by.operator,
    });
    return { code, id, expiresAt };
  });
}

/**
 * Revokes the code: no share is accepted with it any more. The link it fed is ended by the caller
 * (exchange/building-links.ts). False when it was revoked already or does not exist.
 */
export async function revokeCode(
  db: Kysely<Database>,
  codeId: number,
  by: Actor,
  now: Date,
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const revoked = await tx
      .updateTable('aggregation_code')
      .set({ revoked_at: now, revoked_by: by.operator })
      .where('id', '=', codeId)
      .where('revoked_at', 'is', null)
      .returning('building_id')
      .executeTakeFirst();
    if (!revoked) return false;
    await writeLog(tx, {
      service: 'Operator',
      subject: revoked.building_id,
      event: { kind: 'code-revoked', codeId },
      operator: by.operator,
    });
    return true;
  });
}

/** The code with this canonical form (code-format.ts), if one was ever issued. */
export async function findCode(
  db: Kysely<Database>,
  canonical: string,
): Promise<AggregationCode | undefined> {
  return db
    .selectFrom('aggregation_code')
    .selectAll()
    .where('code_sha256', '=', codeHash(canonical))
    .executeTakeFirst();
}

/**
 * Binds the code to the ESPM meter whose share it let in, inside the decision's transaction: a code
 * already bound to another meter, revoked or expired meanwhile, is not taken (false).
 */
export async function bindCode(
  db: Kysely<Database>,
  codeId: number,
  espmMeterId: string,
  at: Date,
): Promise<boolean> {
  const bound = await db
    .updateTable('aggregation_code')
    .set((eb) => ({ used_at: eb.fn.coalesce('used_at', eb.val(at)), espm_meter_id: espmMeterId }))
    .where('id', '=', codeId)
    .where('revoked_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('espm_meter_id', '=', espmMeterId),
        eb.and([eb('espm_meter_id', 'is', null), eb('expires_at', '>', at)]),
      ]),
    )
    .returning('id')
    .executeTakeFirst();
  return bound !== undefined;
}

/**
 * Frees a code bound to a meter that turned out not to be an aggregate meter (or was withdrawn before
 * ESPM said): the owner types it again on the right one.
 */
export async function releaseCode(db: Kysely<Database>, codeId: number, espmMeterId: string): Promise<void> {
  await db
    .updateTable('aggregation_code')
    .set({ used_at: null, espm_meter_id: null })
    .where('id', '=', codeId)
    .where('espm_meter_id', '=', espmMeterId)
    .execute();
}

export async function codesOf(db: Kysely<Database>, buildingId: string): Promise<AggregationCode[]> {
  return db
    .selectFrom('aggregation_code')
    .selectAll()
    .where('building_id', '=', buildingId)
    .orderBy('id', 'desc')
    .execute();
}
