// Every ESPM path goes through espmRoute: it counts the call, applies faults to the provider's calls,
// authenticates, runs the handler, and answers XML, turning any refusal into ESPM's error envelope.
// Handlers only compute an XmlReply, which keeps them free of HTTP details.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import type { XmlElement } from '../espm.ts';
import { buildErrorResponse, parseDocument, validateAgainstXsd, XmlDocumentError } from '../espm.ts';
import { MESSAGES, SimError } from '../errors.ts';
import type { AccountRecord } from '../state/model.ts';
import { authenticate, claimsProvider } from './auth.ts';
import type { SimContext } from './context.ts';
import type { FaultDecision } from './faults.ts';
import type { CallerKind, FaultKind } from './request-counter.ts';

/** provider: the provider only; customer: any other account; account: either; anonymous: no login. */
export type Role = 'provider' | 'customer' | 'account' | 'anonymous';

export interface EspmCall {
  /** The authenticated account (absent only on anonymous routes). */
  caller: AccountRecord;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: string;
}

export interface XmlReply {
  status?: number;
  body: string;
  headers?: Record<string, string>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const PASS: FaultDecision = { kind: 'pass', latencyMs: 0, malformed: false, timeoutAfter: false };

export function errorReply(e: SimError): XmlReply {
  return { status: e.status, body: buildErrorResponse(e.errors), headers: e.headers };
}

export function toErrorReply(e: unknown, log: FastifyRequest['log']): XmlReply {
  if (e instanceof SimError) return errorReply(e);
  log.error(e);
  return errorReply(new SimError(500, MESSAGES.serverError));
}

function firstValues(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    out[k] = Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
  }
  return out;
}

function authorize(sim: SimContext, req: FastifyRequest, role: Role): AccountRecord | undefined {
  if (role === 'anonymous') return undefined;
  const caller = authenticate(sim.store, req.headers.authorization);
  if (!caller)
    throw new SimError(401, MESSAGES.unauthorized, { 'WWW-Authenticate': 'Basic realm="ESPM simulator"' });
  if (role === 'provider' && !caller.isProvider) throw new SimError(403, MESSAGES.providerOnly);
  if (role === 'customer' && caller.isProvider) {
    throw new SimError(403, 'Access Denied: this call is made by a customer account, not the provider.');
  }
  return caller;
}

function hang(
  sim: SimContext,
  req: FastifyRequest,
  reply: FastifyReply,
  who: CallerKind,
  routeKey: string,
  fault?: FaultKind,
): void {
  reply.hijack();
  const socket = req.raw.socket;
  if (socket) {
    sim.hung.add(socket);
    socket.once('close', () => sim.hung.delete(socket));
  }
  sim.counter.record(who, routeKey, 'timeout', fault);
}

/** Cuts an answer in the middle: the root element is never closed, so no parser accepts it. */
function malformed(body: string): string {
  return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}

export function espmRoute(
  app: FastifyInstance,
  sim: SimContext,
  method: Method,
  path: string,
  role: Role,
  handler: (call: EspmCall) => XmlReply | Promise<XmlReply>,
): void {
  const routeKey = `${method} ${path}`;
  app.route({
    method,
    url: path,
    handler: async (req, reply) => {
      const who: CallerKind = claimsProvider(sim.store, req.headers.authorization) ? 'provider' : 'others';
      const decision = who === 'provider' && sim.faults.applies(routeKey) ? sim.faults.decide() : PASS;
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      if (decision.kind === 'timeout') return hang(sim, req, reply, who, routeKey, 'timeout-before');
      let out: XmlReply;
      let fault: FaultKind | undefined;
      if (decision.kind === 'reject') {
        out = errorReply(decision.error);
        fault = decision.fault;
      } else {
        try {
          const caller = authorize(sim, req, role);
          out = await handler({
            caller: caller!,
            params: (req.params ?? {}) as Record<string, string>,
            query: firstValues(req.query),
            body: typeof req.body === 'string' ? req.body : '',
          });
        } catch (e) {
          out = toErrorReply(e, req.log);
        }
        if (decision.timeoutAfter) return hang(sim, req, reply, who, routeKey, 'timeout-after');
        if (decision.malformed) {
          out = { ...out, body: malformed(out.body) };
          fault = 'malformed';
        }
      }
      const status = out.status ?? 200;
      sim.counter.record(who, routeKey, status, fault);
      sim.observe?.({ routeKey, status, body: out.body, contentType: 'application/xml' });
      return reply
        .code(status)
        .headers(out.headers ?? {})
        .type('application/xml')
        .send(out.body);
    },
  });
}

/**
 * Reads a request document (any failure of its form is ESPM's -100): well-formed, of the expected root, optionally prechecked (so a business
 * rule can name a bad entry before the schema would reject the whole document), valid against ESPM's
 * XSD, and finally decoded by the ESPM codec.
 */
export async function readDocument<T>(
  sim: SimContext,
  body: string,
  root: string,
  decode: (xml: string) => T,
  precheck?: (element: XmlElement) => void,
): Promise<T> {
  if (!body.trim()) throw SimError.schema(`The request needs a <${root}> XML document as its body.`);
  let element: XmlElement;
  try {
    element = parseDocument(body, root);
  } catch (e) {
    throw SimError.schema(
      `The request body is not a well-formed <${root}> document: ${(e as Error).message}`,
    );
  }
  precheck?.(element);
  if (sim.validateRequests) {
    const result = await validateAgainstXsd(body, root);
    if (!result.valid) {
      throw SimError.schema(
        `The <${root}> document is not valid against ESPM's schema: ${result.errors.slice(0, 3).join(' | ')}`,
      );
    }
  }
  try {
    return decode(body);
  } catch (e) {
    // With the XSD check off, the codec is what finds a document the schema would refuse.
    if (e instanceof XmlDocumentError || e instanceof RangeError) throw SimError.schema(e.message);
    throw e;
  }
}
