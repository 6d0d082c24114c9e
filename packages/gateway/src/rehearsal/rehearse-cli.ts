// `npm run gateway -- rehearse`: the guide played end to end in ESPM's test environment with the
// provider's test credentials and a customer test account, checked, reported, and cleaned up.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadEspmConfig, loadRehearsalCustomerPassword } from '../config/config.ts';
import type { CustomerSide, CustomerSideName, Language } from './customer-side.ts';
import { CUSTOMER_SIDES } from './customer-side.ts';
import type { CustomerServices } from './customer-services.ts';
import { defaultWebUrl, isLiveEspm } from './live-guard.ts';
import { STEP_TITLES, renderReport } from './report.ts';

export const REHEARSE_USAGE = `usage: npm run gateway -- rehearse --customer-username <name> [options]

  plays the customer guide end to end in ESPM's test environment (ESPM_BASE_URL, e.g.
  https://portfoliomanager.energystar.gov/wstest/, with the provider's test ESPM_USERNAME and
  ESPM_PASSWORD) and checks every answer; the customer's password is ESPM_TEST_CUSTOMER_PASSWORD
  (or ESPM_TEST_CUSTOMER_PASSWORD_FILE). Its store and billing are its own, thrown away after.

  --customer-side browser|api|person   who plays the customer's steps (default browser: ESPM's Test
                                       web UI in headless Chromium; api: EPA's Test-only services;
                                       person: prints each step and waits for it)
  --web-url <url>                      the Test web UI (default: /pmtest beside ESPM_BASE_URL)
  --language fr|en                     the person's instructions and the report (default fr)
  --report <file>                      the report (default rehearsal-report.html)

  exit 0 every step passed, 1 a step failed, 2 bad usage or configuration, or ESPM's live URL
  (refused before any request)
`;

function usageError(problem: string): number {
  process.stderr.write(`${problem}\n\n${REHEARSE_USAGE}`);
  return 2;
}

export async function rehearseCommand(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        'customer-username': { type: 'string' },
        'customer-side': { type: 'string', default: 'browser' },
        'web-url': { type: 'string' },
        language: { type: 'string', default: 'fr' },
        report: { type: 'string', default: 'rehearsal-report.html' },
      },
    }).values;
  } catch (e) {
    return usageError((e as Error).message);
  }
  const username = values['customer-username'];
  if (!username) return usageError('rehearse needs --customer-username');
  const sideName = values['customer-side'] as CustomerSideName;
  if (!CUSTOMER_SIDES.includes(sideName))
    return usageError(`--customer-side must be one of ${CUSTOMER_SIDES.join(', ')}`);
  const language = values.language as Language;
  if (language !== 'fr' && language !== 'en') return usageError('--language must be fr or en');

  let espm;
  let password;
  try {
    espm = loadEspmConfig();
    // Before anything else can make a request: never rehearse on the live web services.
    if (isLiveEspm(espm.baseUrl)) {
      process.stderr.write(
        `ESPM_BASE_URL ${espm.baseUrl} is ESPM's live environment: the rehearsal runs only against the test environment (/wstest/) or a simulator\n`,
      );
      return 2;
    }
    password = loadRehearsalCustomerPassword();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`configuration: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const webUrl = values['web-url'] ?? defaultWebUrl(espm.baseUrl);
  const side = await sideFactory(sideName, {
    webUrl,
    language,
    username,
    password,
    providerUsername: espm.username,
  });

  const { rehearse } = await import('./rehearsal.ts');
  const result = await rehearse({
    espm,
    customer: { username, password },
    side,
    onStep: (id) => process.stdout.write(`${STEP_TITLES[id][language]}…\n`),
  });
  const file = resolve(values.report);
  writeFileSync(file, renderReport(result, language, { passwords: [password, espm.password] }));
  for (const s of result.steps) {
    process.stdout.write(
      `${s.outcome.padEnd(7)} ${STEP_TITLES[s.id][language]} (${(s.durationMs / 1000).toFixed(1)} s)${s.reason ? `: ${s.reason}` : ''}\n`,
    );
    for (const c of s.checks.filter((c) => !c.ok))
      process.stdout.write(`        ✗ ${c.what[language]}${c.detail ? ` — ${c.detail}` : ''}\n`);
  }
  process.stdout.write(`report: ${file}\n`);
  return result.passed ? 0 : 1;
}

interface SideSettings {
  webUrl: string;
  language: Language;
  username: string;
  password: string;
  providerUsername: string;
}

async function sideFactory(
  name: CustomerSideName,
  s: SideSettings,
): Promise<(customer: CustomerServices) => CustomerSide> {
  switch (name) {
    case 'api': {
      const { apiSide } = await import('./api-side.ts');
      return (customer) => apiSide(customer);
    }
    case 'person': {
      const { personSide } = await import('./person-side.ts');
      return (customer) =>
        personSide({
          customer,
          webUrl: s.webUrl,
          providerUsername: s.providerUsername,
          language: s.language,
          out: process.stdout,
        });
    }
    case 'browser': {
      const { browserSide } = await import('./browser-side.ts');
      return () =>
        browserSide({ webUrl: s.webUrl, username: s.username, password: s.password, language: s.language });
    }
  }
}
