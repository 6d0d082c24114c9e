// Facturation: the latest billing imports, one import's rejected lines, and a billing file sent from
// the browser (multipart: the CSRF token is checked here once the form's fields are read).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { ConsoleFlash } from '../../store/schema.ts';
import { tokensMatch } from '../auth/sessions.ts';
import type { BillingImporter, ConsoleDeps } from '../context.ts';
import { notFound, sendPage, sessionOf, stateOf, viewOf } from '../context.ts';
import { importProblemText } from '../../billing/reason-text.ts';
import { flashAndGo } from '../flash.ts';
import { billingPage, importPage } from '../pages/billing.ts';
import { errorPage } from '../pages/misc.ts';
import { importDetail, recentImports } from '../queries/billing.ts';
import { int, int4Id, params } from './params.ts';

export async function billingRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, maxUploadBytes } = deps;

  app.get('/facturation', async (req, reply) =>
    sendPage(reply, billingPage(viewOf(req), await recentImports(db))),
  );

  const importSchema = { params: params({ id: int4Id }) };
  app.get<{ Params: { id: string } }>('/facturation/:id', { schema: importSchema }, async (req, reply) => {
    const data = await importDetail(db, int(req.params.id));
    if (!data) return notFound(req, reply);
    return sendPage(reply, importPage(viewOf(req), data));
  });

  app.post('/facturation', { config: { multipart: true } }, async (req, reply) => {
    const session = sessionOf(req);
    const csrfRefused = () => sendPage(reply, errorPage(viewOf(req), 'error.csrfTitle', 'error.csrf'), 403);
    if (!req.isMultipart()) return csrfRefused();
    const go = (flash: ConsoleFlash, to = '/facturation') => flashAndGo(deps, req, reply, flash, to);
    const fields: Record<string, string> = {};
    let dir: string | undefined;
    let saved: string | undefined;
    let originalName = '';
    try {
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            originalName = basename(part.filename || '').slice(0, 200);
            if (!originalName) {
              part.file.resume();
              continue;
            }
            dir = await mkdtemp(join(tmpdir(), 'gw-console-'));
            saved = join(dir, 'upload.csv');
            await pipeline(part.file, createWriteStream(saved));
          } else if (typeof part.value === 'string') {
            fields[part.fieldname] = part.value;
          }
        }
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          if (!tokensMatch(session.csrf, fields._csrf)) throw e;
          return await go({
            kind: 'error',
            key: 'flash.fileTooLarge',
            params: { mb: Math.round(maxUploadBytes / 1048576) },
          });
        }
        throw e;
      }
      if (!tokensMatch(session.csrf, fields._csrf)) return csrfRefused();
      if (!saved) return await go({ kind: 'error', key: 'flash.noFile' });
      if (fields.confirm !== 'yes') return await go({ kind: 'error', key: 'flash.notConfirmed' });
      let report: Awaited<ReturnType<BillingImporter>>;
      try {
        // The services' connections: an import's statements are not bounded like a page's reads.
        report = await deps.importBilling(deps.gateway.store.db, saved, {
          source: 'console',
          fileName: originalName,
          operator: session.username,
        });
      } catch (e) {
        req.log.error(e);
        return await go({ kind: 'error', key: 'flash.importFailed', params: { ref: req.id } });
      }
      // The rows and their changes are stored: a lost signal only delays the readers to their next look.
      if (deps.onBillingChanged && report.rowsImported > 0) {
        await deps.onBillingChanged().catch((e: unknown) => req.log.error(e));
      }
      const flash: ConsoleFlash = report.problem
        ? {
            kind: 'error',
            key: 'flash.importRefused',
            params: { error: importProblemText(stateOf(req).lang, report.problem) },
          }
        : {
            kind: report.rowsRejected ? 'warn' : 'ok',
            key: 'flash.imported',
            params: {
              imported: report.rowsImported,
              unchanged: report.rowsUnchanged,
              rejected: report.rowsRejected,
            },
          };
      return await go(flash, `/facturation/${report.importId}`);
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  });
}
