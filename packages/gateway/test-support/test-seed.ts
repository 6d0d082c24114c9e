// Rows for the console's tests, screenshots and list benchmark, inserted directly, one builder a table
// (seed/): customers (one whose organization is a script tag), meter links in every status (the guide's
// example with its 23 periods, a conflict with the customer's entries), log lines, a locked-out account
// and an import with rejected lines. The builders run in this order, so the rows' ids stay the same.
import type { Kysely } from 'kysely';
import type { Database } from '../src/store/schema.ts';
import { seedBilling, seedImports } from './seed/billing.ts';
import type { SeedEspm, SeedLinks } from './seed/context.ts';
import { seedCustomers, seedLockout } from './seed/customers.ts';
import { seedDecisions } from './seed/decisions.ts';
import { seedEntries } from './seed/entries.ts';
import { seedLinks } from './seed/links.ts';
import { seedLog } from './seed/log.ts';

export { XSS } from './seed/context.ts';
export type { SeedEspm } from './seed/context.ts';

/** The named links, the two accounts the tests look up, and the two imports. */
export interface SeedIds extends SeedLinks {
  xssAccount: string;
  lockedAccount: string;
  importId: number;
  /** A later import whose file was unusable. */
  failedImportId: number;
}

export async function seedConsole(
  db: Kysely<Database>,
  options: { now: Date; espm?: SeedEspm; fillerLinks?: number; fillerCustomers?: number },
): Promise<SeedIds> {
  const e = options.espm;
  const conflictAccount = e?.conflict.accountId ?? '100102';
  const ctx = {
    db,
    now: options.now,
    espm: e,
    accounts: {
      guideAccount: e?.guide.accountId ?? '100101',
      conflictAccount,
      conflict2Account: e?.conflict2.accountId ?? conflictAccount,
      freshAccount: e?.fresh.accountId ?? '100103',
      xssAccount: '100666',
      lockedAccount: '100777',
    },
    fillerCustomers: options.fillerCustomers ?? 0,
  };
  await seedCustomers(ctx);
  await seedBilling(ctx);
  const links = await seedLinks(ctx, options.fillerLinks ?? 0);
  await seedDecisions(ctx, links);
  await seedEntries(ctx, links);
  await seedLockout(ctx);
  const imports = await seedImports(ctx);
  await seedLog(ctx, imports.importId);
  return {
    ...links,
    xssAccount: ctx.accounts.xssAccount,
    lockedAccount: ctx.accounts.lockedAccount,
    ...imports,
  };
}
