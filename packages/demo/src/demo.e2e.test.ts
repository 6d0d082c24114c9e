// `npm start` as a new user runs it, then the CLI pointed at the demo with the lines the demo printed;
// meanwhile the building's page as its welcome text announces it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { request } from 'undici';
import { builtCli } from '@gaz-espm/gateway/testing/built-cli';
import { csrfOf } from '@gaz-espm/gateway/testing/console-client';

const DEMO = fileURLToPath(new URL('./main.ts', import.meta.url));
const CLI = builtCli();

describe('npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-demo-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints ready-to-paste lines that point the CLI at the demo’s store and simulator, and shows a withheld revision and a lapsed renewal on its building', async (t) => {
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
    // A failed assertion must not leave the demo (and its embedded PostgreSQL) running.
    t.after(async () => {
      if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGINT');
      await exited;
    });
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

    // Once the building's months are written: a revision withheld for privacy, and a lapsed renewal.
    await new Promise<void>((resolve, reject) => {
      const seen = () => out.includes('paused until an operator renews it');
      if (seen()) resolve();
      demo.stdout.on('data', () => seen() && resolve());
      void exited.then(() => reject(new Error(`the demo ended: ${err}`)));
    });
    const consoleUrl = /^Console \(FR\/EN\):\s+(\S+?)\/?$/m.exec(out)![1]!;
    const password = /^\s+password:\s+(\S+)$/m.exec(out)![1]!;
    const building = await signedInPage(consoleUrl, password, '/batiments/TOUR-SHERBROOKE');
    const start = building.indexOf('id="h-revisions"');
    const withheld = building.slice(start, building.indexOf('</section>', start));
    assert.match(withheld, /<td class="nowrap">\d{4}-\d{2}<\/td>/);
    assert.match(withheld, /Révision retenue pour la confidentialité : trop peu de clients/);
    assert.match(building, /Renouvellement échu/);
    assert.match(building, /href="\/batiments\/TOUR-SHERBROOKE\/renouveler"/);

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

/** A console page's HTML, fetched as the operator the demo printed signs in over HTTP. */
async function signedInPage(origin: string, password: string, path: string): Promise<string> {
  let cookie = '';
  const keep = (headers: Record<string, string | string[] | undefined>) => {
    const set = headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const pair = c.split(';')[0]!;
      const name = pair.split('=')[0]!;
      cookie = [...cookie.split('; ').filter((p) => p && !p.startsWith(`${name}=`)), pair].join('; ');
    }
  };
  const form = await request(`${origin}/connexion`);
  keep(form.headers);
  const signIn = await request(`${origin}/connexion`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      _csrf: csrfOf(await form.body.text()),
      username: 'demo',
      password,
    }).toString(),
  });
  await signIn.body.dump();
  assert.equal(signIn.statusCode, 303);
  keep(signIn.headers);
  const page = await request(`${origin}${path}`, { headers: { cookie } });
  assert.equal(page.statusCode, 200);
  return page.body.text();
}
