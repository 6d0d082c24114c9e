// Billing import: a generated CSV of ROWS rows (100,000 quick, 1,000,000 with --full) imported with the
// gateway's `importBillingFile` into a fresh store, each import in a child process whose peak memory is
// its own maxRSS (process.resourceUsage). On PostgreSQL (DATABASE_URL set) the floor is PostgreSQL's
// own COPY of the same file into a bare table (psql's \copy, no index), in a throwaway database.
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

/** COPY of the file into a bare table, and into one with billing_period's key and indexes. */
function copyFloors(file: string, url: string): { bareMs: number; indexedMs: number } {
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
  return { bareMs, indexedMs: copy('indexed_billing') };
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
        let floors: { bareMs: number; indexedMs: number };
        try {
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
        line(
          'PostgreSQL',
          pgResult,
          `  ratio to COPY ${(pgResult.ms / copyMs).toFixed(2)} (to the indexed COPY ${(pgResult.ms / floors.indexedMs).toFixed(2)})`,
        );
        out(`  embedded store's ratio to PostgreSQL COPY ${(embedded.ms / copyMs).toFixed(2)}`);
        results.postgres = pgResult;
        results.copyMs = copyMs;
        results.indexedCopyMs = floors.indexedMs;
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
