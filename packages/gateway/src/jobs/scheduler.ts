// Runs the services on a schedule through pg-boss, so that several instances on one database share
// the work. Each queue is "short": at most one job waits, whichever instance is free takes it, and a job
// left active by an instance that died blocks nothing. What must not run twice at once is guarded by
// leases (exchange/leases.ts): a service step runs in one process at a time (another instance's job
// skips it), and the consumption run leases each link, so two instances' runs share the links.
import PgBoss from 'pg-boss';
import type { ExchangeContext } from '../exchange/context.ts';
import { runCycle } from '../exchange/cycle.ts';
import type { Store } from '../store/database.ts';
import type { QueueName } from './queues.ts';
import { QUEUES, QUEUE_SERVICES } from './queues.ts';

export interface Schedule {
  /** Pending connections, property shares and meter shares. */
  requestsEverySeconds: number;
  notificationsEverySeconds: number;
  /** Consumption also runs right after each billing import. */
  consumptionEverySeconds: number;
}

export interface Scheduler {
  /** Asks for a run of a queue now (deduplicated with one already waiting). */
  trigger(queue: QueueName): Promise<void>;
  stop(): Promise<void>;
  /** For /readyz: the job engine started and is not stopping (observability). */
  isReady?(): boolean;
  /** Jobs waiting per queue, for the metrics (observability). */
  queueSizes?(): Promise<Record<QueueName, number>>;
}

export async function startScheduler(
  store: Store,
  databaseUrl: string | undefined,
  ctx: ExchangeContext,
  schedule: Schedule,
  onError: (e: Error) => void,
  options: { shutdownTimeoutMs?: number } = {},
): Promise<Scheduler> {
  const boss = new PgBoss({
    ...(databaseUrl
      ? { connectionString: databaseUrl }
      : { db: { executeSql: store.executeSql as PgBoss.Db['executeSql'] } }),
    schema: 'pgboss',
    supervise: true,
    schedule: false,
  });
  boss.on('error', onError);
  await boss.start();
  let running = true; // observability: isReady()
  boss.on('stopped', () => (running = false));
  try {
    for (const queue of QUEUES) {
      const queueOptions = { name: queue, policy: 'short', retryLimit: 0, expireInSeconds: 3600 } as const;
      // Instances starting together create the queues together: PostgreSQL may pick one as a deadlock
      // victim, which tries again.
      await retryingDeadlocks(async () => {
        await boss.createQueue(queue, queueOptions);
        const existing = await boss.getQueue(queue);
        // A database made when the queues were "stately".
        if (existing?.policy !== queueOptions.policy) await boss.updateQueue(queue, queueOptions);
      });
    }
  } catch (e) {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    throw e;
  }
  for (const queue of QUEUES) {
    await boss.work(queue, { pollingIntervalSeconds: 2 }, async () => {
      const report = await runCycle(ctx, QUEUE_SERVICES[queue]);
      if (report.fatal) throw new Error(report.fatal);
    });
  }
  const every: Record<QueueName, number> = {
    'espm-requests': schedule.requestsEverySeconds,
    'espm-notifications': schedule.notificationsEverySeconds,
    'espm-consumption': schedule.consumptionEverySeconds,
  };
  const timers = QUEUES.map((queue) => {
    const send = (): void => void boss.send(queue, {}).catch(onError);
    send();
    return setInterval(send, every[queue] * 1000);
  });
  return {
    trigger: async (queue) => {
      await boss.send(queue, {});
    },
    isReady: () => running,
    queueSizes: async () =>
      Object.fromEntries(
        await Promise.all(QUEUES.map(async (q) => [q, await boss.getQueueSize(q)])),
      ) as Record<QueueName, number>,
    stop: async () => {
      running = false;
      for (const t of timers) clearInterval(t);
      // No new job is fetched; the one in hand has up to the timeout to finish.
      await boss.stop({ graceful: true, wait: true, timeout: options.shutdownTimeoutMs ?? 30_000 });
    },
  };
}

async function retryingDeadlocks(step: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (e) {
      if (attempt >= 8 || (e as { code?: string }).code !== '40P01') throw e;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 200));
    }
  }
}
