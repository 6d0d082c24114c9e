// Exporter (CSV): every list of the console as a spreadsheet, with the filters on screen (the list's own
// query parameters) and its columns in the reader's language, streamed by keyset batches (csv.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { eventText } from '../i18n/index.ts';
import type { ConsoleDeps } from '../context.ts';
import { str, viewOf } from '../context.ts';
import { allRows, csvMoment, EXPORT_BATCH, sendCsv } from '../csv.ts';
import { code, customerName, reasonText } from '../labels.ts';
import type { View } from '../layout.ts';
import { invoiceShown } from '../pages/meters.ts';
import { importErrorText } from '../billing-reasons.ts';
import { listBuildings } from '../queries/buildings.ts';
import { importsBefore } from '../queries/billing.ts';
import { listContacts } from '../queries/contacts.ts';
import type { ListedStatus } from '../queries/meters.ts';
import { LINK_STATUS_ORDER, listLinks } from '../queries/meters.ts';
import { listLog, logServices } from '../queries/log.ts';
import { lockoutsWithCustomers, recentRejections } from '../queries/rejections.ts';
import { typedFields } from '../pages/typed-answers.ts';
import { maskProof, seesOwnershipProof } from '../ownership-proof.ts';
import { choice, day, query, text } from './params.ts';

/** The file's name: the list's, in the reader's language, and the day. */
function fileName(v: View, fr: string, en: string, today: Date): string {
  return `${v.lang === 'fr' ? fr : en}-${today.toISOString().slice(0, 10)}.csv`;
}

