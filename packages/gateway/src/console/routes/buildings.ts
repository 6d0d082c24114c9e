// Bâtiments: buildings, their premises and aggregation codes. Registered inside the console's context,
// so sign-in, roles (a POST is for operators) and CSRF apply as to every console route. Every action
// is logged by the module that does it (buildings/).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { issueCode, revokeCode } from '../../buildings/aggregation-codes.ts';
import { privacyRuleOf } from '../../buildings/building-periods.ts';
import {
  BuildingError,
  addPremises,
  createBuilding,
  removePremise,
  searchPremises,
} from '../../buildings/buildings.ts';
import type { ConsoleFlash } from '../../store/schema.ts';
import type { ConsoleDeps } from '../context.ts';
import { formOf, notFound, sendPage, sessionOf, str, viewOf } from '../context.ts';
import { act, flashAndGo } from '../flash.ts';
import { randomToken } from '../auth/sessions.ts';
import type { MessageKey } from '../i18n/index.ts';
import { buildingPage, buildingsPage, codeIssuedPage } from '../pages/buildings.ts';
import { confirmPage } from '../pages/misc.ts';
import {
  BuildingMonthsCache,
  buildingDetail,
  buildingExists,
  codeOfBuilding,
  listBuildings,
} from '../queries/buildings.ts';
import { int, int4Id, params, query, text } from './params.ts';

const BUILDING = { params: params({ id: text(100) }) };
const BUILDING_PAGE = { params: params({ id: text(100) }), querystring: query({ q: text(100) }) };
const CODE = { params: params({ id: text(100), code: int4Id }) };
const PREMISE = { params: params({ id: text(100), premise: text(100) }) };

/** A refusal worded for the operator. */
function refused(e: unknown): ConsoleFlash {
  if (!(e instanceof BuildingError)) throw e;
  return { kind: 'error', key: `buildingError.${e.code}` satisfies string as MessageKey };
}

/** A confirmation form's name (auth/sessions.ts randomToken). */
const REQUEST_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const pathOf = (id: string) => `/batiments/${encodeURIComponent(id)}`;

