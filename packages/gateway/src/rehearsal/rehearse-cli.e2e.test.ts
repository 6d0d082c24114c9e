// `rehearse` as an operator runs it: refused on ESPM's live URL before any request, a full run with the
// api customer side against the simulator writing its report, and exit 1 when a step fails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { builtCli } from '../../test-support/built-cli.ts';
import { simulatorWithCustomer } from './test-simulator.ts';

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...(env.PRELOAD ? ['--import', env.PRELOAD] : []), builtCli(), ...args],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe('npm run gateway -- rehearse', () => {
  let dir: string;
  let sim: Simulator;
  let customer: { username: string; password: string };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rehearse-cli-'));
    const s = await simulatorWithCustomer();
    sim = s.sim;
    customer = s;
  });
  after(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses ESPM’s live web services with exit 2, before any request', async () => {
    // Every socket the process opens is written down: there must be none.
    const sockets = join(dir, 'sockets.log');
    const preload = join(dir, 'no-sockets.mjs');
    writeFileSync(
      preload,
      `import net from 'node:net'; import { appendFileSync } from 'node:fs';
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { appendFileSync(${JSON.stringify(sockets)}, JSON.stringify(args[0]) + '\\n'); return connect.apply(this, args); };`,
    );
    for (const url of [
      'https://portfoliomanager.energystar.gov/ws/',
      'https://PortfolioManager.EnergyStar.gov/ws',
    ]) {
      const r = await run(['rehearse', '--customer-username', customer.username, '--customer-side', 'api'], {
        PRELOAD: preload,
        ESPM_BASE_URL: url,
        ESPM_USERNAME: 'utility',
        ESPM_PASSWORD: 'secret',
        ESPM_TEST_CUSTOMER_PASSWORD: customer.password,
      });
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /live environment/);
    }
    assert.equal(existsSync(sockets), false, existsSync(sockets) ? readFileSync(sockets, 'utf8') : '');
  });

  it('plays the guide against the simulator, writes its report and exits 0, never opening the configured store', async () => {
    const report = join(dir, 'report.html');
    const passwordFile = join(dir, 'customer-password');
    writeFileSync(passwordFile, `${customer.password}\n`);
    const r = await run(
      [
        'rehearse',
        '--customer-username',
        customer.username,
        '--customer-side',
        'api',
        '--report',
        report,
        '--language',
        'en',
      ],
      {
        ESPM_BASE_URL: sim.testUrl,
        ESPM_USERNAME: sim.provider.username,
        ESPM_PASSWORD: sim.provider.password,
        ESPM_TEST_CUSTOMER_PASSWORD_FILE: passwordFile,
        // The production store: the rehearsal must not touch it (nothing listens there).
        DATABASE_URL: 'postgres://production@127.0.0.1:1/gateway',
      },
    );
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    assert.match(r.out, /passed +Clean-up: unshare and disconnect/);
    const page = readFileSync(report, 'utf8');
    assert.match(page, /Every step passed/);
    assert.equal(page.includes(customer.password), false);
    assert.equal(page.includes(sim.provider.password), false);
  });

  it('exits 1 when a step fails, and says which in the report', async () => {
    const report = join(dir, 'failed.html');
    const r = await run(
      ['rehearse', '--customer-username', customer.username, '--customer-side', 'api', '--report', report],
      {
        ESPM_BASE_URL: sim.testUrl,
        ESPM_USERNAME: sim.provider.username,
        ESPM_PASSWORD: sim.provider.password,
        ESPM_TEST_CUSTOMER_PASSWORD: 'not-the-password',
      },
    );
    assert.equal(r.code, 1, `${r.out}\n${r.err}`);
    assert.match(r.out, /failed +Propriété et compteurs/);
    assert.match(readFileSync(report, 'utf8'), /Des étapes ont échoué/);
  });

  it('tells what is wrong with the command, exit 2', async () => {
    const r = await run(['rehearse'], {});
    assert.equal(r.code, 2);
    assert.match(r.err, /--customer-username/);
    const side = await run(['rehearse', '--customer-username', 'x', '--customer-side', 'robot'], {});
    assert.equal(side.code, 2);
    assert.match(side.err, /browser, api, person/);
  });
});
