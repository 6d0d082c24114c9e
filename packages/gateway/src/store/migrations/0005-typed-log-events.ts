import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// The journal keeps each line's typed event (log/gateway-event.ts) as JSON, so that the console and
// the metrics read what happened instead of parsing the outcome code and the details text back. Lines
// written before are converted here, once, from their code and details.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('gateway_log').addColumn('event', 'jsonb').execute();
  const count = (name: string) => sql`coalesce(substring(details from ${`${name}=([0-9]+)`})::integer, 0)`;
  await sql`
    update gateway_log set event = case
      when outcome = 'accepted' then jsonb_build_object('kind', 'accepted')
      when outcome like 'rejected:%' then jsonb_build_object('kind', 'rejected', 'rule', substr(outcome, 10))
      when outcome like 'revoked:%' then jsonb_build_object('kind', 'revoked', 'reason', substr(outcome, 9))
        || case when details is null then '{}'::jsonb else jsonb_build_object('detail', details) end
      when outcome = 'sent' then jsonb_build_object('kind', 'sent', 'created', ${count('created')},
        'updated', ${count('updated')}, 'deleted', ${count('deleted')}, 'adopted', ${count('adopted')})
      when outcome = 'conflict' then jsonb_build_object('kind', 'conflict', 'periods', ${count('periods')})
      when outcome like 'notification:%' then jsonb_build_object('kind', 'notification',
        'type', substr(outcome, 14), 'linksRevoked', ${count('links-revoked')})
      when outcome like 'espm-%' then jsonb_build_object('kind', 'espm-error', 'error', substr(outcome, 6),
        'message', coalesce(details, ''))
      when service = 'BillingImport' then jsonb_build_object('kind', 'billing-import')
        || case when details like '{%' then details::jsonb else '{}'::jsonb end
      when outcome = 'failed' then jsonb_build_object('kind', 'failed', 'message', coalesce(details, ''))
      when outcome = 'settings-pushed' then jsonb_build_object('kind', 'settings-pushed',
        'created', ${count('created')}, 'updated', ${count('updated')}, 'unchanged', ${count('unchanged')})
      when outcome in ('resync-requested', 'account-unlocked') then jsonb_build_object('kind', outcome)
      when outcome like 'conflict-resolved:%' then jsonb_build_object('kind', 'conflict-resolved',
        'choice', substr(outcome, 19))
      when outcome like 'run-requested:%' then jsonb_build_object('kind', 'run-requested',
        'queue', substr(outcome, 15))
      when outcome like 'run-done:%' then jsonb_build_object('kind', 'run-done', 'queue', substr(outcome, 10),
        'failures', coalesce((
          select jsonb_agg(jsonb_build_object('service', split_part(l, ': ', 1),
                                              'error', substr(l, strpos(l, ': ') + 2)))
          from regexp_split_to_table(details, '\n') as l where l <> ''), '[]'::jsonb))
      else jsonb_build_object('kind', 'failed', 'message', concat_ws(': ', outcome, details))
    end`.execute(db);
  await db.schema
    .alterTable('gateway_log')
    .alterColumn('event', (c) => c.setNotNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('gateway_log').dropColumn('event').execute();
}
