import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { openStore } from '../store/database.ts';
import { openTestStore } from '../store/test-store.ts';
import { importBillingFile } from './import-billing-file.ts';
const [kind, file] = [process.argv[2] as 'embedded' | 'postgres' | 'disk', process.argv[3]!];
const store =
  kind === 'disk' ? await openStore({ dataDir: `/tmp/bb/pgdata-${process.pid}` }) : await openTestStore(kind);
const tick = 100; // CLK_TCK
async function pgCpu(): Promise<number> {
  if (kind !== 'postgres') return 0;
  const { rows } = await sql<{
    pid: number;
  }>`select pid from pg_stat_activity where datname = current_database()`.execute(store.db);
  let total = 0;
  for (const { pid } of rows) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(f[11]) + Number(f[12])) / tick;
    } catch {}
  }
  return total;
}
try {
  for (let i = 0; i < 2; i++) {
    const t = Date.now();
    const c0 = process.cpuUsage();
    const p0 = await pgCpu();
    const r = await importBillingFile(store.db, file);
    const ms = Date.now() - t;
    const c = process.cpuUsage(c0);
    const p1 = await pgCpu();
    console.log(
      kind,
      i ? 're-import' : 'import',
      r.rowsRead,
      'rows',
      ms,
      'ms wall',
      Math.round((r.rowsRead / ms) * 1000),
      'rows/s',
      `node cpu ${((c.user + c.system) / 1e6).toFixed(1)}s`,
      `pg cpu ${(p1 - p0).toFixed(1)}s`,
      'imported',
      r.rowsImported,
      'unchanged',
      r.rowsUnchanged,
      'rejected',
      r.rowsRejected,
      'maxRSS',
      Math.round(process.resourceUsage().maxRSS / 1024),
      'MB',
    );
  }
} finally {
  await store.close();
}
