// Bâtiments: buildings, their premises and aggregation codes. Registered inside the console's context,
// so sign-in, roles (a POST is for operators) and CSRF apply as to every console route. Every action
// is logged by the module that does it (buildings/).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { issueCode } from '../../buildings/aggregation-codes.ts';
import { privacyRuleOf } from '../../buildings/building-periods.ts';
import {
  BuildingError,
  addPremises,
  buildingExists,
  createBuilding,
  removePremise,
  searchPremises,
} from '../../buildings/buildings.ts';
import { buildingPassesNow } from '../../buildings/privacy-now.ts';
import type { CodesRevoked } from '../../exchange/building-links.ts';
import {
  renewBuildingLinks,
  renewalMonthsOf,
  revokeBuildingCode,
  revokeBuildingCodes,
} from '../../exchange/building-links.ts';
import type { ConsoleFlash } from '../../store/schema.ts';
import type { ConsoleDeps } from '../context.ts';
import { formOf, notFound, sendPage, sessionOf, str, viewOf } from '../context.ts';
import { act, flashAndGo } from '../flash.ts';
import { randomToken } from '../auth/sessions.ts';
import type { MessageKey } from '../i18n/index.ts';
import { buildingPage, buildingsPage, codeIssuedPage, issueCodePage } from '../pages/buildings.ts';
import { BuildingMonthsCache, buildingDetail, codeOfBuilding, listBuildings } from '../queries/buildings.ts';
import type { ActionToConfirm } from './confirm-route.ts';
import { confirmedAction, confirmRoute } from './confirm-route.ts';
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

/** The outcome of a revocation; a meter ESPM could not unshare is named, for a later try. */
function revokedFlash(r: CodesRevoked): ConsoleFlash {
  const params = { codes: r.codes, links: r.links };
  return r.unshareFailed.length
    ? { kind: 'warn', key: 'flash.unshareFailed', params: { ...params, meters: r.unshareFailed.join(', ') } }
    : { kind: 'ok', key: 'flash.buildingRevoked', params };
}

export async function buildingRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway } = deps;
  const now = () => gateway.ctx.now();
  const privacy = privacyRuleOf(gateway.ctx);
  const renewalMonths = renewalMonthsOf(gateway.ctx);
  const operatorOf = (req: FastifyRequest) => ({ operator: sessionOf(req).username });
  const monthsCache = new BuildingMonthsCache();
  /** An action on a building that exists, confirmed at the building's path and `step`. */
  const buildingAction = (
    step: string,
    question: Omit<ActionToConfirm, 'action' | 'cancel'>,
    run: (buildingId: string, req: FastifyRequest) => Promise<ConsoleFlash>,
  ) =>
    confirmedAction<{ id: string }, string>(app, deps, `/batiments/:id/${step}`, {
      role: 'operator',
      schema: BUILDING,
      find: async (req) => ((await buildingExists(db, req.params.id)) ? req.params.id : undefined),
      ask: (id) => ({
        params: { building: id },
        ...question,
        action: `${pathOf(id)}/${step}`,
        cancel: pathOf(id),
      }),
      run,
    });

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
      return sendPage(reply, buildingPage(viewOf(req), detail, { q, found }, now(), renewalMonths));
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
      const passes = await buildingPassesNow(db, req.params.id, privacy, now());
      // The form's name: posted twice, it issues one code (aggregation-codes.ts).
      return sendPage(reply, issueCodePage(viewOf(req), req.params.id, passes, randomToken()));
    },
  );

  // Not through act: the answer is the page showing the code, never a flash kept in the session.
  app.post<{ Params: { id: string } }>('/batiments/:id/codes', { schema: BUILDING }, async (req, reply) => {
    const back = pathOf(req.params.id);
    const form = formOf(req);
    const again = (flash: ConsoleFlash) => flashAndGo(deps, req, reply, flash, `${back}/codes/nouveau`);
    if (!(await buildingExists(db, req.params.id))) return notFound(req, reply);
    if (str(form.confirm) !== 'yes') return again({ kind: 'error', key: 'flash.notConfirmed' });
    // A building that cannot pass the rule is issued a code only once the operator saw the warning.
    if (str(form.anyway) !== 'yes' && !(await buildingPassesNow(db, req.params.id, privacy, now()))) {
      return again({ kind: 'error', key: 'flash.notConfirmed' });
    }
    const request = str(formOf(req).request);
    try {
      const recipient = { name: str(form.recipient_name), contact: str(form.recipient_contact) };
      const issued = await issueCode(
        db,
        req.params.id,
        operatorOf(req),
        now(),
        recipient,
        REQUEST_TOKEN.test(request) ? request : undefined,
      );
      return sendPage(reply, codeIssuedPage(viewOf(req), req.params.id, issued.code, issued.expiresAt));
    } catch (e) {
      if (e instanceof BuildingError && e.code === 'code-already-issued')
        return flashAndGo(deps, req, reply, refused(e), back);
      return again(refused(e));
    }
  });

  confirmRoute<{ id: string; premise: string }>(
    app,
    '/batiments/:id/points/:premise/retirer',
    { role: 'operator', schema: PREMISE },
    async (req) => {
      if (!(await buildingExists(db, req.params.id))) return undefined;
      const back = pathOf(req.params.id);
      return {
        question: 'removePremise',
        params: { premise: req.params.premise, building: req.params.id },
        action: `${back}/points/${encodeURIComponent(req.params.premise)}/retirer`,
        cancel: back,
        danger: true,
      };
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

  buildingAction('revoquer', { question: 'revokeBuilding', danger: true }, async (id, req) =>
    revokedFlash(await revokeBuildingCodes(gateway.ctx, id, operatorOf(req))),
  );

  buildingAction(
    'renouveler',
    { question: 'renewBuilding', helpParams: { months: renewalMonths } },
    async (id, req) => {
      const n = await renewBuildingLinks(db, id, operatorOf(req), now());
      return { kind: 'ok', key: 'flash.linksRenewed', params: { n } };
    },
  );

  confirmedAction<{ id: string; code: string }, { id: number; building_id: string }>(
    app,
    deps,
    '/batiments/:id/codes/:code/revoquer',
    {
      role: 'operator',
      schema: CODE,
      find: (req) => codeOfBuilding(db, req.params.id, int(req.params.code)),
      ask: (code) => ({
        question: 'revokeCode',
        params: { code: code.id, building: code.building_id },
        action: `${pathOf(code.building_id)}/codes/${code.id}/revoquer`,
        cancel: pathOf(code.building_id),
        danger: true,
      }),
      run: async (code, req) => {
        const r = await revokeBuildingCode(gateway.ctx, code.building_id, code.id, operatorOf(req));
        if (r.codes === 0 && r.links === 0 && r.unshareFailed.length === 0) {
          return { kind: 'warn', key: 'flash.codeAlreadyRevoked' };
        }
        return r.links === 0 && r.unshareFailed.length === 0
          ? { kind: 'ok', key: 'flash.codeRevoked' }
          : revokedFlash(r);
      },
    },
  );
}