export async function exportRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway } = deps;
  const today = () => gateway.ctx.now();

  app.get<{ Querystring: { status?: ListedStatus | ''; q?: string; account?: string } }>(
    '/export/compteurs.csv',
    {
      schema: {
        querystring: query({
          status: choice(LINK_STATUS_ORDER),
          q: text(200),
          account: { type: 'string', maxLength: 20, pattern: '^[0-9]*$' },
        }),
      },
    },
    async (req, reply) => {
      const v = viewOf(req);
      const filter = {
        status: req.query.status || undefined,
        q: str(req.query.q).trim().slice(0, 60),
        account: req.query.account || undefined,
      };
      const rows = allRows((after: number | undefined) =>
        listLinks(db, { ...filter, after, limit: EXPORT_BATCH }).then((p) => ({
          rows: p.rows,
          next: p.next === undefined ? undefined : Number(p.next),
        })),
      );
      return sendCsv(
        reply,
        fileName(v, 'compteurs', 'meters', today()),
        [
          v.t('col.espmMeter'),
          v.t('col.espmAccount'),
          v.t('col.username'),
          v.t('col.contract'),
          v.t('col.meterNumber'),
          v.t('col.invoice'),
          v.t('col.status'),
          v.t('col.reason'),
          v.t('col.lastSync'),
        ],
        rows,
        (l) => [
          l.espm_meter_id,
          l.espm_account_id,
          l.espm_username ?? '',
          l.account_number ?? '',
          l.meter_number ?? '',
          invoiceShown(v, l.invoice_number),
          v.t(`status.${l.superseded ? 'superseded' : l.status}`),
          reasonText(v, l.reason_code),
          l.last_period_end ?? '',
        ],
      );
    },
  );

  app.get('/export/refus.csv', async (req, reply) => {
    const v = viewOf(req);
    const shown = seesOwnershipProof(v.user?.role) ? (s: string) => s : maskProof;
    const rows = allRows(async (before: number | undefined) => {
      const page = await recentRejections(db, EXPORT_BATCH, before);
      return { rows: page, next: page.length === EXPORT_BATCH ? page[page.length - 1]!.id : undefined };
    });
    return sendCsv(
      reply,
      fileName(v, 'refus', 'rejections', today()),
      [
        v.t('col.decidedAt'),
        v.t('col.espmMeter'),
        v.t('col.espmAccount'),
        v.t('col.username'),
        v.t('field.accountNumber'),
        v.t('field.invoiceNumber'),
        v.t('field.meterNumber'),
        v.t('field.initialLoad'),
        v.t('col.reason'),
        v.t('col.status'),
        v.t('col.note'),
      ],
      rows,
      (r) => {
        const typed = typedFields(r);
        return [
          csvMoment(r.decided_at ?? r.received_at),
          r.espm_meter_id,
          r.espm_account_id,
          r.espm_username ?? '',
          shown(typed.accountNumber ?? ''),
          shown(typed.invoiceNumber ?? ''),
          shown(typed.meterNumber ?? ''),
          typed.initialLoad ?? '',
          reasonText(v, r.reason_code),
          v.t(`status.${r.superseded ? 'superseded' : 'rejected'}`),
          r.note ?? r.decision_note ?? '',
        ];
      },
    );
  });

  app.get('/export/verrouillages.csv', async (req, reply) => {
    const v = viewOf(req);
    return sendCsv(
      reply,
      fileName(v, 'verrouillages', 'lockouts', today()),
      [
        v.t('col.espmAccount'),
        v.t('col.username'),
        v.t('col.name'),
        v.t('col.email'),
        v.t('col.organization'),
        v.t('col.failures'),
        v.t('col.lastFailure'),
        v.t('col.lockedUntil'),
      ],
      await lockoutsWithCustomers(db, today()),
      (l) => [
        l.accountId,
        l.customer?.username ?? '',
        customerName(l.customer),
        l.customer?.email ?? '',
        l.customer?.organization ?? '',
        String(l.failures),
        csvMoment(l.lastFailure),
        csvMoment(l.lockedUntil),
      ],
    );
  });

  app.get<{ Querystring: { q?: string } }>(
    '/export/contacts.csv',
    { schema: { querystring: query({ q: text(200) }) } },
    async (req, reply) => {
      const v = viewOf(req);
      const q = str(req.query.q);
      const rows = allRows((after: string | undefined) =>
        listContacts(db, { q, after, limit: EXPORT_BATCH }).then((p) => ({ rows: p.rows, next: p.next })),
      );
      return sendCsv(
        reply,
        fileName(v, 'contacts', 'contacts', today()),
        [
          v.t('col.espmAccount'),
          v.t('col.name'),
          v.t('col.organization'),
          v.t('col.email'),
          v.t('col.username'),
          v.t('col.connectedAt'),
          v.t('col.meters'),
          v.t('col.state'),
        ],
        rows,
        (c) => [
          c.account_id,
          customerName(c),
          c.organization ?? '',
          c.email,
          c.username,
          csvMoment(c.connected_at),
          String(Number(c.meters ?? 0)),
          v.t(c.connection_status === 'connected' ? 'state.connected' : 'state.disconnected'),
        ],
      );
    },
  );

  app.get<{
    Querystring: {
      service?: string;
      status?: 'done' | 'error' | '';
      compteur?: string;
      compte?: string;
      q?: string;
      du?: string;
      au?: string;
    };
  }>(
    '/export/journal.csv',
    {
      schema: {
        querystring: query({
          service: text(100),
          status: choice(['done', 'error']),
          compteur: text(100),
          compte: text(100),
          q: text(200),
          du: day,
          au: day,
        }),
      },
    },
    async (req, reply) => {
      const v = viewOf(req);
      const services = await logServices(db);
      const filter = {
        service: services.includes(str(req.query.service)) ? str(req.query.service) : undefined,
        status: req.query.status || undefined,
        meter: str(req.query.compteur).trim() || undefined,
        account: str(req.query.compte).trim() || undefined,
        text: str(req.query.q).trim() || undefined,
        from: req.query.du || undefined,
        to: req.query.au || undefined,
      };
      const rows = allRows((after: number | undefined) =>
        listLog(db, { ...filter, after, limit: EXPORT_BATCH }).then((p) => ({
          rows: p.rows,
          next: p.next === undefined ? undefined : Number(p.next),
        })),
      );
      return sendCsv(
        reply,
        fileName(v, 'journal', 'gateway-log', today()),
        [
          v.t('col.date'),
          v.t('col.service'),
          v.t('log.subject'),
          v.t('col.result'),
          v.t('col.status'),
          v.t('log.details'),
          v.t('col.operator'),
        ],
        rows,
        (r) => [
          csvMoment(r.at),
          r.service,
          r.subject ?? '',
          eventText(v.lang, r.event),
          v.t(r.status === 'error' ? 'logStatus.error' : 'logStatus.done'),
          r.details ?? '',
          r.operator ?? '',
        ],
      );
    },
  );

  app.get('/export/batiments.csv', async (req, reply) => {
    const v = viewOf(req);
    return sendCsv(
      reply,
      fileName(v, 'batiments', 'buildings', today()),
      [
        v.t('buildings.buildingId'),
        v.t('buildings.name'),
        v.t('buildings.premises'),
        v.t('buildings.meters'),
        v.t('buildings.links'),
        v.t('buildings.activeCodes'),
      ],
      await listBuildings(db, today()),
      (b) => [
        b.building_id,
        b.name,
        String(b.premises),
        String(b.meters),
        String(b.links),
        String(b.active_codes),
      ],
    );
  });

  app.get('/export/facturation.csv', async (req: FastifyRequest, reply) => {
    const v = viewOf(req);
    const rows = allRows(async (before: number | undefined) => {
      const page = await importsBefore(db, EXPORT_BATCH, before);
      return { rows: page, next: page.length === EXPORT_BATCH ? page[page.length - 1]!.id : undefined };
    });
    return sendCsv(
      reply,
      fileName(v, 'imports-facturation', 'billing-imports', today()),
      [
        v.t('col.started'),
        v.t('col.source'),
        v.t('col.file'),
        v.t('col.status'),
        v.t('col.rowsRead'),
        v.t('col.rowsImported'),
        v.t('col.rowsUnchanged'),
        v.t('col.rowsReplaced'),
        v.t('col.rowsRejected'),
        v.t('col.operator'),
        v.t('log.details'),
      ],
      rows,
      (i) => [
        csvMoment(i.started_at),
        code(v, 'source', i.source),
        i.file_name ?? '',
        code(v, 'status', i.status),
        String(i.rows_read),
        String(i.rows_imported),
        String(i.rows_unchanged),
        String(i.rows_replaced),
        String(i.rows_rejected),
        i.operator ?? '',
        i.error ? importErrorText(v.lang, i.error) : '',
      ],
    );
  });
}
