import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { cliEnvironment } from './cli-environment.ts';

describe('the environment lines the demo prints for the CLI', () => {
  it('give the shell the demo’s data directory and the simulator’s address and provider credentials, whatever they hold', () => {
    const demo = {
      dataDir: "/home/o'brien/demo data/$HOME",
      espm: { baseUrl: 'http://127.0.0.1:8181/ws/', username: 'provider', password: `p"a$s'w\`d !` },
    };
    const lines = cliEnvironment(demo);
    assert.deepEqual(
      lines.map((l) => l.split('=')[0]),
      ['export GATEWAY_DATA_DIR', 'export ESPM_BASE_URL', 'export ESPM_USERNAME', 'export ESPM_PASSWORD'],
    );
    const script = `${lines.join('\n')}\nprintf '%s\\n' "$GATEWAY_DATA_DIR" "$ESPM_BASE_URL" "$ESPM_USERNAME" "$ESPM_PASSWORD"`;
    const printed = execFileSync('sh', ['-c', script], { env: { HOME: '/nowhere' } }).toString();
    assert.equal(
      printed,
      [demo.dataDir, demo.espm.baseUrl, demo.espm.username, demo.espm.password].join('\n') + '\n',
    );
  });
});
