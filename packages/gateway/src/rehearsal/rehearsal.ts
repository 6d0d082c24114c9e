// The guide, end to end, in ESPM's test environment: the provider's settings, a customer's property
// and Natural Gas meters, the connection and shares (one accepted, one rejected), the history sent and
// read back by the customer, a re-billed period, a change to Read Only, and the clean-up. Each step
// checks ESPM's answers; every exchange is recorded for the report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAccount, parseSharingResponse } from '@gaz-espm/espm/xml';
import type { BillingFileRow } from '../billing/billing-row.ts';
import { importBillingRows } from '../billing/import-billing-rows.ts';
import { DEFAULT_PRIVACY_RULE } from '../buildings/privacy-rule.ts';
import type { EspmConfig } from '../config/config.ts';
import type { ExchangeContext } from '../exchange/context.ts';
import { CUSTOM_FIELD_DEFINITIONS } from '../exchange/custom-fields.ts';
import { runCycle } from '../exchange/cycle.ts';
import { Leases } from '../exchange/leases.ts';
import { pushSettings } from '../exchange/settings.ts';
import { espmClientFor } from '../runtime.ts';
import type { Store } from '../store/database.ts';
import { openStore } from '../store/database.ts';
import type { CustomerSide, MeterToShare, PropertyToShare, ProviderAccount, Words } from './customer-side.ts';
import { both } from './customer-side.ts';
import { CustomerServices } from './customer-services.ts';
import { ExchangeRecorder } from './exchange-recorder.ts';
import type { RecordedExchange } from './exchange-recorder.ts';
import { isLiveEspm } from './live-guard.ts';
import { STEP_TITLES } from './step-titles.ts';
import { GUIDE_ANSWERS, WRONG_INVOICE_ANSWERS, rehearsalBilling } from './rehearsal-billing.ts';
import type { ObservedFacts } from './settled.ts';
import { observeFacts } from './settled.ts';
import type { StepId, StepResult, StepRun } from './steps.ts';
import { STEP_IDS, StepNotPlayable, runStep, skippedStep } from './steps.ts';

export interface RehearsalOptions {
  /** The provider's test credentials (ESPM_BASE_URL, ESPM_USERNAME, ESPM_PASSWORD). */
  espm: EspmConfig;
  customer: { username: string; password: string };
  /** Made once the customer's web services client exists (a side may use it). */
  side: (customer: CustomerServices) => CustomerSide;
  /** A store of the rehearsal's own; a temporary embedded one when absent. */
  store?: Store;
  /** Told when each step starts (the CLI prints it). */
  onStep?: (id: StepId) => void;
  /** How often ESPM is read while waiting for what the customer did to show (default 5 s). */
  pollMs?: number;
}

export interface RehearsalResult {
  side: CustomerSide['name'];
  baseUrl: string;
  customerUsername: string;
  providerUsername: string;
  startedAt: string;
  steps: StepResult[];
  exchanges: RecordedExchange[];
  facts: ObservedFacts;
  passed: boolean;
}

export class LiveEspmRefused extends Error {
  constructor(baseUrl: string) {
    super(
      `${baseUrl} is ESPM's live environment: the rehearsal runs only against the test environment (https://portfoliomanager.energystar.gov/wstest/) or a simulator`,
    );
  }
}

/** Who and what the steps share as they go. */
interface Play {
  ctx: ExchangeContext;
  customer: CustomerServices;
  side: CustomerSide;
  provider?: ProviderAccount;
  customerAccountId?: string;
  property?: PropertyToShare;
  accepted?: MeterToShare;
  rejected?: MeterToShare;
  recorder: ExchangeRecorder;
  pollMs: number;
  /** The rehearsal's billing, made once: a run that passes midnight keeps the same periods. */
  billing: BillingFileRow[];
}

