// The embedded store's server as processes meet it: several opening a fresh data directory at once
// (one cluster, one server, one schema), the server stopping with its last user and starting again for
// the next, a server left running by a process killed with -9 joined by the next one, and the refusals
// that say what to do.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore } from './database.ts';
import { clusterDirOf } from './embedded-server.ts';
import { migrations } from './migrations/index.ts';

const postmasterPid = (dataDir: string): number | undefined => {
  try {
    return Number(readFileSync(join(clusterDirOf(dataDir), 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
};

async function stopped(dataDir: string): Promise<boolean> {
  for (let i = 0; i < 200 && postmasterPid(dataDir) !== undefined; i++)
    await new Promise((r) => setTimeout(r, 50));
  return postmasterPid(dataDir) === undefined;
}

describe('the embedded store server', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-embedded-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('opened three times at once on a fresh directory: one cluster, one server, the schema once; stops with the last', async () => {
    const dataDir = join(dir, 'fresh');
    const stores = await Promise.all([1, 2, 3].map(() => openStore({ dataDir })));
    try {
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        stores[2]!.db,
      );
      assert.deepEqual(
        rows.map((r) => r.name),
        Object.keys(migrations),
      );
      // What one writes the others read at once: one server, not three copies.
      await stores[0]!.db
        .insertInto('console_operator')
        .values({
          username: 'alice',
          display_name: 'Alice',
          role: 'viewer',
          password_hash: 'x',
          updated_at: new Date(),
        })
        .execute();
      const seen = await stores[1]!.db.selectFrom('console_operator').select('username').execute();
      assert.deepEqual(seen, [{ username: 'alice' }]);
      assert.deepEqual(readdirSync(dataDir).sort(), ['postgres', 'postgres.log']);
    } finally {
      await stores[0]!.close();
      await stores[1]!.close();
    }
    assert.ok(postmasterPid(dataDir), 'still running for the third store');
    await stores[2]!.close();
    assert.ok(await stopped(dataDir), 'stopped with its last user');

    const again = await openStore({ dataDir });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from console_operator`.execute(
      again.db,
    );
    assert.equal(rows[0]!.n, 1);
    await again.close();
    assert.ok(await stopped(dataDir));
  });

  it('a server left by a process killed with -9 is joined by the next one, which stops it', async () => {
    const dataDir = join(dir, 'killed');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { openStore } from ${JSON.stringify(new URL('./database.ts', import.meta.url).href)};
         await openStore({ dataDir: ${JSON.stringify(dataDir)} }); console.log('open'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => d.toString().includes('open') && resolve()),
    );
    const pid = postmasterPid(dataDir);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.equal(postmasterPid(dataDir), pid, 'the server outlives the process that started it');

    const next = await openStore({ dataDir });
    assert.equal(postmasterPid(dataDir), pid, 'joined, not restarted');
    await next.close();
    assert.ok(await stopped(dataDir));
  });

  it('refuses a directory holding an earlier version’s PGlite store, saying what to do', async () => {
    const dataDir = join(dir, 'earlier');
    mkdirSync(join(dataDir, 'pg'), { recursive: true });
    writeFileSync(join(dataDir, 'pg', 'PG_VERSION'), '17\n');
    await assert.rejects(openStore({ dataDir }), /earlier version of the gateway \(PGlite.*move .* away/);
    assert.ok(!existsSync(clusterDirOf(dataDir)));
  });
});
