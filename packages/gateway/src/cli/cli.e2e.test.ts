// The commands as an operator runs them: a billing file, the settings, one sync cycle, against the
// ESPM simulator with nothing but the documented environment variables.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { SimulatedCustomer } from '@gaz-espm/espm-simulator';
import { builtCli } from '../../test-support/built-cli.ts';
import { GUIDE, guideAnswers, guideBillingRows } from '../../test-support/guide-example.ts';
import { startLocalSimulator } from '../../test-support/local-simulator.ts';
import { createTestDatabase } from '../../test-support/test-store.ts';

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [builtCli(), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe('the commands’ help', () => {
  // No configuration at all: asking for help opens no store and reaches no ESPM.
  const commands = ['import-billing', 'sync', 'serve', 'settings', 'operator', 'export-history', 'rehearse'];

  it('prints every command’s usage on standard output and exits 0, with --help, -h or help <command>', async () => {
    const cases: Array<[string[], string]> = [
      ...commands.map((c): [string[], string] => [[c, '--help'], c]),
      [['serve', '-h'], 'serve'],
      [['operator', 'add', '--help'], 'operator add <username>'],
      [['help', 'sync'], 'sync --once'],
      [['--help'], 'commands:'],
    ];
    const results = await Promise.all(cases.map(([args]) => run(args, {})));
    cases.forEach(([args, expected], i) => {
      const r = results[i]!;
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.match(r.out, /^usage: npm run gateway -- /, args.join(' '));
      assert.ok(r.out.includes(expected), `${args.join(' ')}: ${r.out}`);
      assert.equal(r.err, '', args.join(' '));
    });
  });

  it('a misused command prints what is wrong and its usage on standard error, and exits 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['import-billing'], /import-billing needs one file/],
      [['sync', '--now'], /Unknown option '--now'/],
      [['settings', 'pull'], /unknown command: settings pull/],
      [['frobnicate', '--help'], /unknown command: frobnicate/],
      [['export-history', 'abc'], /"abc" is not an ESPM meter id/],
    ];
    const results = await Promise.all(cases.map(([args]) => run(args, {})));
    cases.forEach(([args, problem], i) => {
      const r = results[i]!;
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, problem, args.join(' '));
      assert.match(r.err, /usage: npm run gateway -- /, args.join(' '));
      assert.equal(r.out, '', args.join(' '));
    });
  });
});