export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  if (isLiveEspm(options.espm.baseUrl)) throw new LiveEspmRefused(options.espm.baseUrl);
  const startedAt = new Date().toISOString();
  const recorder = new ExchangeRecorder(options.espm.baseUrl);
  await recorder.start();
  let tempDir: string | undefined;
  let store = options.store;
  if (!store) {
    tempDir = mkdtempSync(join(tmpdir(), 'gateway-rehearsal-'));
    store = await openStore({ dataDir: tempDir });
  }
  const espm = espmClientFor({ ...options.espm, baseUrl: recorder.baseUrl });
  const customer = new CustomerServices(
    recorder.baseUrl,
    options.customer.username,
    options.customer.password,
  );
  const play: Play = {
    ctx: {
      db: store.db,
      espm,
      providerUsername: options.espm.username,
      sendCost: false,
      now: () => new Date(),
      leases: new Leases(store.db),
      privacy: DEFAULT_PRIVACY_RULE,
    },
    customer,
    side: options.side(customer),
    recorder,
    pollMs: options.pollMs ?? 5000,
    billing: rehearsalBilling(new Date()),
  };
  const steps: StepResult[] = [];
  try {
    for (const id of STEP_IDS) {
      const earlierFailed = steps.find((s) => s.outcome === 'failed');
      if (earlierFailed && id !== 'cleanup') {
        const title = STEP_TITLES[earlierFailed.id];
        steps.push(
          skippedStep(id, { fr: `l’étape « ${title.fr} » a échoué`, en: `the step "${title.en}" failed` }),
        );
        continue;
      }
      steps.push(
        await runStep(
          id,
          (run) => STEPS[id](play, run),
          (s) => {
            recorder.step = s;
            options.onStep?.(s);
          },
        ),
      );
    }
  } finally {
    await play.side.close().catch(() => undefined);
    await customer.close();
    await espm.close();
    await play.ctx.leases?.releaseAll().catch(() => undefined);
    if (!options.store) await store.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    await recorder.close();
  }
  return {
    side: play.side.name,
    baseUrl: options.espm.baseUrl,
    customerUsername: options.customer.username,
    providerUsername: options.espm.username,
    startedAt,
    steps,
    exchanges: recorder.exchanges,
    facts: observeFacts(recorder.exchanges),
    passed: steps.every((s) => s.outcome !== 'failed'),
  };
}

const READ_ONLY_WRITE_REFUSED: Words = {
  fr: 'ESPM refuse une écriture sur un compteur en lecture seulement',
  en: 'ESPM refuses a write on a Read Only meter',
};

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what} is missing: an earlier step did not make it`);
  return value;
};

async function cycle(play: Play, run: StepRun): Promise<void> {
  const report = await runCycle(play.ctx);
  const failed = report.services.filter((s) => !s.ok);
  run.check(
    { fr: 'le cycle de la passerelle a exécuté chaque service', en: 'the gateway’s cycle ran every service' },
    report.fatal === undefined && failed.length === 0,
    report.fatal ?? failed.map((s) => `${s.service}: ${s.error}`).join('; '),
  );
}

/**
 * What a customer does in the web UI shows in the web services seconds later (API.md §11): ESPM is read
 * until it shows, for as long as the customer side is given.
 */
async function shownInEspm(
  play: Play,
  run: StepRun,
  what: Words,
  shown: () => Promise<boolean>,
): Promise<boolean> {
  const started = Date.now();
  for (;;) {
    if (await shown()) return run.check(what, true, `${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (Date.now() - started > play.side.patienceMs)
      return run.check(what, false, `> ${play.side.patienceMs / 1000} s`);
    await new Promise((r) => setTimeout(r, play.pollMs));
  }
}

async function linkOf(play: Play, meterId: string) {
  return play.ctx.db
    .selectFrom('meter_link')
    .selectAll()
    .where('espm_meter_id', '=', meterId)
    .executeTakeFirst();
}

async function checkLinkStatus(play: Play, run: StepRun, what: Words, meterId: string, status: string) {
  const link = await linkOf(play, meterId);
  run.check(what, link?.status === status, link?.status ?? 'not seen');
}

