// Compteurs ESPM: the meter links, one link's page and history export, and the operator's actions on a
// link (a confirmation page, then the action). Which actions a status allows, and why one is refused,
// is the exchange layer's rule (exchange/operator-actions.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MeterAction } from '../../exchange/operator-actions.ts';
import {
  availableActions,
  refusalFor,
  resolveConflict,
  resyncLink,
  revokeLinkByOperator,
} from '../../exchange/operator-actions.ts';
import { OPERATOR_UNSHARE_NOTE, noteText } from '../../exchange/notes.ts';
import { historyCsv } from '../../observability/history-export.ts';
import type { ConsoleFlash } from '../../store/schema.ts';
import type { ConsoleDeps } from '../context.ts';
import { notFound, sendPage, sessionOf, str, viewOf } from '../context.ts';
import { act, flashAndGo } from '../flash.ts';
import { html } from '../html.ts';
import { refusalText } from '../i18n/index.ts';
import { meterPage } from '../pages/meter.ts';
import { metersPage } from '../pages/meters.ts';
import { confirmPage } from '../pages/misc.ts';
import { countLinks, isListedStatus, linkOf, listLinks, meterPageData } from '../queries/meters.ts';
import { cursor } from './params.ts';

const METER_ACTIONS: readonly MeterAction[] = ['resync', 'revoke', 'keep-customer', 'replace'];

export async function meterRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway, statusCounts } = deps;

  app.get<{ Querystring: Record<string, string | undefined> }>('/compteurs', async (req, reply) => {
    const status = isListedStatus(req.query.status) ? req.query.status : undefined;
    const q = str(req.query.q).trim().slice(0, 60);
    const account = /^\d{1,20}$/.test(str(req.query.account)) ? str(req.query.account) : undefined;
    const after = cursor(req.query.after);
    const before = after === undefined ? cursor(req.query.before) : undefined;
    const offset = Math.max(0, Math.min(Number(req.query.o) || 0, 10_000_000));
    const filter = { status, q, account };
    const [data, count] = await Promise.all([
      listLinks(db, { ...filter, after, before }),
      countLinks(db, filter, await statusCounts.get(db)),
    ]);
    return sendPage(
      reply,
      metersPage(viewOf(req), { status, q, account, offset, total: count.total, capped: count.capped }, data),
    );
  });

  app.get<{ Params: { id: string } }>('/compteurs/:id', async (req, reply) => {
    const id = cursor(req.params.id);
    const data = id === undefined ? undefined : await meterPageData(db, id);
    if (!data) return notFound(req, reply);
    return sendPage(reply, meterPage(viewOf(req), data));
  });

  // The link's history as sent to ESPM, as CSV (observability/history-export.ts).
  app.get<{ Params: { id: string } }>('/compteurs/:id/historique.csv', async (req, reply) => {
    const id = cursor(req.params.id);
    const link = id === undefined ? undefined : await linkOf(db, id);
    if (!link) return notFound(req, reply);
    const { csv } = await historyCsv(db, { linkId: link.id });
    const name = `compteur-${link.espm_meter_id.replace(/[^\w-]/g, '_')}-historique.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  /** The link and action a meter action's URL names, or undefined when the reply was a 404. */
  const meterAction = async (
    req: FastifyRequest<{ Params: { id: string; action: string } }>,
    reply: FastifyReply,
  ) => {
    const id = cursor(req.params.id);
    const action = req.params.action as MeterAction;
    if (id === undefined || !METER_ACTIONS.includes(action)) return void notFound(req, reply);
    const link = await linkOf(db, id);
    if (!link) return void notFound(req, reply);
    return { link, action };
  };

  app.get<{ Params: { id: string; action: string } }>(
    '/compteurs/:id/action/:action',
    { config: { role: 'operator' } },
    async (req, reply) => {
      const found = await meterAction(req, reply);
      if (!found) return reply;
      const { link, action } = found;
      const v = viewOf(req);
      if (!availableActions(link.status).includes(action)) {
        // Shown anyway: the POST would be refused with the reason, so say it now.
        const reason = refusalText(v.lang, refusalFor(action));
        const flash: ConsoleFlash = { kind: 'error', key: 'flash.refused', params: { reason } };
        return flashAndGo(deps, req, reply, flash, `/compteurs/${link.id}`);
      }
      return sendPage(
        reply,
        confirmPage(v, {
          question: v.t(`confirm.${action}`, { meter: link.espm_meter_id }),
          help:
            action === 'revoke'
              ? html`${v.t('confirm.revokeHelp')}<span class="sub"
                    >${v.t('confirm.revokeNote')} <q class="note">${noteText(OPERATOR_UNSHARE_NOTE)}</q></span
                  >`
              : v.t(`confirm.${action}Help`),
          action: `/compteurs/${link.id}/action/${action}`,
          cancel: `/compteurs/${link.id}`,
          danger: action === 'revoke' || action === 'replace',
        }),
      );
    },
  );

  app.post<{ Params: { id: string; action: string } }>(
    '/compteurs/:id/action/:action',
    async (req, reply) => {
      const found = await meterAction(req, reply);
      if (!found) return reply;
      const { link, action } = found;
      const operator = sessionOf(req).username;
      const back = `/compteurs/${link.id}`;
      return act(deps, req, reply, back, `${back}/action/${action}`, async (): Promise<ConsoleFlash> => {
        const ctx = gateway.ctx;
        switch (action) {
          case 'resync': {
            const r = await resyncLink(ctx, link.id, operator);
            if (r.outcome === 'error')
              return { kind: 'error', key: 'flash.resync.error', params: { error: r.error ?? '' } };
            if (r.outcome === 'skipped') return { kind: 'error', key: 'flash.resync.skipped' };
            if (r.outcome === 'revoked') return { kind: 'error', key: 'flash.resync.revoked' };
            if (r.conflicts > 0)
              return { kind: 'warn', key: 'flash.resync.conflicts', params: { conflicts: r.conflicts } };
            if (r.outcome === 'nothing-to-send') return { kind: 'ok', key: 'flash.resync.nothing-to-send' };
            return {
              kind: 'ok',
              key: 'flash.resync.synced',
              params: { created: r.created + r.adopted, updated: r.updated, deleted: r.deleted },
            };
          }
          case 'revoke':
            await revokeLinkByOperator(ctx, link.id, operator);
            return { kind: 'ok', key: 'flash.revoked' };
          case 'keep-customer':
          case 'replace':
            await resolveConflict(ctx, link.id, action, operator);
            return { kind: 'ok', key: `flash.${action}` };
        }
      });
    },
  );
}