export async function buildingRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway } = deps;
  const now = () => gateway.ctx.now();
  const privacy = privacyRuleOf(gateway.ctx);
  const operatorOf = (req: FastifyRequest) => ({ operator: sessionOf(req).username });
  const monthsCache = new BuildingMonthsCache();

  app.get('/batiments', async (req, reply) =>
    sendPage(reply, buildingsPage(viewOf(req), await listBuildings(db, now()), privacy)),
  );

  app.post('/batiments', async (req, reply) => {
    const form = formOf(req);
    const buildingId = str(form.building_id).trim();
    return act(deps, req, reply, '/batiments', '/batiments', async () => {
      try {
        await createBuilding(db, { buildingId, name: str(form.name) }, operatorOf(req));
      } catch (e) {
        return refused(e);
      }
      return { kind: 'ok', key: 'flash.buildingCreated', params: { building: buildingId } };
    });
  });

  app.get<{ Params: { id: string }; Querystring: { q?: string } }>(
    '/batiments/:id',
    { schema: BUILDING_PAGE },
    async (req, reply) => {
      const q = str(req.query.q);
      // The building first: a search is run for a building that exists only.
      const detail = await buildingDetail(db, req.params.id, privacy, now(), monthsCache);
      if (!detail) return notFound(req, reply);
      const found = q.trim() ? await searchPremises(db, q) : [];
      return sendPage(reply, buildingPage(viewOf(req), detail, { q, found }, now()));
    },
  );

  app.post<{ Params: { id: string } }>('/batiments/:id/points', { schema: BUILDING }, async (req, reply) => {
    const back = pathOf(req.params.id);
    const form = formOf(req);
    const checked = form.premise;
    const premises = [
      ...(Array.isArray(checked) ? checked.map(str) : [str(checked)]),
      ...str(form.premise_ids).split(/[\s,;]+/),
    ].filter((p) => p.trim() !== '');
    return act(deps, req, reply, back, back, async () => {
      try {
        const n = await addPremises(
          db,
          req.params.id,
          premises.map((premiseId) => ({ premiseId, ownerHeld: false })),
          operatorOf(req),
          now(),
        );
        return { kind: 'ok', key: 'flash.premisesAdded', params: { n } };
      } catch (e) {
        return refused(e);
      }
    });
  });

  app.get<{ Params: { id: string } }>(
    '/batiments/:id/codes/nouveau',
    { config: { role: 'operator' }, schema: BUILDING },
    async (req, reply) => {
      if (!(await buildingExists(db, req.params.id))) return notFound(req, reply);
      const v = viewOf(req);
      return sendPage(
        reply,
        confirmPage(v, {
          question: v.t('confirm.issueCode', { building: req.params.id }),
          help: v.t('confirm.issueCodeHelp'),
          action: `${pathOf(req.params.id)}/codes`,
          cancel: pathOf(req.params.id),
          // Names this confirmation: posted twice, it issues one code (aggregation-codes.ts).
          fields: { request: randomToken() },
        }),
      );
    },
  );

  // Not through act: the answer is the page showing the code, never a flash kept in the session.
  app.post<{ Params: { id: string } }>('/batiments/:id/codes', { schema: BUILDING }, async (req, reply) => {
    const back = pathOf(req.params.id);
    if (str(formOf(req).confirm) !== 'yes') {
      return act(deps, req, reply, back, `${back}/codes/nouveau`, async () => ({
        kind: 'error',
        key: 'flash.notConfirmed',
      }));
    }
    const request = str(formOf(req).request);
    try {
      const issued = await issueCode(
        db,
        req.params.id,
        operatorOf(req),
        now(),
        undefined,
        REQUEST_TOKEN.test(request) ? request : undefined,
      );
      return sendPage(reply, codeIssuedPage(viewOf(req), req.params.id, issued.code, issued.expiresAt));
    } catch (e) {
      if (e instanceof BuildingError && e.code === 'code-already-issued')
        return flashAndGo(deps, req, reply, refused(e), back);
      if (e instanceof BuildingError) return notFound(req, reply);
      throw e;
    }
  });

  app.get<{ Params: { id: string; premise: string } }>(
    '/batiments/:id/points/:premise/retirer',
    { config: { role: 'operator' }, schema: PREMISE },
    async (req, reply) => {
      if (!(await buildingExists(db, req.params.id))) return notFound(req, reply);
      const v = viewOf(req);
      const back = pathOf(req.params.id);
      return sendPage(
        reply,
        confirmPage(v, {
          question: v.t('confirm.removePremise', { premise: req.params.premise, building: req.params.id }),
          help: v.t('confirm.removePremiseHelp'),
          action: `${back}/points/${encodeURIComponent(req.params.premise)}/retirer`,
          cancel: back,
          danger: true,
        }),
      );
    },
  );

  app.post<{ Params: { id: string; premise: string } }>(
    '/batiments/:id/points/:premise/retirer',
    { schema: PREMISE },
    async (req, reply) => {
      const back = pathOf(req.params.id);
      const again = `${back}/points/${encodeURIComponent(req.params.premise)}/retirer`;
      return act(deps, req, reply, back, again, async () => {
        try {
          await removePremise(db, req.params.id, req.params.premise, operatorOf(req), now());
          return { kind: 'ok', key: 'flash.premiseRemoved' };
        } catch (e) {
          return refused(e);
        }
      });
    },
  );

  app.get<{ Params: { id: string; code: string } }>(
    '/batiments/:id/codes/:code/revoquer',
    { config: { role: 'operator' }, schema: CODE },
    async (req, reply) => {
      const code = await codeOfBuilding(db, req.params.id, int(req.params.code));
      if (!code) return notFound(req, reply);
      const v = viewOf(req);
      return sendPage(
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
    { schema: CODE },
    async (req, reply) => {
      const code = await codeOfBuilding(db, req.params.id, int(req.params.code));
      if (!code) return notFound(req, reply);
      const back = pathOf(code.building_id);
      return act(deps, req, reply, back, `${back}/codes/${code.id}/revoquer`, async () =>
        (await revokeCode(db, code.id, operatorOf(req), now()))
          ? { kind: 'ok', key: 'flash.codeRevoked' }
          : { kind: 'warn', key: 'flash.codeAlreadyRevoked' },
      );
    },
  );
}
