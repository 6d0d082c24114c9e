// The rehearsal's report, one self-contained HTML file: each step's result and time with its checks
// and screenshots, "what ESPM settled" beside the simulator, then every request and answer in full
// (credentials masked). In French or English, like everything an operator reads.
import { html, toString, trusted } from '../console/html.ts';
import type { Html } from '../console/html.ts';
import type { Language, Words } from './customer-side.ts';
import type { RecordedExchange } from './exchange-recorder.ts';
import type { RehearsalResult } from './rehearsal.ts';
import type { FactAnswer, FactId } from './settled.ts';
import { FACT_IDS, SIMULATOR_ANSWERS, answerWords, sameAsSimulator } from './settled.ts';
import { STEP_TITLES } from './step-titles.ts';
import type { StepOutcome } from './steps.ts';

const OUTCOME: Record<StepOutcome, Words> = {
  passed: { fr: 'réussie', en: 'passed' },
  failed: { fr: 'échouée', en: 'failed' },
  skipped: { fr: 'sautée', en: 'skipped' },
};

const FACT_TITLES: Record<FactId, Words> = {
  'consumption-post-answer': {
    fr: 'Corps de la réponse à un POST de consommation',
    en: 'Body of the answer to a consumption POST',
  },
  'empty-list': { fr: 'Une liste vide : 200 ou 404', en: 'An empty list: 200 or 404' },
  'pending-meter-aggregate': {
    fr: 'La liste des compteurs en attente porte-t-elle aggregateMeter?',
    en: 'Does the pending meter list carry aggregateMeter?',
  },
  'rate-limit': {
    fr: 'Réponses de limite de débit et Retry-After',
    en: 'Rate-limit answers and Retry-After',
  },
  'read-only-write': {
    fr: 'Réponse à une écriture sur un compteur en lecture seulement',
    en: 'Answer to a write on a Read Only meter',
  },
};

