// `serve`: the scheduled services and the HTTP endpoints, until SIGINT or SIGTERM. Several instances may
// serve from one PostgreSQL database: they share the jobs (pg-boss) and lease what must not run twice.
//
// On the first SIGTERM/SIGINT no new job is taken and the job in hand may finish; a second before
// GATEWAY_SHUTDOWN_TIMEOUT_SECONDS (30 s) have passed, every ESPM call still in flight or waiting is
// stopped (the job ends, what it left half-done is settled by whoever runs next), this process's leases
// are released (another instance takes the rest at once), then HTTP and the store close. The process
// is gone by the timeout whatever is still open (systemd kills at 45 s). A second signal exits at once.
import { loadConfig, loadCoordinationConfig } from '../config/config.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { openGateway } from '../runtime.ts';
import { installSafetyNet } from '../http/safety-net.ts';
import { buildHttpServer } from '../http/server.ts';
// Counts what the channels of events.ts report from the start, for /metrics (only serve has it).
import '../observability/metrics.ts';

/** Of the shutdown timeout, what is kept for closing after the ESPM calls are stopped. */
const CLOSING_MS = 1000;

export async function serve(): Promise<number> {
  const config = loadConfig();
  const coordination = loadCoordinationConfig();
  const shutdownMs = coordination.shutdownTimeoutSeconds * 1000;
  const jobsMs = Math.max(0, shutdownMs - CLOSING_MS);
  const gateway = await openGateway(config, { leases: { seconds: coordination.leaseSeconds } });
  // Without its job engine the instance does not serve: it closes what it opened, so that the process ends.
  const scheduler = await startScheduler(
    gateway.store,
    config.databaseUrl,
    gateway.ctx,
    config.schedule,
    (e) => process.stderr.write(`job engine: ${e.message}\n`),
    { shutdownTimeoutMs: jobsMs },
  ).catch(async (e: unknown) => {
    await gateway.close();
    throw e;
  });
  const app = await buildHttpServer({ gateway, config, scheduler, operate: true }); // operate: logs, alerts, retention
  const safetyNet = installSafetyNet(app.log);
  const address = await app.listen({ host: config.http.host, port: config.http.port });
  process.stdout.write(`gateway listening on ${address}\n`);
  const signalled = await new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (++signals > 1) {
        process.stderr.write(`${signal} again: exiting now\n`);
        process.exit(130);
      }
      process.stdout.write(
        `${signal}: stopping within ${coordination.shutdownTimeoutSeconds} s (the job in hand may finish; a second signal exits now)\n`,
      );
      resolve(Date.now());
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  // Whatever is still open at the timeout (a socket, a timer of a job cut off) is not waited for.
  const exit = (): never => process.exit(process.exitCode ?? 0);
  setTimeout(exit, shutdownMs).unref();
  // The job in hand ends at once when its ESPM calls are stopped.
  const stopCalls = setTimeout(() => gateway.espm.stop(), Math.max(0, signalled + jobsMs - Date.now()));
  await scheduler.stop();
  gateway.espm.stop();
  clearTimeout(stopCalls);
  await gateway.ctx.leases?.releaseAll();
  await app.close();
  await gateway.close();
  safetyNet.remove();
  // Closed: only what a job cut off left open could keep the process, and the logs need a moment.
  setTimeout(exit, Math.min(500, Math.max(0, signalled + shutdownMs - Date.now()))).unref();
  return 0;
}
