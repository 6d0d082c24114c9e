// The last line of defence of `serve`: an error that no code handled is logged, with the reference of
// the request it came from, and never ends the process silently.
// - A promise rejected with no handler: whatever awaited nothing of it has already gone on; the
//   rejection changed no state anyone holds, so the process keeps serving (the log line is at error
//   level, and the code that left the promise alone is a bug to fix: lint forbids the known shapes).
// - An exception thrown out of a callback: the callback stopped half-way through whatever it was
//   changing, so going on is not safe. The line is logged at fatal level and the process exits with
//   status 70; systemd starts it again, and leases and unfinished sends are settled as after a crash.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

const requestScope = new AsyncLocalStorage<string>();

/** The id (Fastify's request id, shown on error pages as the reference) of the request being served. */
export function requestReference(): string | undefined {
  return requestScope.getStore();
}

/** Runs each request, from its first hook to its answer, inside its reference's scope. */
export function scopeRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (req, _reply, done) => requestScope.run(req.id, done));
  // Reading a body continues in the socket's scope: the request's is taken back before the handler.
  app.addHook('preHandler', (req, _reply, done) => requestScope.run(req.id, done));
}

export interface SafetyNet {
  remove(): void;
}

export function installSafetyNet(
  log: FastifyBaseLogger,
  exit: (code: number) => void = process.exit,
): SafetyNet {
  const onRejection = (reason: unknown): void => {
    log.error(
      { event: 'unhandled-rejection', reqId: requestReference(), err: reason },
      'a promise was rejected with no handler; still serving',
    );
  };
  const onException = (error: Error): void => {
    log.fatal(
      { event: 'uncaught-exception', reqId: requestReference(), err: error },
      'uncaught exception; stopping (not safe to go on)',
    );
    exit(70);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    remove() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}
