// `serve`: the scheduled services and the HTTP endpoints, until SIGINT or SIGTERM. Several instances may
// serve from one PostgreSQL database: they share the jobs (pg-boss) and lease what must not run twice.
//
// On the first SIGTERM/SIGINT no new job is taken, the job in hand may finish (GATEWAY_SHUTDOWN_TIMEOUT_SECONDS,
// 30 s), this process's leases are released (another instance takes the rest at once), then HTTP and the
// store close. A second signal exits at once; anything left half-done is settled by whoever runs next.
import { loadConfig, loadCoordinationConfig } from '../config/config.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { openGateway } from '../runtime.ts';
import { installSafetyNet } from '../http/safety-net.ts';
import { buildHttpServer } from '../http/server.ts';

export async function serve(): Promise<number> {
  const config = loadConfig();
  const coordination = loadCoordinationConfig();
  const gateway = await openGateway(config, { leases: { seconds: coordination.leaseSeconds } });
  // Without its job engine the instance does not serve: it closes what it opened, so that the process ends.
  const scheduler = await startScheduler(
    gateway.store,
    config.databaseUrl,
    gateway.ctx,
    config.schedule,
    (e) => process.stderr.write(`job engine: ${e.message}\n`),
    { shutdownTimeoutMs: coordination.shutdownTimeoutSeconds * 1000 },
  ).catch(async (e: unknown) => {
    await gateway.close();
    throw e;
  });
  const app = await buildHttpServer({ gateway, config, scheduler, operate: true }); // operate: logs, alerts, retention
  const safetyNet = installSafetyNet(app.log);
  const address = await app.listen({ host: config.http.host, port: config.http.port });
  process.stdout.write(`gateway listening on ${address}\n`);
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (++signals > 1) {
        process.stderr.write(`${signal} again: exiting now\n`);
        process.exit(130);
      }
      process.stdout.write(`${signal}: stopping (the job in hand may finish; a second signal exits now)\n`);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await scheduler.stop();
  await gateway.ctx.leases?.releaseAll();
  await app.close();
  await gateway.close();
  safetyNet.remove();
  // A job cut off by the timeout may still hold a socket or a timer: do not wait for it.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
  return 0;
}
