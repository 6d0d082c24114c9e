// The Buildings pages' routes (/batiments), registered by plugin.ts inside the console's context, so
// that sign-in, roles (a POST is for operators) and CSRF apply as to every console route. Every action
// is logged by the module that does it (buildings/).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { issueCode, revokeCode } from '../buildings/aggregation-codes.ts';
import { BuildingError, addPremises, createBuilding, searchPremises } from '../buildings/buildings.ts';
import type { PrivacyRule } from '../buildings/privacy-rule.ts';
import type { ConsoleFlash, Database } from '../store/schema.ts';
import { buildingDetail, listBuildings } from './building-queries.ts';
import type { Html } from './html.ts';
import type { MessageKey } from './i18n/index.ts';
import type { View } from './layout.ts';
import { buildingPage, buildingsPage, codeIssuedPage } from './pages/buildings.ts';
import { confirmPage } from './pages/misc.ts';

export interface BuildingRouteHelpers {
  db: Kysely<Database>;
  now: () => Date;
  privacy: PrivacyRule;
  viewOf(req: FastifyRequest): View;
  send(reply: FastifyReply, page: Html, status?: number): FastifyReply;
  notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** Runs a confirmed action and shows its outcome as a flash on `to` (plugin.ts act). */
  act(
    req: FastifyRequest,
    reply: FastifyReply,
    to: string,
    confirmUrl: string,
    run: () => Promise<ConsoleFlash>,
  ): Promise<FastifyReply>;
  operatorOf(req: FastifyRequest): string;
}

function field(req: FastifyRequest, name: string): unknown {
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  return body[name];
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A refusal worded for the operator. */
function refused(e: unknown): ConsoleFlash {
  if (!(e instanceof BuildingError)) throw e;
  return { kind: 'error', key: `buildingError.${e.code}` satisfies string as MessageKey };
}

export function buildingRoutes(app: FastifyInstance, h: BuildingRouteHelpers): void {
  const { db } = h;
  const pathOf = (id: string) => `/batiments/${encodeURIComponent(id)}`;
  const exists = async (id: string) =>
    (await db
      .selectFrom('building')
      .select('building_id')
      .where('building_id', '=', id)
      .executeTakeFirst()) !== undefined;

  app.get('/batiments', async (req, reply) =>
    h.send(reply, buildingsPage(h.viewOf(req), await listBuildings(db, h.now()), h.privacy)),
  );

  app.post('/batiments', async (req, reply) => {
    const buildingId = text(field(req, 'building_id')).trim();
    return h.act(req, reply, '/batiments', '/batiments', async () => {
      try {
        await createBuilding(
          db,
          { buildingId, name: text(field(req, 'name')) },
          { operator: h.operatorOf(req) },
        );
      } catch (e) {
        return refused(e);
      }
      return { kind: 'ok', key: 'flash.buildingCreated', params: { building: buildingId } };
    });
  });

  app.get<{ Params: { id: string }; Querystring: { q?: string } }>('/batiments/:id', async (req, reply) => {
    const detail = await buildingDetail(db, req.params.id, h.privacy, h.now());
    if (!detail) return h.notFound(req, reply);
    const q = (req.query.q ?? '').slice(0, 100);
    const found = q.trim() ? await searchPremises(db, q) : [];
    return h.send(reply, buildingPage(h.viewOf(req), detail, { q, found }, h.now()));
  });

  app.post<{ Params: { id: string } }>('/batiments/:id/points', async (req, reply) => {
    const back = pathOf(req.params.id);
    const checked = field(req, 'premise');
    const premises = [
      ...(Array.isArray(checked) ? checked.map(text) : [text(checked)]),
      ...text(field(req, 'premise_ids')).split(/[\s,;]+/),
    ].filter((p) => p.trim() !== '');
    return h.act(req, reply, back, back, async () => {
      try {
        const n = await addPremises(db, req.params.id, premises, { operator: h.operatorOf(req) });
        return { kind: 'ok', key: 'flash.premisesAdded', params: { n } };
      } catch (e) {
        return refused(e);
      }
    });
  });

  app.get<{ Params: { id: string } }>(
    '/batiments/:id/codes/nouveau',
    { config: { role: 'operator' } },
    async (req, reply) => {
      if (!(await exists(req.params.id))) return h.notFound(req, reply);
      const v = h.viewOf(req);
      return h.send(
        reply,
        confirmPage(v, {
          question: v.t('confirm.issueCode', { building: req.params.id }),
          help: v.t('confirm.issueCodeHelp'),
          action: `${pathOf(req.params.id)}/codes`,
          cancel: pathOf(req.params.id),
        }),
      );
    },
  );

  // Not through act: the answer is the page showing the code, never a flash kept in the session.
  app.post<{ Params: { id: string } }>('/batiments/:id/codes', async (req, reply) => {
    const back = pathOf(req.params.id);
    if (text(field(req, 'confirm')) !== 'yes') {
      return h.act(req, reply, back, `${back}/codes/nouveau`, async () => ({
        kind: 'error',
        key: 'flash.notConfirmed',
      }));
    }
    try {
      const issued = await issueCode(db, req.params.id, { operator: h.operatorOf(req) }, h.now());
      reply.header('cache-control', 'no-store');
      return h.send(reply, codeIssuedPage(h.viewOf(req), req.params.id, issued.code, issued.expiresAt));
    } catch (e) {
      if (e instanceof BuildingError) return h.notFound(req, reply);
      throw e;
    }
  });

  const codeOf = async (req: FastifyRequest<{ Params: { id: string; code: string } }>) => {
    if (!/^\d{1,9}$/.test(req.params.code)) return undefined;
    return db
      .selectFrom('aggregation_code')
      .select(['id', 'building_id'])
      .where('id', '=', Number(req.params.code))
      .where('building_id', '=', req.params.id)
      .executeTakeFirst();
  };

  app.get<{ Params: { id: string; code: string } }>(
    '/batiments/:id/codes/:code/revoquer',
    { config: { role: 'operator' } },
    async (req, reply) => {
      const code = await codeOf(req);
      if (!code) return h.notFound(req, reply);
      const v = h.viewOf(req);
      return h.send(
        reply,
        confirmPage(v, {
          question: v.t('confirm.revokeCode', { code: code.id, building: code.building_id }),
          help: v.t('confirm.revokeCodeHelp'),
          action: `${pathOf(code.building_id)}/codes/${code.id}/revoquer`,
          cancel: pathOf(code.building_id),
          danger: true,
        }),
      );
    },
  );

  app.post<{ Params: { id: string; code: string } }>(
    '/batiments/:id/codes/:code/revoquer',
    async (req, reply) => {
      const code = await codeOf(req);
      if (!code) return h.notFound(req, reply);
      const back = pathOf(code.building_id);
      return h.act(req, reply, back, `${back}/codes/${code.id}/revoquer`, async () =>
        (await revokeCode(db, code.id, { operator: h.operatorOf(req) }, h.now()))
          ? { kind: 'ok', key: 'flash.codeRevoked' }
          : { kind: 'warn', key: 'flash.codeAlreadyRevoked' },
      );
    },
  );
}
