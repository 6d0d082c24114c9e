// The console's connections (Store.consoleDb): every statement bounded, apart from the services' pool.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestStore, testStoreKinds } from '../../test-support/test-store.ts';
import type { Store } from './database.ts';
import { CONSOLE_STATEMENT_TIMEOUT_MS } from './database.ts';

for (const kind of testStoreKinds()) {
  describe(`the console's connections (${kind})`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(kind);
    });
    after(async () => store?.close());

    it('stop a console statement after the timeout, and leave the services’ statements unbounded', async () => {
      const setting = async (db: Store['db']) =>
        (await sql<{ statement_timeout: string }>`show statement_timeout`.execute(db)).rows[0]!
          .statement_timeout;
      assert.equal(await setting(store.consoleDb), `${CONSOLE_STATEMENT_TIMEOUT_MS / 1000}s`);
      assert.equal(await setting(store.db), '0');
    });

    it('search customers by part of a name through a trigram index', async () => {
      const { rows } = await sql<{ plan: string }>`
        select indexdef as plan from pg_indexes where indexname = 'espm_customer_text_trgm'`.execute(
        store.db,
      );
      assert.match(rows[0]?.plan ?? '', /gin_trgm_ops/);
    });
  });
}