describe('the gateway commands', () => {
  let sim: Simulator;
  let dir: string;
  let env: Record<string, string>;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;

  before(async () => {
    sim = await startLocalSimulator({ initialSettings: 'empty' });
    dir = mkdtempSync(join(tmpdir(), 'gateway-cli-'));
    if (process.env.DATABASE_URL) database = await createTestDatabase();
    env = {
      ESPM_BASE_URL: sim.url,
      ESPM_USERNAME: sim.provider.username,
      ESPM_PASSWORD: sim.provider.password,
      ESPM_MAX_RPS: '200',
      ...(database ? { DATABASE_URL: database.url } : { GATEWAY_DATA_DIR: join(dir, 'data') }),
    };
  });
  after(async () => {
    await sim.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a billing file, pushes the settings and runs one cycle that sends the guide’s history', async () => {
    const csv = join(dir, 'billing.csv');
    const rows = guideBillingRows();
    const columns = Object.keys(rows[0]!) as Array<keyof (typeof rows)[number]>;
    const badLine = `${GUIDE.accountNumber},1,2023-01-01,${GUIDE.meterNumber},2023-05-01,2023-04-01,1`;
    const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => r[c]).join(',')), badLine];
    writeFileSync(csv, lines.join('\n'));
    const imported = await run(['import-billing', csv], env);
    assert.equal(imported.code, 1, imported.err);
    assert.match(imported.err, /line 25: /);
    assert.match(imported.out, /23 imported/);

    const pushed = await run(['settings', 'push'], env);
    assert.equal(pushed.code, 0, pushed.err);
    assert.equal(sim.state().customFields.length, 5);

    const customer = await SimulatedCustomer.create(sim.origin, { username: 'code201' });
    const propertyId = await customer.createProperty('Bureau');
    // A history window reaching the guide's periods from today: every period is older than 24 months,
    // so this share asks for none and the cycle must still run cleanly.
    const meterId = await customer.createMeter(propertyId, {
      name: 'Gaz naturel1',
      firstBillDate: '2020-01-01',
    });
    await customer.connect();
    const first = await run(['sync', '--once'], env);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /ConnectionManager: \{"done":1/);
    await customer.shareProperty(propertyId);
    await customer.shareMeter(meterId, guideAnswers());
    const second = await run(['sync', '--once'], env);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /MeterConnectionManager: \{"accepted":1/);
  });

  it('exits 1 exporting the history of an ESPM meter nobody shared', async () => {
    const r = await run(['export-history', '9999999'], env);
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /no meter link for ESPM meter 9999999/);
    assert.equal(r.out, '');
  });

  it('imports buildings from a CSV file and prints an aggregation code alone on standard output', async () => {
    const csv = join(dir, 'buildings.csv');
    writeFileSync(
      csv,
      [
        'building_id,name,premise_id',
        'B-100,"Tour Sherbrooke, 1000",PR-1001',
        'B-100,"Tour Sherbrooke, 1000",PR-1002',
        'B-200,Plex Rosemont,PR-2001',
        'B-200,Plex Rosemont,PR 2002',
        'B-300,Autre,PR-1001',
      ].join('\n'),
    );
    const imported = await run(['building', 'import', csv], env);
    assert.equal(imported.code, 1, imported.err);
    assert.match(imported.out, /5 rows read, 3 buildings created, 3 premises added, 2 rejected/);
    assert.match(imported.err, /line 5: premise_id "PR 2002" is not/);
    assert.match(imported.err, /line 6: premise PR-1001 is already in building B-100/);

    const anonymous = await run(['building', 'code', 'B-100'], env);
    assert.equal(anonymous.code, 2);
    assert.match(anonymous.err, /needs --to .* and --contact/);
    // B-100 has no billing yet: no month can pass the privacy rule, so the code needs --anyway.
    const warned = await run(
      ['building', 'code', 'B-100', '--to', 'Jeanne Roy', '--contact', '514 555-0199'],
      env,
    );
    assert.equal(warned.code, 1);
    assert.equal(warned.out, '');
    assert.match(warned.err, /passes the privacy rule for none of the last 12 months .* add --anyway/);
    const issued = await run(
      ['building', 'code', 'B-100', '--to', 'Jeanne Roy', '--contact', '514 555-0199', '--anyway'],
      env,
    );
    assert.equal(issued.code, 0, issued.err);
    assert.match(issued.out, /^[0-9A-HJKMNP-TV-Z]{16}\n$/);
    assert.match(issued.err, /given to Jeanne Roy/);
    const noContact = await run(
      ['building', 'code', 'B-100', '--to', 'Jeanne Roy', '--contact', 'demain', '--anyway'],
      env,
    );
    assert.equal(noContact.code, 1);
    assert.match(noContact.err, /must be an e-mail address or a phone number/);
    const unknown = await run(['building', 'code', 'B-999', '--to', 'X', '--contact', 'x@example.com'], env);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.out, '');
    assert.match(unknown.err, /there is no building B-999/);
  });

  it('revokes a building’s codes and renews its links from the command line', async () => {
    const second = await run(
      ['building', 'code', 'B-100', '--to', 'Luc Roy', '--contact', 'luc@example.com', '--anyway'],
      env,
    );
    assert.equal(second.code, 0, second.err);
    const revoked = await run(['building', 'revoke', 'B-100'], env);
    assert.equal(revoked.code, 0, revoked.err);
    assert.equal(revoked.out, 'building B-100: 2 codes revoked, 0 links ended\n');
    const again = await run(['building', 'revoke', 'B-100'], env);
    assert.equal(again.out, 'building B-100: 0 codes revoked, 0 links ended\n');
    const renewed = await run(['building', 'renew', 'B-100'], env);
    assert.equal(renewed.code, 0, renewed.err);
    assert.equal(renewed.out, 'building B-100: 0 links renewed\n');
    for (const command of ['revoke', 'renew']) {
      const unknown = await run(['building', command, 'B-999'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.err, /there is no building B-999/);
    }
  });

  it('exits 1 when ESPM refuses the credentials, and 2 when the configuration is incomplete', async () => {
    const refused = await run(['sync', '--once'], { ...env, ESPM_PASSWORD: 'wrong' });
    assert.equal(refused.code, 1);
    assert.match(refused.err, /could not run: .*unauthorized/);
    assert.ok(!refused.err.includes('wrong'));
    const incomplete = await run(['sync', '--once'], { ...env, ESPM_USERNAME: '' });
    assert.equal(incomplete.code, 2);
    assert.match(incomplete.err, /ESPM_USERNAME is required/);
  });
});
