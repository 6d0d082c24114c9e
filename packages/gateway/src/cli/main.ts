// `npm run gateway -- <command>`: the gateway's commands, each a thin call into the services. Each
// command imports what it needs when it runs: `sync --once` does not load the HTTP server, the console
// or the job engine, and reaches ESPM sooner.
import { parseArgs } from 'node:util';
import {
  ConfigError,
  loadConfig,
  loadCoordinationConfig,
  loadPrivacyRule,
  loadStoreConfig,
} from '../config/config.ts';
import type { Gateway } from '../runtime.ts';

/** Each command's usage, printed by `<command> --help` (exit 0) and after a misuse (exit 2). */
const COMMAND_USAGE: Record<string, string> = {
  'import-billing': `usage: npm run gateway -- import-billing <file.csv>

  imports billing periods (packages/gateway/docs/billing-import.md)
  exit 0 every row imported, 1 some rows rejected (listed with their line), 2 file unusable (nothing stored)
`,
  sync: `usage: npm run gateway -- sync --once

  runs every service once (notifications, connections, property shares, meter shares, consumption)
  and prints a summary; work another process is doing (serve, another sync) is waited for up to
  GATEWAY_LEASE_SECONDS + 5 s. Exit 0 the cycle ran, 1 it could not (ESPM unreachable or down, bad
  credentials), 2 bad configuration, 3 some work is still held by another process (listed, with until
  when): run it again after that
`,
  serve: `usage: npm run gateway -- serve

  runs the services on a schedule and serves the console, the billing ingest, /healthz, /readyz and
  /metrics until SIGINT or SIGTERM
`,
  settings: `usage: npm run gateway -- settings push

  pushes the terms of use, the Natural Gas meter type and the custom fields (the guide's four and
  "Code d'agrégation" for whole-building data) to ESPM
`,
  'export-history': `usage: npm run gateway -- export-history <espm-meter-id>

  prints the meter's history as sent to ESPM, as CSV (exit 1 when no customer shared that meter
  with the gateway, 2 when the id is not a number)
`,
};

const USAGE = `usage: npm run gateway -- <command>

commands:
  import-billing <file.csv>   import billing periods (exit 0 all rows, 1 some rejected, 2 file unusable)
  sync --once                 run every service once and print a summary
  serve                       run the services on a schedule and serve HTTP
  settings push               push the terms of use, meter types and custom fields to ESPM
  operator add|list|disable   manage the console's operators
  export-history <espm-meter-id>  print the meter's history as sent to ESPM, as CSV
  building import|remove-premise|close|code|revoke|renew  buildings for whole-building data (see: building --help)
  rehearse --customer-username <name>  play the guide end to end in ESPM's test environment

\`npm run gateway -- <command> --help\` describes a command.
`;

const wantsHelp = (args: string[]): boolean => args.some((a) => a === '--help' || a === '-h');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Answered before anything opens the store or reaches ESPM: help never has an effect.
  if (command !== undefined && wantsHelp(rest)) return help(command);
  switch (command) {
    case 'import-billing':
      return importBilling(rest);
    case 'sync':
      return syncOnce(rest);
    case 'serve':
      if (rest.length) return misuse(`serve takes no argument: ${rest.join(' ')}`, 'serve');
      return (await import('./serve.ts')).serve();
    case 'operator':
      return operator(rest);
    case 'export-history':
      return exportHistory(rest);
    case 'building':
      return building(rest);
    case 'rehearse':
      return (await import('../rehearsal/rehearse-cli.ts')).rehearseCommand(rest);
    case 'settings':
      if (rest[0] !== 'push' || rest.length > 1)
        return misuse(`unknown command: ${argv.join(' ')}`, 'settings');
      return settingsPush();
    case 'help':
      return help(rest[0]);
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    case undefined:
      process.stderr.write(USAGE);
      return 2;
  }
  return misuse(`unknown command: ${argv.join(' ')}`, command);
}

function usageOf(command: string | undefined): string {
  return command !== undefined && Object.hasOwn(COMMAND_USAGE, command) ? COMMAND_USAGE[command]! : USAGE;
}

/** `--help`: the command's usage on standard output, exit 0. */
async function help(command: string | undefined): Promise<number> {
  if (command === 'operator') {
    const { OPERATOR_USAGE } = await import('../console/operator-cli.ts');
    process.stdout.write(OPERATOR_USAGE);
    return 0;
  }
  if (command === 'rehearse') {
    const { REHEARSE_USAGE } = await import('../rehearsal/rehearse-cli.ts');
    process.stdout.write(REHEARSE_USAGE);
    return 0;
  }
  if (command === 'building') {
    const { BUILDING_USAGE } = await import('./building.ts');
    process.stdout.write(BUILDING_USAGE);
    return 0;
  }
  if (command !== undefined && !Object.hasOwn(COMMAND_USAGE, command)) {
    return misuse(`unknown command: ${command}`);
  }
  process.stdout.write(usageOf(command));
  return 0;
}

