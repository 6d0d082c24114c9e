// The /sim/ control and customer-page API speaks JSON; refusals come back as {error, errors}.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MESSAGES, SimError } from '../errors.ts';
import type { AccountRecord } from '../state/model.ts';
import { authenticate } from './auth.ts';
import type { SimContext } from './context.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export function simRoute(
  app: FastifyInstance,
  method: Method,
  path: string,
  handler: (req: FastifyRequest) => unknown,
): void {
  app.route({
    method,
    url: path,
    handler: async (req, reply) => {
      try {
        const result = await handler(req);
        return reply
          .code(200)
          .type('application/json')
          .send(JSON.stringify(result ?? { ok: true }));
      } catch (e) {
        if (!(e instanceof SimError)) req.log.error(e);
        const err = e instanceof SimError ? e : new SimError(500, MESSAGES.serverError);
        return reply
          .code(err.status)
          .type('application/json')
          .send(JSON.stringify({ error: err.message, errors: err.errors.map((x) => x.errorDescription) }));
      }
    },
  });
}

/** The customer page's calls carry the customer's own Basic credentials (no browser prompt: no WWW-Authenticate). */
export function customerCaller(sim: SimContext, req: FastifyRequest): AccountRecord {
  const caller = authenticate(sim.store, req.headers.authorization);
  if (!caller) throw new SimError(401, 'Unknown username or wrong password.');
  if (caller.isProvider) throw new SimError(403, 'This page is for customer accounts, not the provider.');
  return caller;
}

export function jsonBody(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

export function str(body: Record<string, unknown>, key: string, fallback?: string): string {
  const v = body[key];
  if (v === undefined || v === null || v === '') {
    if (fallback !== undefined) return fallback;
    throw new SimError(400, `"${key}" is required.`);
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw new SimError(400, `"${key}" must be text.`);
  return String(v).trim();
}

export function obj(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = body[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
