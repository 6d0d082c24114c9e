import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// A link whose ESPM meter the customer set to Read Only is paused, not revoked: it stays the meter's
// one current link (so a re-share cannot make a second one) and gets nothing sent until Read Write
// comes back. Two dates go with it:
// - shared_at: when the customer last sent the share, by ESPM's clock (its shareAudit), so that a
//   notification older than the share cannot end it (a stale UNSHARE about an earlier share);
// - access_checked_at: when the meter's access level was last read for a paused link.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table meter_link drop constraint meter_link_status_check`.execute(db);
  await sql`alter table meter_link add constraint meter_link_status_check
            check (status in ('pending', 'accepted', 'rejected', 'conflict', 'paused', 'revoked'))`.execute(
    db,
  );
  await sql`drop index meter_link_current`.execute(db);
  await sql`create unique index meter_link_current on meter_link (espm_meter_id)
            where status in ('pending', 'accepted', 'conflict', 'paused')`.execute(db);
  await db.schema
    .alterTable('meter_link')
    .addColumn('shared_at', 'timestamptz')
    .addColumn('access_checked_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // A paused link goes back to accepted: its next sync meets the 403 it met before.
  await sql`update meter_link set status = 'accepted' where status = 'paused'`.execute(db);
  await db.schema.alterTable('meter_link').dropColumn('access_checked_at').dropColumn('shared_at').execute();
  await sql`drop index meter_link_current`.execute(db);
  await sql`create unique index meter_link_current on meter_link (espm_meter_id)
            where status in ('pending', 'accepted', 'conflict')`.execute(db);
  await sql`alter table meter_link drop constraint meter_link_status_check`.execute(db);
  await sql`alter table meter_link add constraint meter_link_status_check
            check (status in ('pending', 'accepted', 'rejected', 'conflict', 'revoked'))`.execute(db);
}
