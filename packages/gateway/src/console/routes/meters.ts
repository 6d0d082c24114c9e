// Compteurs ESPM: the meter links, one link's page and history export, and the operator's actions on a
// link (a confirmation page, then the action). Which actions a status allows, and why one is refused,
// is the exchange layer's rule (exchange/operator-actions.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MeterAction } from '../../exchange/operator-actions.ts';
import {
  METER_ACTIONS,
  availableActions,
  refusalFor,
  resolveConflict,
  resyncLink,
  revokeLinkByOperator,
} from '../../exchange/operator-actions.ts';
import { OPERATOR_UNSHARE_NOTE, noteText } from '../../exchange/notes.ts';
import { historyCsv } from '../../observability/history-export.ts';
import { accountLockout } from '../../exchange/lockout.ts';
import type { ConsoleFlash } from '../../store/schema.ts';
import type { ConsoleDeps } from '../context.ts';
import { notFound, sendPage, sessionOf, str, viewOf } from '../context.ts';
import { act, flashAndGo } from '../flash.ts';
import { html } from '../html.ts';
import { refusalText } from '../i18n/index.ts';
import { meterPage } from '../pages/meter.ts';
import { metersPage } from '../pages/meters.ts';
import { confirmPage } from '../pages/misc.ts';
import { SHOWN_STATUSES } from '../../vocabulary/link-statuses.ts';
import type { ShownStatus } from '../../vocabulary/link-statuses.ts';
import { countLinks, countOfPage, linkOf, listLinks, meterPageData } from '../queries/meters.ts';
import { choice, int, int4Id, listOffset, params, query, text } from './params.ts';

const LINK = { params: params({ id: int4Id }) };
const LINK_ACTION = { params: params({ id: int4Id, action: { type: 'string', enum: METER_ACTIONS } }) };

interface LinkList {
  Querystring: {
    status?: ShownStatus | '';
    q?: string;
    account?: string;
    after?: string;
    before?: string;
    o?: string;
  };
}

export async function meterRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway, statusCounts } = deps;

  const listSchema = {
    querystring: query({
      // The store's statuses and the superseded rejections set apart (queries/meters.ts).
      status: choice(SHOWN_STATUSES),
      q: text(200),
      account: { type: 'string', maxLength: 20, pattern: '^[0-9]*$' },
      after: int4Id,
      before: int4Id,
      o: listOffset,
    }),
  };
  app.get<LinkList>('/compteurs', { schema: listSchema }, async (req, reply) => {
    const status = req.query.status || undefined;
    const q = str(req.query.q).trim().slice(0, 60);
    const account = req.query.account || undefined;
    const after = int(req.query.after);
    const before = after === undefined ? int(req.query.before) : undefined;
    const offset = int(req.query.o) ?? 0;
    const filter = { status, q, account };
    // Both queries start before either is awaited (a rejection of one never waits unhandled).
    const [data, count] = await Promise.all([
      listLinks(db, { ...filter, after, before }),
      statusCounts.get(db).then((counts) => countLinks(db, filter, counts)),
    ]);
    return sendPage(
      reply,
      metersPage(viewOf(req), { status, q, account, offset, ...countOfPage(count, data, offset) }, data),
    );
  });

  app.get<{ Params: { id: string } }>('/compteurs/:id', { schema: LINK }, async (req, reply) => {
    const data = await meterPageData(db, int(req.params.id));
    if (!data) return notFound(req, reply);
    const lockout =
      data.link.reason_code === 'locked-out'
        ? await accountLockout(db, data.link.espm_account_id, gateway.ctx.now())
        : undefined;
    return sendPage(reply, meterPage(viewOf(req), data, lockout));
  });

  // The link's history as sent to ESPM, as CSV (observability/history-export.ts).
  app.get<{ Params: { id: string } }>(
    '/compteurs/:id/historique.csv',
    { schema: LINK },
    async (req, reply) => {
      const link = await linkOf(db, int(req.params.id));
      if (!link) return notFound(req, reply);
      const { csv } = await historyCsv(db, { linkId: link.id });
      const name = `compteur-${link.espm_meter_id.replace(/[^\w-]/g, '_')}-historique.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  /** The link and action a meter action's URL names, or undefined when the reply was a 404. */
  const meterAction = async (
    req: FastifyRequest<{ Params: { id: string; action: MeterAction } }>,
    reply: FastifyReply,
  ) => {
    const action = req.params.action;
    const link = await linkOf(db, int(req.params.id));
    if (!link) return void notFound(req, reply);
    return { link, action };
  };

  app.get<{ Params: { id: string; action: MeterAction } }>(
    '/compteurs/:id/action/:action',
    { config: { role: 'operator' }, schema: LINK_ACTION },
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

  app.post<{ Params: { id: string; action: MeterAction } }>(
    '/compteurs/:id/action/:action',
    { schema: LINK_ACTION },
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
            if (r.outcome === 'paused') return { kind: 'warn', key: 'flash.resync.paused' };
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
