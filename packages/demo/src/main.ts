// `npm start`: the whole product on this machine with no configuration — the embedded store, the ESPM
// simulator, sample billing data, simulated customers who connect and share, and the gateway itself
// on a short schedule with its console. Everything is kept in ./data/demo and survives a restart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SimulatedCustomer, startSimulator } from '@gaz-espm/espm-simulator';
import { importBillingFile } from '@gaz-espm/gateway/billing';
import type { GatewayConfig } from '@gaz-espm/gateway/config';
import { upsertOperator } from '@gaz-espm/gateway/console/operators';
import { generatePassword } from '@gaz-espm/gateway/console/passwords';
import { pauseLapsedRenewals } from '@gaz-espm/gateway/exchange/building-links';
import type { ExchangeContext } from '@gaz-espm/gateway/exchange/context';
import { pushSettings } from '@gaz-espm/gateway/exchange/settings';
import { buildHttpServer } from '@gaz-espm/gateway/http';
import type { Scheduler } from '@gaz-espm/gateway/jobs';
import { startScheduler } from '@gaz-espm/gateway/jobs';
import { openGateway } from '@gaz-espm/gateway/runtime';
import { cliEnvironment } from './cli-environment.ts';
import { issueCode } from '@gaz-espm/gateway/buildings/aggregation-codes';
import { addPremises, createBuilding } from '@gaz-espm/gateway/buildings';
import { sampleBilling, toCsv } from './sample-billing.ts';
import {
  DEMO_BUILDING,
  DEMO_BUILDING_PREMISES,
  sampleBuildingCorrectionCsv,
  sampleBuildingCsv,
} from './sample-building.ts';
import type { SampleAccount } from './sample-billing.ts';
import { DEMO_CUSTOMERS } from './scenario.ts';

const DEMO_OPERATOR = 'demo';

async function main(): Promise<void> {
  const dataDir = resolve(process.env.GATEWAY_DATA_DIR ?? './data/demo');
  mkdirSync(dataDir, { recursive: true });
  const sim = await startSimulator({
    host: '127.0.0.1',
    port: Number(process.env.DEMO_SIMULATOR_PORT ?? 8181),
    snapshotFile: join(dataDir, 'simulator.json'),
  });
  const config: GatewayConfig = {
    espm: {
      baseUrl: sim.url,
      username: sim.provider.username,
      password: sim.provider.password,
      maxRps: 20,
      maxConcurrency: 4,
      timeoutMs: 10_000,
    },
    databaseUrl: undefined,
    dataDir,
    sendCost: false,
    ingestToken: undefined,
    http: { host: '127.0.0.1', port: Number(process.env.GATEWAY_PORT ?? 8080), trustProxy: [] },
    schedule: { requestsEverySeconds: 10, notificationsEverySeconds: 10, consumptionEverySeconds: 30 },
  };
  const gateway = await openGateway(config);
  const { db } = gateway.store;

  await pushSettings(gateway.ctx);
  const today = new Date().toISOString().slice(0, 10);
  const sample = sampleBilling(today);
  const imported = await db.selectFrom('billing_import').select('id').limit(1).executeTakeFirst();
  if (!imported) {
    const file = join(dataDir, 'sample-billing.csv');
    writeFileSync(file, toCsv(sample.rows));
    const report = await importBillingFile(db, file, { source: 'csv' });
    say(`sample billing data: ${report.rowsImported} periods of ${sample.accounts.length} accounts imported`);
    const buildingFile = join(dataDir, 'sample-building.csv');
    writeFileSync(buildingFile, sampleBuildingCsv(today));
    const building = await importBillingFile(db, buildingFile, { source: 'csv' });
    say(`sample building: ${building.rowsImported} periods of its 7 tenants imported`);
  }

  const password = generatePassword();
  await upsertOperator(db, {
    username: DEMO_OPERATOR,
    displayName: 'Opérateur démo',
    role: 'operator',
    password,
  });

  const scheduler = await startScheduler(gateway.store, undefined, gateway.ctx, config.schedule, (e) =>
    say(`job engine: ${e.message}`),
  );
  const app = await buildHttpServer({ gateway, config, scheduler });
  const address = await app.listen({ host: config.http.host, port: config.http.port });

  if (sim.state().accounts.length <= 1) {
    // The building's owner: the operator defined the building and gave the owner a code.
    const by = { operator: DEMO_OPERATOR };
    const known = await db
      .selectFrom('building')
      .select('building_id')
      .where('building_id', '=', DEMO_BUILDING.buildingId)
      .executeTakeFirst();
    if (!known) await createBuilding(db, DEMO_BUILDING, by);
    await addPremises(
      db,
      DEMO_BUILDING.buildingId,
      DEMO_BUILDING_PREMISES.map((premiseId) => ({ premiseId, ownerHeld: false })),
      by,
      new Date(),
    );
    const { code } = await issueCode(db, DEMO_BUILDING.buildingId, by, new Date(), {
      name: 'Gestion Sherbrooke',
      contact: 'proprio2000@example.com',
    });
    void playCustomers(sim.origin, sample.accounts, scheduler)
      .catch((e: unknown) => say(`demo customers: ${(e as Error).message}`))
      .then(() => playBuildingOwner(sim.origin, code, scheduler))
      .then(() => playBuildingLater(gateway.ctx, scheduler, dataDir, today))
      .catch((e: unknown) => say(`demo building owner: ${(e as Error).message}`));
  }

  say('');
  say(`Console (FR/EN):        ${address}/`);
  say(`  operator:             ${DEMO_OPERATOR}`);
  say(`  password:             ${password}`);
  say(`ESPM simulator:         ${sim.url}`);
  say(`Customer page (guide):  ${sim.customerPageUrl}`);
  say(`Data kept in:           ${dataDir}`);
  say('');
  say('The CLI on this demo’s store and simulator (paste in another terminal, then e.g.');
  say('`npm run gateway -- operator list`):');
  for (const line of cliEnvironment({ dataDir, espm: config.espm })) say(`  ${line}`);
  say('');
  say(`Building ${DEMO_BUILDING.buildingId} (console, Bâtiments / Buildings), after a few minutes:`);
  say('  FR: une facture corrigée d’un locataire, après l’envoi du mois : la révision est retenue');
  say('      pour la confidentialité ; le lien du propriétaire, vieux d’un an, est suspendu —');
  say('      « Renouveler les liens » le relance.');
  say('  EN: one tenant’s bill corrected after the month was sent: the revision is withheld for');
  say('      privacy; the owner’s link, a year old, is paused — “Renew the links” resumes it.');
  say('');
  say('Stop with Ctrl+C.');

  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await app.close();
  await scheduler.stop();
  await gateway.close();
  await sim.close();
}

