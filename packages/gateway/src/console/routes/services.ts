// Running a scheduler queue now ("Exécuter maintenant" on the home page): through the job queue under
// serve, else right in the request.
import type { FastifyInstance } from 'fastify';
import { runCycle } from '../../exchange/cycle.ts';
import type { QueueName } from '../../jobs/queues.ts';
import { QUEUE_SERVICES, QUEUES } from '../../jobs/queues.ts';
import { writeLog } from '../../log/gateway-log.ts';
import type { ConsoleFlash } from '../../store/schema.ts';
import type { ConsoleDeps } from '../context.ts';
import { sessionOf, stateOf } from '../context.ts';
import { serviceName, translator } from '../i18n/index.ts';
import { confirmedAction } from './confirm-route.ts';
import { params } from './params.ts';

const QUEUE = { params: params({ queue: { type: 'string', enum: QUEUES } }) };

export async function serviceRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  confirmedAction<{ queue: QueueName }, QueueName>(app, deps, '/services/:queue/relancer', {
    role: 'operator',
    schema: QUEUE,
    find: async (req) => req.params.queue,
    ask: (queue, v) => ({
      question: 'run',
      params: { queue: v.t(`queue.${queue}`) },
      helpParams: { services: QUEUE_SERVICES[queue].map((x) => serviceName(v.lang, x)).join(', ') },
      action: `/services/${queue}/relancer`,
      cancel: '/',
    }),
    run: (queue, req) =>
      runQueue(deps, queue, sessionOf(req).username, translator(stateOf(req).lang)(`queue.${queue}`)),
  });
}

async function runQueue(
  deps: ConsoleDeps,
  queue: QueueName,
  operator: string,
  label: string,
): Promise<ConsoleFlash> {
  const { db } = deps.gateway.ctx;
  if (deps.scheduler) {
    await deps.scheduler.trigger(queue);
    await writeLog(db, {
      service: 'Operator',
      subject: queue,
      event: { kind: 'run-requested', queue },
      operator,
    });
    return { kind: 'ok', key: 'flash.runRequested', params: { queue: label } };
  }
  const report = await runCycle(deps.gateway.ctx, [...QUEUE_SERVICES[queue]]);
  const failed = report.services.filter((s) => !s.ok);
  await writeLog(db, {
    service: 'Operator',
    subject: queue,
    event: {
      kind: 'run-done',
      queue,
      failures: failed.map((s) => ({ service: s.service, error: s.error ?? '' })),
    },
    operator,
  });
  if (report.fatal || failed.length) {
    return {
      kind: 'error',
      key: 'flash.runFailed',
      params: { error: report.fatal ?? failed.map((s) => s.error).join('; ') },
    };
  }
  return { kind: 'ok', key: 'flash.runDone', params: { queue: label } };
}
