// `npm run gateway -- <command>`: the gateway's commands, each a thin call into the services.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadCoordinationConfig, loadStoreConfig } from '../config/config.ts';
import { runCycle } from '../exchange/cycle.ts';
import { pushSettings } from '../exchange/settings.ts';
import { openGateway } from '../runtime.ts';
import { openStore } from '../store/database.ts';
import { serve } from './serve.ts';

const USAGE = `usage: npm run gateway -- <command>

commands:
  import-billing <file.csv>   import billing periods (exit 0 all rows, 1 some rejected, 2 file unusable)
  sync --once                 run every service once and print a summary
  serve                       run the services on a schedule and serve HTTP
  settings push               push the terms of use, meter types and custom fields to ESPM
  operator add|list|disable   manage the console's operators (see: operator --help)
  export-history <espm-meter-id>  print the meter's history as sent to ESPM, as CSV
  building import|code        buildings for whole-building data (see: building --help)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'import-billing':
      return importBilling(rest);
    case 'sync':
      return syncOnce(rest);
    case 'serve':
      return serve();
    case 'operator':
      return operator(rest);
    case 'export-history':
      return exportHistory(rest);
    case 'building':
      return building(rest);
    case 'settings':
      if (rest[0] !== 'push') break;
      return settingsPush();
    case undefined:
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
  }
  process.stderr.write(`unknown command: ${argv.join(' ')}\n\n${USAGE}`);
  return 2;
}

async function importBilling(args: string[]): Promise<number> {
  const file = args[0];
  if (!file) {
    process.stderr.write('import-billing needs a file\n');
    return 2;
  }
  const { importBillingFile } = await import('../billing/import-billing-file.ts');
  const store = await openStore(loadStoreConfig());
  try {
    const report = await importBillingFile(store.db, file, { source: 'csv' });
    for (const r of report.rejections) process.stderr.write(`line ${r.line}: ${r.reason}\n`);
    if (report.error) process.stderr.write(`${report.error}\n`);
    process.stdout.write(
      `${file}: ${report.rowsRead} rows read, ${report.rowsImported} imported, ${report.rowsUnchanged} unchanged, ${report.rowsRejected} rejected\n`,
    );
    return report.exitCode;
  } finally {
    await store.close();
  }
}

async function syncOnce(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean' } } });
  if (!values.once) {
    process.stderr.write('sync runs on a schedule under `serve`; use `sync --once` for one cycle\n');
    return 2;
  }
  // A step that a serve instance (or another sync) is running is waited for, up to one lease length and
  // a little more (enough for the lease of an instance that died to run out); then it is reported skipped.
  const { leaseSeconds } = loadCoordinationConfig();
  const gateway = await openGateway(loadConfig(), {
    leases: { seconds: leaseSeconds, waitForServiceMs: (leaseSeconds + 5) * 1000 },
  });
  try {
    const report = await runCycle(gateway.ctx);
    for (const s of report.services) {
      process.stdout.write(`${s.service}: ${s.ok ? JSON.stringify(s.summary) : `failed: ${s.error}`}\n`);
    }
    if (report.fatal) {
      process.stderr.write(`the cycle could not run: ${report.fatal}\n`);
      return 1;
    }
    return 0;
  } finally {
    await gateway.close();
  }
}

async function exportHistory(args: string[]): Promise<number> {
  const meterId = args[0];
  if (!meterId) {
    process.stderr.write('export-history needs an ESPM meter id\n');
    return 2;
  }
  const { historyCsv } = await import('../observability/history-export.ts');
  const store = await openStore(loadStoreConfig());
  try {
    const { csv, rows } = await historyCsv(store.db, { espmMeterId: meterId });
    process.stdout.write(csv);
    if (rows === 0) process.stderr.write(`no consumption entry for ESPM meter ${meterId}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function operator(args: string[]): Promise<number> {
  const { operatorCommand } = await import('../console/operator-cli.ts');
  const store = await openStore(loadStoreConfig());
  try {
    return await operatorCommand(store.db, args);
  } finally {
    await store.close();
  }
}

async function building(args: string[]): Promise<number> {
  const { buildingCommand, BUILDING_USAGE } = await import('../buildings/building-cli.ts');
  if (args.length < 2) {
    process.stdout.write(BUILDING_USAGE);
    return args[0] === '--help' ? 0 : 2;
  }
  const store = await openStore(loadStoreConfig());
  try {
    return await buildingCommand(store.db, args);
  } finally {
    await store.close();
  }
}

async function settingsPush(): Promise<number> {
  const gateway = await openGateway(loadConfig());
  try {
    const r = await pushSettings(gateway.ctx);
    process.stdout.write(
      `terms of use and meter types pushed; custom fields created: ${r.created.join(', ') || 'none'}; updated: ${
        r.updated.join(', ') || 'none'
      }; unchanged: ${r.unchanged.join(', ') || 'none'}\n`,
    );
    if (r.foreign.length) process.stdout.write(`other fields left as they are: ${r.foreign.join(', ')}\n`);
    return 0;
  } finally {
    await gateway.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof ConfigError ? 'configuration: ' : ''}${(e as Error).message}\n`);
    process.exitCode = e instanceof ConfigError ? 2 : 1;
  },
);
