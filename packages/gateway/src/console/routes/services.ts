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
import { act } from '../flash.ts';
import { serviceName, translator } from '../i18n/index.ts';
import { confirmRoute } from './confirm-route.ts';
import { params } from './params.ts';

const QUEUE = { params: params({ queue: { type: 'string', enum: QUEUES } }) };

export async function serviceRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  confirmRoute<{ queue: QueueName }>(
    app,
    '/services/:queue/relancer',
    { role: 'operator', schema: QUEUE },
    (req, v) => ({
      question: 'run',
      params: { queue: v.t(`queue.${req.params.queue}`) },
      helpParams: {
        services: QUEUE_SERVICES[req.params.queue].map((x) => serviceName(v.lang, x)).join(', '),
      },
      action: `/services/${req.params.queue}/relancer`,
      cancel: '/',
    }),
  );

  app.post<{ Params: { queue: QueueName } }>(
    '/services/:queue/relancer',
    { schema: QUEUE },
    async (req, reply) => {
      const queue = req.params.queue;
      const operator = sessionOf(req).username;
      const label = translator(stateOf(req).lang)(`queue.${queue}`);
      return act(deps, req, reply, '/', `/services/${queue}/relancer`, () =>
        runQueue(deps, queue, operator, label),
      );
    },
  );
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