const STEPS: Record<StepId, (play: Play, run: StepRun) => Promise<void>> = {
  async settings(play, run) {
    await pushSettings(play.ctx);
    const second = await pushSettings(play.ctx);
    run.check(
      {
        fr: 'poussés deux fois, la seconde ne crée rien',
        en: 'pushed twice, the second push creates nothing',
      },
      second.created.length === 0,
      `created: ${second.created.join(', ') || 'none'}`,
    );
    const fields = await play.ctx.espm.listCustomFields();
    const names = await Promise.all(
      fields.map(async (f) => f.name ?? (await play.ctx.espm.getCustomField(f.id)).name),
    );
    for (const def of CUSTOM_FIELD_DEFINITIONS) {
      const count = names.filter((n) => n === def.name).length;
      run.check(
        {
          fr: `exactement un champ personnalisé « ${def.name} »`,
          en: `exactly one custom field "${def.name}"`,
        },
        count === 1,
        `${count} found`,
      );
    }
    const settings = await play.ctx.espm.getDataExchangeSettings();
    run.check(
      {
        fr: 'Gaz naturel est le type de compteur pris en charge',
        en: 'Natural Gas is the supported meter type',
      },
      settings.supportedMeterTypes.includes('Natural Gas'),
      settings.supportedMeterTypes.join(', '),
    );
    const account = await play.ctx.espm.transport.call('GET', '/account', { parse: parseAccount });
    play.provider = { accountId: account.id, username: account.username };
    run.check(
      {
        fr: 'le compte du fournisseur est trouvable (sinon aucun client ne le trouve pour se connecter)',
        en: 'the provider account is searchable (else no customer finds it to connect)',
      },
      account.searchable === true,
      account.searchable === true
        ? undefined
        : account.searchable === undefined
          ? 'ESPM did not say'
          : 'not searchable: Account Settings → Your Preferences → searchable = Yes, in the Test web UI',
    );
  },

  async 'customer-resources'(play, run) {
    const account = await play.customer.account();
    play.customerAccountId = account.id;
    const billing = play.billing;
    const imported = await importBillingRows(play.ctx.db, billing);
    run.check(
      { fr: 'la facturation de la répétition est importée', en: 'the rehearsal’s billing imported' },
      imported.rowsRejected === 0,
      JSON.stringify(imported.rejections),
    );
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    const name = `Répétition ${stamp}`;
    const propertyId = await play.customer.createProperty(account.id, name);
    const firstBill = billing[0]!.period_start;
    const meter = async (n: string) => ({
      meterId: await play.customer.createGasMeter(propertyId, n, firstBill),
      name: n,
    });
    const accepted = await meter('Gaz naturel 1');
    const rejected = await meter('Gaz naturel 2');
    play.accepted = { ...accepted, answers: GUIDE_ANSWERS };
    play.rejected = { ...rejected, answers: WRONG_INVOICE_ANSWERS };
    play.property = { propertyId, name, meters: [play.accepted, play.rejected] };
    run.evidence.notes.push({
      fr: `propriété ${propertyId} « ${name} », compteurs ${accepted.meterId} et ${rejected.meterId} (gaz naturel, m³)`,
      en: `property ${propertyId} "${name}", meters ${accepted.meterId} and ${rejected.meterId} (Natural Gas, m³)`,
    });
    const read = await play.customer.espm.getMeter(accepted.meterId);
    run.check(
      { fr: 'le client relit son compteur, en m³', en: 'the customer reads its meter back in m³' },
      read.unitOfMeasure === 'cm (Cubic meters)',
      read.unitOfMeasure,
    );
  },

  async connection(play, run) {
    const provider = need(play.provider, 'the provider account');
    const accountId = need(play.customerAccountId, 'the customer account');
    run.add(await play.side.connect(provider));
    const requested = await shownInEspm(
      play,
      run,
      { fr: 'ESPM liste la demande de connexion', en: 'ESPM lists the connection request' },
      async () => (await play.ctx.espm.pendingConnections()).some((c) => c.accountId === accountId),
    );
    if (!requested) return;
    await cycle(play, run);
    const customers = await play.ctx.espm.listCustomers();
    run.check(
      {
        fr: 'la connexion est acceptée : le client est parmi les clients du fournisseur',
        en: 'the connection is accepted: the customer is among the provider’s customers',
      },
      customers.some((c) => c.accountId === accountId),
      customers.map((c) => c.accountId).join(', ') || 'no customer',
    );
  },

  async shares(play, run) {
    const provider = need(play.provider, 'the provider account');
    const property = need(play.property, 'the property');
    const accepted = need(play.accepted, 'the first meter');
    const rejected = need(play.rejected, 'the second meter');
    run.add(await play.side.share(provider, property, 'Read Write'));
    const shared = await shownInEspm(
      play,
      run,
      { fr: 'ESPM liste les deux partages de compteur', en: 'ESPM lists both meter shares' },
      async () => {
        const pending = await play.ctx.espm.pendingMeterShares();
        return [accepted, rejected].every((m) => pending.some((p) => p.meterId === m.meterId));
      },
    );
    if (!shared) return;
    await cycle(play, run);
    const verdicts: Array<[MeterToShare, string, Words]> = [
      [
        accepted,
        'accepted',
        {
          fr: 'le partage avec les numéros du guide est accepté',
          en: 'the share with the guide’s numbers is accepted',
        },
      ],
      [
        rejected,
        'rejected',
        {
          fr: 'le partage avec un autre numéro de facture est refusé',
          en: 'the share with another invoice number is rejected',
        },
      ],
    ];
    for (const [meter, status, what] of verdicts)
      await checkLinkStatus(play, run, what, meter.meterId, status);
    const note = rejectionNote(play.recorder.exchanges, rejected.meterId);
    run.check(
      {
        fr: 'la note du refus est en français et en anglais',
        en: 'the rejection’s note is in French and in English',
      },
      note !== undefined && / \/ /.test(note) && /facture/i.test(note) && /invoice/i.test(note),
      note ?? 'no answer sent',
    );
    const meter = await play.ctx.espm.getMeter(accepted.meterId);
    run.check(
      { fr: 'le fournisseur lit le compteur accepté', en: 'the provider reads the accepted meter' },
      meter.accessLevel !== undefined,
      meter.accessLevel,
    );
  },

  async history(play, run) {
    const accepted = need(play.accepted, 'the first meter');
    const link = await linkOf(play, accepted.meterId);
    const from = need(link?.history_from ?? undefined, 'the link’s history start');
    const expected = play.billing.filter((r) => r.period_end > from);
    const read = await play.customer.consumption(accepted.meterId);
    run.check(
      {
        fr: `le client lit ${expected.length} périodes sur son compteur`,
        en: `the customer reads ${expected.length} periods on its meter`,
      },
      read.length === expected.length,
      `${read.length} read`,
    );
    for (const row of expected) {
      const entry = read.find((e) => e.startDate === row.period_start && e.endDate === row.period_end);
      run.check(
        both(`${row.period_start} – ${row.period_end} : ${row.volume_m3} m³`),
        entry !== undefined && Number(entry.usage) === Number(row.volume_m3),
        entry ? `${entry.usage} m³ read` : 'not found',
      );
    }
  },

  async 'rebilled-period'(play, run) {
    const accepted = need(play.accepted, 'the first meter');
    const row = play.billing.at(-4)!;
    const before = (await play.customer.consumption(accepted.meterId)).find(
      (e) => e.startDate === row.period_start,
    );
    const entryId = need(before?.id, `the entry of ${row.period_start}`);
    const volume = String(Number(row.volume_m3) + 17);
    const imported = await importBillingRows(play.ctx.db, [{ ...row, volume_m3: volume }]);
    run.check(
      { fr: 'la période corrigée est importée', en: 'the corrected period imported' },
      imported.rowsRejected === 0,
      JSON.stringify(imported.rejections),
    );
    const mark = play.recorder.exchanges.length;
    await cycle(play, run);
    const writes = play.recorder.exchanges.slice(mark).filter((x) => x.method !== 'GET');
    run.check(
      {
        fr: `la correction arrive en PUT /consumptionData/${entryId}`,
        en: `the correction arrives as PUT /consumptionData/${entryId}`,
      },
      writes.some((x) => x.method === 'PUT' && x.path.endsWith(`/consumptionData/${entryId}`)),
      writes.map((x) => `${x.method} ${x.path}`).join(', ') || 'no write',
    );
    const after = (await play.customer.consumption(accepted.meterId)).find(
      (e) => e.startDate === row.period_start,
    );
    run.check(
      {
        fr: 'le client lit le volume corrigé sur la même entrée',
        en: 'the customer reads the corrected volume on the same entry',
      },
      after?.id === entryId && Number(after.usage) === Number(volume),
      after ? `entry ${after.id}: ${after.usage} m³` : 'not found',
    );
  },

  async 'read-only'(play, run) {
    const provider = need(play.provider, 'the provider account');
    const property = need(play.property, 'the property');
    const accepted = need(play.accepted, 'the first meter');
    if (!play.side.makeReadOnly)
      throw new StepNotPlayable({
        fr: `le côté ${play.side.name} ne peut pas changer le niveau d’un partage`,
        en: `the ${play.side.name} side cannot change a share’s level`,
      });
    run.add(await play.side.makeReadOnly(provider, property, accepted));
    const lowered = await shownInEspm(
      play,
      run,
      {
        fr: 'ESPM donne au fournisseur l’accès en lecture au compteur',
        en: 'ESPM gives the provider Read access to the meter',
      },
      async () => (await play.ctx.espm.getMeter(accepted.meterId)).accessLevel === 'Read',
    );
    if (!lowered) return;
    await cycle(play, run);
    await checkLinkStatus(
      play,
      run,
      { fr: 'le lien est suspendu', en: 'the link is paused' },
      accepted.meterId,
      'paused',
    );
    // What ESPM answers a write on a Read Only meter (reported in "what ESPM settled").
    play.recorder.step = 'read-only write';
    const last = play.billing.at(-1)!;
    const probeDay = new Date(Date.parse(`${last.period_end}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    try {
      const ids = await play.ctx.espm.createConsumption(accepted.meterId, [
        { startDate: probeDay, endDate: probeDay, usage: '1' },
      ]);
      run.check(READ_ONLY_WRITE_REFUSED, false, `accepted: entries ${ids.join(', ')}`);
      for (const id of ids) await play.ctx.espm.deleteConsumption(id).catch(() => undefined);
    } catch (e) {
      run.check(READ_ONLY_WRITE_REFUSED, true, (e as Error).message);
    }
  },

  async cleanup(play, run) {
    const accountId = play.customerAccountId;
    if (!accountId || !play.provider)
      throw new StepNotPlayable({ fr: 'rien n’a été créé', en: 'nothing was made' });
    for (const meter of [play.accepted, play.rejected]) {
      if (!meter) continue;
      const link = await linkOf(play, meter.meterId);
      if (link?.status === 'accepted' || link?.status === 'paused') {
        await play.ctx.espm.unshareMeter(meter.meterId, 'Fin de la répétition / End of the rehearsal');
        run.evidence.notes.push({
          fr: `compteur ${meter.meterId} : partage terminé`,
          en: `meter ${meter.meterId} unshared`,
        });
      }
    }
    const propertyId = play.property?.propertyId;
    const propertyShared = propertyId
      ? await play.ctx.db
          .selectFrom('espm_property')
          .select('share_status')
          .where('property_id', '=', propertyId)
          .executeTakeFirst()
      : undefined;
    if (propertyId && propertyShared?.share_status === 'accepted') {
      await play.ctx.espm.unshareProperty(propertyId, 'Fin de la répétition / End of the rehearsal');
      run.evidence.notes.push({
        fr: `propriété ${propertyId} : partage terminée`,
        en: `property ${propertyId} unshared`,
      });
    }
    const customers = await play.ctx.espm.listCustomers();
    if (customers.some((c) => c.accountId === accountId)) {
      await play.ctx.espm.disconnect(accountId, {
        keepShares: false,
        note: 'Fin de la répétition / End of the rehearsal',
      });
    }
    const after = await play.ctx.espm.listCustomers();
    run.check(
      { fr: 'le client n’est plus connecté', en: 'the customer is no longer connected' },
      !after.some((c) => c.accountId === accountId),
    );
  },
};

/** The note the gateway sent with its answer to the meter's share, as recorded. */
function rejectionNote(exchanges: readonly RecordedExchange[], meterId: string): string | undefined {
  const answer = exchanges.find(
    (x) => x.method === 'POST' && x.path.split('?')[0]!.endsWith(`/share/meter/${meterId}`),
  );
  return answer ? parseSharingResponse(answer.requestBody).note : undefined;
}