/**
 * Each customer follows the guide: account, property, meter, connection request; once the gateway has
 * accepted the connection (ESPM allows sharing only then), the property and meter shares.
 */
async function playCustomers(origin: string, accounts: SampleAccount[], scheduler: Scheduler): Promise<void> {
  const firstBill = new Date(Date.now() - 4 * 365 * 86_400_000).toISOString().slice(0, 10);
  const started = [];
  for (const story of DEMO_CUSTOMERS) {
    const customer = await SimulatedCustomer.create(origin, {
      username: story.username,
      organization: story.organization,
      firstName: story.contact.firstName,
      lastName: story.contact.lastName,
    });
    const propertyId = await customer.createProperty(story.property);
    const meterId = await customer.createMeter(propertyId, {
      name: `Gaz naturel — ${story.property}`,
      firstBillDate: firstBill,
      ...story.meter,
    });
    await story.before?.(customer, meterId);
    await customer.connect();
    started.push({ story, customer, propertyId, meterId });
  }
  await scheduler.trigger('espm-requests');
  for (const { story, customer, propertyId, meterId } of started) {
    while ((await customer.connectionStatus()) !== 'accepted') await new Promise((r) => setTimeout(r, 1000));
    await customer.shareProperty(propertyId);
    await customer.shareMeter(meterId, story.answers(accounts), story.accessLevel);
    say(`customer ${story.username}: ${story.story}`);
    if (story.later) {
      setTimeout(
        () => void story.later!(customer, { propertyId, meterId }).catch(() => undefined),
        120_000,
      ).unref();
    }
  }
  await scheduler.trigger('espm-requests');
}

/** The owner of the demo's building shares an aggregate meter with the code the utility gave them. */
async function playBuildingOwner(origin: string, code: string, scheduler: Scheduler): Promise<void> {
  const owner = await SimulatedCustomer.create(origin, {
    username: 'proprio2000',
    organization: 'Gestion Sherbrooke',
  });
  const propertyId = await owner.createProperty(DEMO_BUILDING.name);
  const meterId = await owner.createMeter(propertyId, {
    name: 'Gaz naturel — bâtiment entier',
    firstBillDate: new Date(Date.now() - 4 * 365 * 86_400_000).toISOString().slice(0, 10),
    aggregateMeter: true,
  });
  await owner.connect();
  await scheduler.trigger('espm-requests');
  while ((await owner.connectionStatus()) !== 'accepted') await new Promise((r) => setTimeout(r, 1000));
  await owner.shareProperty(propertyId);
  await owner.shareMeter(meterId, { aggregationCode: code, initialLoad: '12' });
  say(
    `customer proprio2000: a building owner's aggregate meter, with the aggregation code ${code} (12 months)`,
  );
  await scheduler.trigger('espm-requests');
}

/**
 * Once the building's months are written: the billing system corrects one tenant's bill of a written
 * month, a revision the gateway withholds for privacy; and the owner's link, taken as accepted a year
 * ago, pauses until the visitor renews it on the building's page.
 */
async function playBuildingLater(
  ctx: ExchangeContext,
  scheduler: Scheduler,
  dataDir: string,
  today: string,
): Promise<void> {
  const { db } = ctx;
  const written = () =>
    db
      .selectFrom('building_release')
      .select('month')
      .where('building_id', '=', DEMO_BUILDING.buildingId)
      .limit(1)
      .executeTakeFirst();
  while (!(await written())) {
    await scheduler.trigger('espm-consumption');
    await new Promise((r) => setTimeout(r, 3000));
  }
  const file = join(dataDir, 'sample-building-correction.csv');
  writeFileSync(file, sampleBuildingCorrectionCsv(today));
  await importBillingFile(db, file, { source: 'csv' });
  say('building: one tenant’s bill corrected after its months were written — the revision is withheld');

  const link = await db
    .selectFrom('meter_link')
    .select('id')
    .where('building_id', '=', DEMO_BUILDING.buildingId)
    .where('aggregation_code_id', 'is not', null)
    .executeTakeFirstOrThrow();
  // A year cannot pass in a demo: the link's acceptance moves back a year and a day (the column the
  // gateway set when it accepted the share), so its renewal has lapsed, and the gateway's own check
  // pauses it as it would any link not renewed in time.
  const yearAgo = new Date(Date.now() - 366 * 86_400_000);
  await db.updateTable('meter_link').set({ decided_at: yearAgo }).where('id', '=', link.id).execute();
  await pauseLapsedRenewals(ctx, [link.id]);
  say('building: the owner’s link is a year old and not renewed — paused until an operator renews it');
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`demo: ${(e as Error).stack ?? e}\n`);
  // Servers already listening would keep the process alive: a failed demo must stop.
  process.exit(1);
});