const T = {
  title: { fr: 'Répétition dans l’environnement de test d’ESPM', en: 'Rehearsal in ESPM’s test environment' },
  verdictOk: { fr: 'Toutes les étapes ont réussi', en: 'Every step passed' },
  verdictKo: { fr: 'Des étapes ont échoué', en: 'Some steps failed' },
  side: { fr: 'Côté client', en: 'Customer side' },
  services: { fr: 'Services Web', en: 'Web services' },
  customer: { fr: 'Client', en: 'Customer' },
  provider: { fr: 'Fournisseur', en: 'Provider' },
  started: { fr: 'Début', en: 'Started' },
  steps: { fr: 'Étapes', en: 'Steps' },
  step: { fr: 'Étape', en: 'Step' },
  result: { fr: 'Résultat', en: 'Result' },
  time: { fr: 'Heure', en: 'Time' },
  duration: { fr: 'Durée', en: 'Duration' },
  settled: { fr: 'Ce qu’ESPM a tranché', en: 'What ESPM settled' },
  fact: { fr: 'Question', en: 'Question' },
  seen: { fr: 'Vu dans cette répétition', en: 'Seen in this run' },
  simulator: { fr: 'Notre simulateur', en: 'Our simulator' },
  compare: { fr: 'Comparaison', en: 'Comparison' },
  same: { fr: 'pareil', en: 'same' },
  differs: { fr: 'différent : le simulateur est à corriger', en: 'differs: the simulator is to be changed' },
  notSeen: { fr: 'pas vu dans cette répétition', en: 'not seen in this run' },
  exchanges: { fr: 'Requêtes et réponses', en: 'Requests and answers' },
  request: { fr: 'Requête', en: 'Request' },
  answer: { fr: 'Réponse', en: 'Answer' },
} satisfies Record<string, Words>;

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2433}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:2px solid #ccd}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccd;padding:.35rem .5rem;text-align:left;vertical-align:top}
.passed,.same{color:#17692f;font-weight:600}.failed,.differs{color:#b00020;font-weight:600}.skipped,.unseen{color:#6b6f80}
.verdict{padding:.6rem 1rem;border-radius:4px;font-weight:600}.verdict.passed{background:#e3f4e8}.verdict.failed{background:#fde7ea}
ul.checks{margin:.2rem 0;padding-left:1.1rem}li.ko{color:#b00020}
pre{white-space:pre-wrap;word-break:break-all;background:#f5f6fa;padding:.5rem;margin:.2rem 0;font-size:12px;max-height:24rem;overflow:auto}
details{margin:.4rem 0;border:1px solid #dde;padding:.3rem .6rem}summary{cursor:pointer}
img.shot{max-width:100%;border:1px solid #ccd;margin:.3rem 0}
`;

/** Secrets that must not appear in the report even inside a body. */
export interface ReportSecrets {
  passwords: string[];
}

function masker(secrets: ReportSecrets): (text: string) => string {
  const list = secrets.passwords.filter((p) => p.length >= 3);
  return (text) => list.reduce((t, p) => t.split(p).join('••••••'), text);
}

function headersText(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

function exchangeBlock(x: RecordedExchange, mask: (t: string) => string, lang: Language): Html {
  const bad = x.status === 'no answer' || x.status >= 400;
  return html`<details id="x${x.seq}" ${trusted(bad ? ' open' : '')}>
    <summary>
      #${x.seq} · ${x.step} · ${x.method} ${x.path} →
      <span class="${bad ? 'failed' : 'passed'}">${String(x.status)}</span> · ${x.durationMs} ms ·
      ${x.username ?? ''}
    </summary>
    <p>${T.request[lang]} · ${x.at}</p>
    <pre>
${mask(`${x.method} ${x.path}\n${headersText(x.requestHeaders)}`)}${x.requestBody ? `\n\n${mask(x.requestBody)}` : ''}</pre>
    <p>${T.answer[lang]}</p>
    <pre>
${mask(`${String(x.status)}\n${headersText(x.responseHeaders)}`)}${x.responseBody ? `\n\n${mask(x.responseBody)}` : ''}</pre>
  </details>`;
}

export function renderReport(result: RehearsalResult, lang: Language, secrets: ReportSecrets): string {
  const mask = masker(secrets);
  const verdict = result.passed ? 'passed' : 'failed';
  const steps = result.steps.map(
    (s) =>
      html`<tr id="step-${s.id}">
        <td>${STEP_TITLES[s.id][lang]}</td>
        <td class="${s.outcome}">${OUTCOME[s.outcome][lang]}</td>
        <td>${s.startedAt}</td>
        <td>${(s.durationMs / 1000).toFixed(1)} s</td>
        <td>
          ${s.reason ? html`<p class="${s.outcome}">${mask(s.reason[lang])}</p>` : ''}
          <ul class="checks">
            ${s.checks.map((c) => html`<li class="${c.ok ? 'ok' : 'ko'}">${c.ok ? '✓' : '✗'} ${c.what[lang]}${c.detail ? html` — ${mask(c.detail)}` : ''}</li>`)}
          </ul>
          ${s.evidence.notes.map((n) => html`<p>${mask(n[lang])}</p>`)}
          ${s.evidence.screenshots.map(
            (shot) =>
              html`<figure>
                <figcaption>${shot.title[lang]}</figcaption>
                <img
                  class="shot"
                  alt="${shot.title[lang]}"
                  src="data:image/png;base64,${shot.png.toString('base64')}"
                />
              </figure>`,
          )}
        </td>
      </tr>`,
  );
  const facts = FACT_IDS.map((id) => {
    const fact = result.facts[id];
    const same = sameAsSimulator(fact);
    const compare =
      same === undefined
        ? html`<span class="unseen">${T.notSeen[lang]}</span>`
        : same
          ? html`<span class="same">${T.same[lang]}</span>`
          : html`<span class="differs">${T.differs[lang]}</span>`;
    const words = (answers: FactAnswer[]) => answers.map((a) => answerWords(a)[lang]).join(' · ');
    return html`<tr id="fact-${id}">
      <td>${FACT_TITLES[id][lang]}</td>
      <td>
        ${fact.seen.length ? words(fact.seen) : '—'}
        ${fact.exchanges.slice(0, 5).map((n) => html` <a href="#x${n}">#${n}</a>`)}
      </td>
      <td>${words(SIMULATOR_ANSWERS[id])}</td>
      <td>${compare}</td>
    </tr>`;
  });
  // An empty label leaves a column's heading blank.
  const headRow = (labels: Array<keyof typeof T | ''>) =>
    html`<tr>
      ${labels.map((l) => html`<th>${l ? T[l][lang] : ''}</th>`)}
    </tr>`;
  const summary = (
    [
      ['side', result.side],
      ['services', result.baseUrl],
      ['provider', result.providerUsername],
      ['customer', result.customerUsername],
      ['started', result.startedAt],
    ] as const
  ).map(
    ([label, value]) =>
      html`<tr>
        <th>${T[label][lang]}</th>
        <td>${value}</td>
      </tr>`,
  );
  const page = html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <title>${T.title[lang]}</title>
        <style>
          ${trusted(CSS)}
        </style>
      </head>
      <body>
        <h1>${T.title[lang]}</h1>
        <p class="verdict ${verdict}" id="verdict">
          ${result.passed ? T.verdictOk[lang] : T.verdictKo[lang]}
        </p>
        <table>
          <tbody>
            ${summary}
          </tbody>
        </table>
        <h2>${T.steps[lang]}</h2>
        <table id="steps">
          <thead>
            ${headRow(['step', 'result', 'time', 'duration', ''])}
          </thead>
          <tbody>
            ${steps}
          </tbody>
        </table>
        <h2 id="settled">${T.settled[lang]}</h2>
        <table>
          <thead>
            ${headRow(['fact', 'seen', 'simulator', 'compare'])}
          </thead>
          <tbody>
            ${facts}
          </tbody>
        </table>
        <h2 id="exchanges">${T.exchanges[lang]} (${result.exchanges.length})</h2>
        ${result.exchanges.map((x) => exchangeBlock(x, mask, lang))}
      </body>
    </html> `;
  return toString(page);
}
