// `npm start` as a new user runs it, then the CLI pointed at the demo with the lines the demo printed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { request } from 'undici';
import { builtCli } from '@gaz-espm/gateway/testing/built-cli';

const DEMO = fileURLToPath(new URL('./main.ts', import.meta.url));
const CLI = builtCli();

describe('npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-demo-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints ready-to-paste lines that point the CLI at the demo’s store and simulator', async () => {
    const demo = spawn(process.execPath, ['--import', 'tsx', DEMO], {
      env: {
        PATH: process.env.PATH ?? '',
        GATEWAY_DATA_DIR: join(dir, 'demo'),
        DEMO_SIMULATOR_PORT: '0',
        GATEWAY_PORT: '0',
      },
    });
    let out = '';
    let err = '';
    demo.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => demo.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      demo.stdout.on('data', (d) => {
        out += d;
        if (out.includes('Stop with Ctrl+C.')) resolve();
      });
      void exited.then(() => reject(new Error(`the demo ended: ${err}`)));
    });
    const exports = out.split('\n').filter((l) => /^\s+export [A-Z_]+=/.test(l));
    const vars = Object.fromEntries(
      exports.map((l) => {
        const m = /export ([A-Z_]+)='(.*)'$/.exec(l.trim())!;
        return [m[1]!, m[2]!];
      }),
    );
    assert.deepEqual(Object.keys(vars), [
      'GATEWAY_DATA_DIR',
      'ESPM_BASE_URL',
      'ESPM_USERNAME',
      'ESPM_PASSWORD',
    ]);
    assert.equal(vars.GATEWAY_DATA_DIR, join(dir, 'demo'));

    // The simulator takes the provider credentials printed (and refuses others).
    const auth = (password: string) =>
      `Basic ${Buffer.from(`${vars.ESPM_USERNAME}:${password}`).toString('base64')}`;
    const listed = await request(`${vars.ESPM_BASE_URL}customer/list`, {
      headers: { authorization: auth(vars.ESPM_PASSWORD!) },
    });
    assert.equal(listed.statusCode, 200, await listed.body.text());
    const refused = await request(`${vars.ESPM_BASE_URL}customer/list`, {
      headers: { authorization: auth('not-the-password') },
    });
    await refused.body.dump();
    assert.equal(refused.statusCode, 401);

    demo.kill('SIGINT');
    assert.equal(await exited, 0, err);

    // Pasted in another shell, the lines give the CLI the demo's store: it finds the demo's operator.
    const cli = spawn(
      'sh',
      ['-c', `${exports.join('\n')}\nexec "$0" "$1" operator list`, process.execPath, CLI],
      {
        env: { PATH: process.env.PATH ?? '' },
      },
    );
    let listedOperators = '';
    cli.stdout.on('data', (d) => (listedOperators += d));
    cli.stderr.on('data', (d) => (listedOperators += d));
    assert.equal(await new Promise((resolve) => cli.on('close', resolve)), 0, listedOperators);
    assert.match(listedOperators, /^demo\toperator\tactive\t/m);
  });
});