/** A command used wrongly: what is wrong and the command's usage on standard error, exit 2. */
function misuse(problem: string, command?: string): number {
  process.stderr.write(`${problem}\n\n${usageOf(command)}`);
  return 2;
}

async function importBilling(args: string[]): Promise<number> {
  const [file, ...extra] = args;
  if (!file || extra.length) return misuse('import-billing needs one file', 'import-billing');
  const { importBillingFile } = await import('../billing/import-billing-file.ts');
  const { openStore } = await import('../store/database.ts');
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
  let once: boolean | undefined;
  try {
    once = parseArgs({ args, options: { once: { type: 'boolean' } } }).values.once;
  } catch (e) {
    return misuse((e as Error).message, 'sync');
  }
  if (!once) return misuse('sync runs on a schedule under `serve`; use `sync --once` for one cycle', 'sync');
  // A step that a serve instance (or another sync) is running is waited for, up to one lease length and
  // a little more (enough for the lease of an instance that died to run out); then it is reported skipped.
  const { leaseSeconds } = loadCoordinationConfig();
  const [{ openGateway }, { runCycle }, { heldLinks }] = await Promise.all([
    import('../runtime.ts'),
    import('../exchange/cycle.ts'),
    import('../exchange/consumption/consumption-updater.ts'),
  ]);
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
    // Never a silent success over work another process holds: say what, by whom, until when.
    const skipped = report.services.filter((s) => s.ok && s.summary && 'skipped' in s.summary);
    const heldIds = report.services.flatMap((s) =>
      s.ok && s.summary && 'heldElsewhere' in s.summary ? (s.summary.heldElsewhere as number[]) : [],
    );
    for (const s of skipped) process.stderr.write(`${s.service} not run: ${JSON.stringify(s.summary)}\n`);
    const held = await heldLinks(gateway.ctx, heldIds);
    for (const id of heldIds) {
      const l = held.find((h) => h.linkId === id);
      process.stderr.write(
        l
          ? `meter link ${id} (ESPM meter ${l.espmMeterId}) held by ${l.holder} until ${l.until.toISOString()}\n`
          : `meter link ${id} held by another process during this run (released since)\n`,
      );
    }
    if (skipped.length > 0 || heldIds.length > 0) {
      process.stderr.write('some work is held by another process: run sync --once again after that\n');
      return 3;
    }
    return 0;
  } finally {
    await gateway.close();
  }
}

async function exportHistory(args: string[]): Promise<number> {
  const [meterId, ...extra] = args;
  if (!meterId || extra.length) return misuse('export-history needs one ESPM meter id', 'export-history');
  // ESPM's ids are numbers (xsd: xs:long); anything else is a typing mistake, not an empty history.
  if (!/^[0-9]{1,19}$/.test(meterId))
    return misuse(`${JSON.stringify(meterId)} is not an ESPM meter id (digits)`, 'export-history');
  const { historyCsv, isLinkedEspmMeter } = await import('../observability/history-export.ts');
  const { openStore } = await import('../store/database.ts');
  const store = await openStore(loadStoreConfig());
  try {
    if (!(await isLinkedEspmMeter(store.db, meterId))) {
      process.stderr.write(
        `no meter link for ESPM meter ${meterId}: no customer shared it with the gateway\n`,
      );
      return 1;
    }
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
  const { openStore } = await import('../store/database.ts');
  const store = await openStore(loadStoreConfig());
  try {
    return await operatorCommand(store.db, args);
  } finally {
    await store.close();
  }
}

async function building(args: string[]): Promise<number> {
  const { buildingCommand, BUILDING_USAGE } = await import('./building.ts');
  if (args.length < 2) {
    process.stderr.write(BUILDING_USAGE);
    return 2;
  }
  const { openStore } = await import('../store/database.ts');
  const store = await openStore(loadStoreConfig());
  let gateway: Gateway | undefined;
  try {
    return await buildingCommand(args, {
      db: store.db,
      privacy: loadPrivacyRule(),
      exchange: async () => {
        const { openGateway } = await import('../runtime.ts');
        gateway = await openGateway(loadConfig(), { store });
        return gateway.ctx;
      },
    });
  } finally {
    await gateway?.close();
    await store.close();
  }
}

async function settingsPush(): Promise<number> {
  const [{ openGateway }, { pushSettings }] = await Promise.all([
    import('../runtime.ts'),
    import('../exchange/settings.ts'),
  ]);
  const gateway = await openGateway(loadConfig());
  try {
    const r = await pushSettings(gateway.ctx);
    process.stdout.write(
      `terms of use and meter types pushed; custom fields created: ${r.created.join(', ') || 'none'}; updated: ${
        r.updated.join(', ') || 'none'
      }; unchanged: ${r.unchanged.join(', ') || 'none'}\n`,
    );
    if (r.foreign.length) process.stdout.write(`other fields left as they are: ${r.foreign.join(', ')}\n`);
    if (r.duplicates.length) {
      process.stdout.write(
        `fields bearing one of our names twice, left for you to delete in ESPM (ids): ${r.duplicates.join(', ')}\n`,
      );
    }
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
