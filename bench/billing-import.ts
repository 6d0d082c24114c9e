// Billing import: a generated CSV of ROWS rows (100,000 quick, 1,000,000 with --full) imported with the
// gateway's `importBillingFile` into a fresh store, each import in a child process whose peak memory is
// its own maxRSS (process.resourceUsage). On PostgreSQL (DATABASE_URL set) the floor is PostgreSQL's
// own COPY of the same file into a bare table (psql's \copy, no index), in a throwaway database. Beside
// it, the least any import through a staging table can cost: the file copied into an unlogged staging
// table, then its invoices and periods inserted into a migrated store's own tables, each in one
// statement without a single check (the way issue 15 proposed, with nothing of the rules left).
//
//   npx tsx bench/billing-import.ts [--full]          Options: BILLING_ROWS=…
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importBillingFile } from '@gaz-espm/gateway/billing';
import { openStore } from '@gaz-espm/gateway/store';
import { createTestDatabase } from '@gaz-espm/gateway/testing/test-store';
import { generateBillingCsv } from './billing-csv.ts';
import { FULL, fmt, machine, mb, numberFromEnv, out, saveJson, seconds } from './lib.ts';

const ROWS = numberFromEnv('BILLING_ROWS', FULL ? 1_000_000 : 100_000);

interface ChildResult {
  ms: number;
  rows: number;
  imported: number;
  rejected: number;
  maxRssBytes: number;
  /** RSS once the store is open and migrated, before the import: the store's own share. */
  openRssBytes: number;
  /** CPU time of the importing process (user + system): close to ms when Node, not the database, is busy. */
  cpuMs: number;
}

async function child(kind: string, file: string, target: string): Promise<void> {
  const store = await openStore(kind === 'postgres' ? { databaseUrl: target } : { dataDir: target });
  try {
    const openRssBytes = process.memoryUsage.rss();
    const cpu = process.cpuUsage();
    const t = Date.now();
    const report = await importBillingFile(store.db, file);
    const ms = Date.now() - t;
    const result: ChildResult = {
      ms,
      rows: report.rowsRead,
      imported: report.rowsImported,
      rejected: report.rowsRejected,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      openRssBytes,
      cpuMs: (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000,
    };
    if (report.exitCode !== 0) throw new Error(`import failed: ${JSON.stringify(report).slice(0, 400)}`);
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  } finally {
    await store.close();
  }
}

function runChild(kind: 'embedded' | 'postgres', file: string, target: string): ChildResult {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', kind, file, target],
    { encoding: 'utf8', env: { ...process.env, BILLING_ROWS: String(ROWS) }, maxBuffer: 1 << 26 },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`${kind} import child failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line.slice('RESULT '.length)) as ChildResult;
}

interface Floors {
  bareMs: number;
  indexedMs: number;
  /** Staging COPY, then billing_invoice and billing_period filled from it (a migrated store). */
  stagedMs: number;
}

/**
 * COPY of the file into a bare table, into one with billing_period's key and indexes, and through a
 * staging table into the store's own tables (`url` is migrated, its billing tables empty).
 */
function copyFloors(file: string, url: string): Floors {
  const psql = (args: string[]): void => {
    execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  };
  const columns = `account_number text, invoice_number text, invoice_date date, meter_number text,
       period_start date, period_end date, volume_m3 numeric(14,3), cost numeric(12,2), estimated boolean,
       rng_percent numeric(5,2), status text`;
  const copy = (table: string): number => {
    const t = Date.now();
    psql(['-c', `\\copy ${table} from '${file.replace(/'/g, "''")}' with (format csv, header true)`]);
    return Date.now() - t;
  };
  psql(['-c', `create table bare_billing (${columns})`]);
  const bareMs = copy('bare_billing');
  psql([
    '-c',
    `create table indexed_billing (${columns}, primary key (meter_number, period_start));
     create index on indexed_billing (account_number, meter_number);
     create index on indexed_billing (meter_number, period_end);
     create index on indexed_billing (period_end);`,
  ]);
  const indexedMs = copy('indexed_billing');
  psql(['-c', `create unlogged table staged_billing (${columns})`]);
  const t = Date.now();
  copy('staged_billing');
  psql([
    '-c',
    `insert into billing_invoice (invoice_number, account_number, invoice_date)
       select distinct on (invoice_number) invoice_number, account_number, invoice_date
       from staged_billing order by invoice_number`,
    '-c',
    `insert into billing_period (meter_number, period_start, period_end, account_number, invoice_number,
       volume_m3, cost, estimated, rng_percent, status)
       select meter_number, period_start, period_end, account_number, invoice_number,
       volume_m3, cost, estimated, rng_percent, status from staged_billing`,
  ]);
  return { bareMs, indexedMs, stagedMs: Date.now() - t };
}

