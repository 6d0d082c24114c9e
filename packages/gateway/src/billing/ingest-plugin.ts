// POST /api/billing/rows: the billing system pushes rows as JSON, authenticated by a bearer token.
// Fastify checks the envelope; each row goes through the same validation as a CSV line.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/database.ts';
import type { BillingChanged } from './changes.ts';
import { MAX_PUSHED_ROWS, importBillingRows } from './import-billing-rows.ts';

export interface BillingIngestOptions {
  store: Pick<Store, 'db'>;
  /** The secret the billing system sends as `Authorization: Bearer <token>`. */
  token: string;
  /** Told after rows changed some period (changes.ts). */
  onChanged?: BillingChanged | undefined;
}

/** Room for 10,000 rows of about 800 bytes each, whitespace included. */
export const INGEST_BODY_LIMIT = 8 * 1024 * 1024;

const rowsBody = {
  type: 'object',
  required: ['rows'],
  properties: {
    rows: { type: 'array', maxItems: MAX_PUSHED_ROWS, items: { type: 'object' } },
  },
} as const;

export const billingIngestPlugin: FastifyPluginAsync<BillingIngestOptions> = async (
  app,
  { store, token, onChanged },
) => {
  if (!token) throw new Error('the billing ingest needs a token');
  const expected = sha256(token);
  // JSON only: Fastify's default text/plain parser would turn a mislabelled body into a string.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      return reply.code(400).send({ error: 'invalid-body', message: error.message });
    }
    const status = error.statusCode ?? 500;
    if (status === 415) {
      return reply.code(415).send({
        error: 'invalid-request',
        message: 'the body must be JSON, sent with Content-Type: application/json',
      });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'invalid-request', message: error.message });
    }
    request.log.error(error);
    return reply
      .code(500)
      .send({ error: 'internal', message: 'the rows could not be imported; nothing more was stored' });
  });

  app.post<{ Body: { rows: unknown[] } }>(
    '/api/billing/rows',
    {
      bodyLimit: INGEST_BODY_LIMIT,
      schema: { body: rowsBody },
      // Before the body is read, so an unauthenticated caller cannot make the gateway parse megabytes.
      onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
        if (!presents(request.headers.authorization, expected)) {
          return reply.code(401).header('www-authenticate', 'Bearer').send({
            error: 'unauthorized',
            message: 'a valid Authorization: Bearer <token> header is required',
          });
        }
      },
    },
    async (request) => {
      const report = await importBillingRows(store.db, request.body.rows, { source: 'http' });
      // The rows and their changes are stored: a lost signal only delays the readers to their next look.
      if (onChanged && report.rowsImported > 0) await onChanged().catch((e: unknown) => request.log.error(e));
      return report;
    },
  );
};

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares hashes, which always have the same length, so the time taken says nothing about the token. */
function presents(authorization: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '');
  return match !== null && timingSafeEqual(sha256(match[1]!), expected);
}
