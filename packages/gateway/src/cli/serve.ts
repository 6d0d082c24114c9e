// `serve`: the scheduled services and the HTTP endpoints, until SIGINT or SIGTERM.
import { loadConfig } from '../config/config.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { openGateway } from '../runtime.ts';
import { buildHttpServer } from '../http/server.ts';

export async function serve(): Promise<number> {
  const config = loadConfig();
  const gateway = await openGateway(config);
  const scheduler = await startScheduler(
    gateway.store,
    config.databaseUrl,
    gateway.ctx,
    config.schedule,
    (e) => process.stderr.write(`job engine: ${e.message}\n`),
  );
  const app = await buildHttpServer({ gateway, config, scheduler, operate: true }); // operate: logs, alerts, retention
  const address = await app.listen({ host: config.http.host, port: config.http.port });
  process.stdout.write(`gateway listening on ${address}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  await scheduler.stop();
  await gateway.close();
  return 0;
}