async function main(): Promise<void> {
  out(`billing import: ${fmt(ROWS)} rows; ${machine()}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-billing-'));
  const results: Record<string, unknown> = { rows: ROWS };
  try {
    const file = join(dir, 'billing.csv');
    const t = Date.now();
    await generateBillingCsv(file, ROWS);
    out(`  generated ${file} (${mb(statSync(file).size)}) in ${seconds(Date.now() - t)}`);
    const line = (label: string, r: ChildResult, extra = ''): void => {
      out(
        `  ${label.padEnd(28)} ${seconds(r.ms).padStart(8)}  ${fmt(Math.round((r.rows / r.ms) * 1000)).padStart(8)} rows/s  peak RSS ${mb(r.maxRssBytes)} (${mb(r.openRssBytes)} with the store open, before the import)  imported ${fmt(r.imported)}, Node CPU ${seconds(r.cpuMs)}${extra}`,
      );
    };
    const embedded = runChild('embedded', file, join(dir, 'embedded-data'));
    line('embedded store (on disk)', embedded);
    results.embedded = embedded;
    if (process.env.DATABASE_URL) {
      const db = await createTestDatabase();
      try {
        const pgResult = runChild('postgres', file, db.url);
        const floor = await createTestDatabase();
        let floors: Floors;
        try {
          await (await openStore({ databaseUrl: floor.url })).close();
          floors = copyFloors(file, floor.url);
        } finally {
          await floor.drop();
        }
        const copyMs = floors.bareMs;
        out(
          `  ${'PostgreSQL COPY (floor)'.padEnd(28)} ${seconds(copyMs).padStart(8)}  ${fmt(Math.round((ROWS / copyMs) * 1000)).padStart(8)} rows/s  (bare table)`,
        );
        out(
          `  ${'COPY, key + 3 indexes'.padEnd(28)} ${seconds(floors.indexedMs).padStart(8)}  ${fmt(Math.round((ROWS / floors.indexedMs) * 1000)).padStart(8)} rows/s  (billing_period's key and indexes)`,
        );
        out(
          `  ${'staging COPY + 2 inserts'.padEnd(28)} ${seconds(floors.stagedMs).padStart(8)}  ${fmt(Math.round((ROWS / floors.stagedMs) * 1000)).padStart(8)} rows/s  (into the store's billing_invoice and billing_period, no checks; ${(floors.stagedMs / copyMs).toFixed(2)}× the bare COPY)`,
        );
        line(
          'PostgreSQL',
          pgResult,
          `  ratio to COPY ${(pgResult.ms / copyMs).toFixed(2)} (to the indexed COPY ${(pgResult.ms / floors.indexedMs).toFixed(2)}, to the staged floor ${(pgResult.ms / floors.stagedMs).toFixed(2)})`,
        );
        out(`  embedded store's ratio to PostgreSQL COPY ${(embedded.ms / copyMs).toFixed(2)}`);
        results.postgres = pgResult;
        results.copyMs = copyMs;
        results.indexedCopyMs = floors.indexedMs;
        results.stagedFloorMs = floors.stagedMs;
      } finally {
        await db.drop();
      }
    } else {
      out('  PostgreSQL: skipped (DATABASE_URL unset), so no COPY floor');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  saveJson(results);
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1]!, process.argv[at + 2]!, process.argv[at + 3]!);
else await main();
