// `serve` stops within GATEWAY_SHUTDOWN_TIMEOUT_SECONDS of SIGTERM even while an ESPM call hangs (ESPM
// never answers): systemd waits 45 s before it kills, and ESPM's own timeout is 60 s.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { spawnGateway, storeForProcesses } from '../../test-support/gateway-process.ts';
import { startLocalSimulator } from '../../test-support/local-simulator.ts';

const SHUTDOWN_SECONDS = 3;

describe('serve stopping while an ESPM call hangs', () => {
  let sim: Simulator;
  let store: { env: Record<string, string>; drop: () => Promise<void> };

  before(async () => {
    sim = await startLocalSimulator();
    store = await storeForProcesses('serve-stop-');
  });
  after(async () => {
    await sim.close();
    await store.drop();
  });

  it(`exits within GATEWAY_SHUTDOWN_TIMEOUT_SECONDS (${SHUTDOWN_SECONDS} s) of SIGTERM`, async () => {
    // Every provider call is left unanswered, as a hung ESPM would.
    sim.setFaults({ timeoutRate: 1 });
    const serve = spawnGateway(sim, ['serve'], {
      ...store.env,
      ESPM_TIMEOUT_MS: '60000',
      GATEWAY_SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_SECONDS),
    });
    try {
      const deadline = Date.now() + 60_000;
      while (!(sim.requests().provider.total > 0)) {
        assert.ok(Date.now() < deadline, `no ESPM call: ${serve.output}`);
        assert.equal(serve.child.exitCode, null, serve.output);
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500)); // the call is in flight
      const signalled = Date.now();
      serve.child.kill('SIGTERM');
      const code = await serve.exited;
      const seconds = (Date.now() - signalled) / 1000;
      process.stdout.write(`# serve stopped ${seconds.toFixed(1)} s after SIGTERM, exit ${code}\n`);
      assert.equal(code, 0, serve.output);
      assert.ok(seconds <= SHUTDOWN_SECONDS + 2, `stopped ${seconds} s after SIGTERM`);
    } finally {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
      sim.clearFaults();
    }
  });
});
