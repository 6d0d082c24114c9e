// The environment, read once at start into a typed configuration; a bad value stops the start
// with a message naming the variable.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { DEFAULT_PRIVACY_RULE } from '../buildings/privacy-rule.ts';
import { DEFAULT_RENEWAL_MONTHS } from '../buildings/renewal.ts';
import type { PrivacyRule } from '../buildings/privacy-rule.ts';
import type { Bilingual } from '../exchange/notes.ts';
import { isPlainText } from '../text/plain-text.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface EspmConfig {
  baseUrl: string;
  username: string;
  password: string;
  maxRps: number;
  maxConcurrency: number;
  timeoutMs: number;
}

export interface GatewayConfig {
  espm: EspmConfig;
  /** PostgreSQL in production; unset means the embedded store in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  sendCost: boolean;
  /** Token the billing system presents to push rows over HTTP; unset disables the ingest. */
  ingestToken: string | undefined;
  http: {
    host: string;
    port: number;
    /**
     * Addresses or CIDR ranges of the reverse proxies in front (GATEWAY_TRUST_PROXY): only their
     * X-Forwarded-For/-Proto/-Host are believed, so that the sign-in limit counts the browser's address.
     */
    trustProxy: string[];
  };
  schedule: {
    requestsEverySeconds: number;
    notificationsEverySeconds: number;
    consumptionEverySeconds: number;
  };
  // --- Operability (observability/): logs, metrics, alerts, retention
  operability?: OperabilityConfig;
  // --- The operators' console (console/)
  console?: ConsoleConfig;
  // --- Whole-building data (buildings/, docs/buildings.md)
  privacy?: PrivacyRule;
  /** How often an operator renews a link fed by an aggregation code (exchange/building-links.ts). */
  renewalMonths?: number;
  // --- How customers reach the utility, said in the notes that ask them to (exchange/notes.ts)
  customerContact?: Bilingual | undefined;
}

/**
 * GATEWAY_CUSTOMER_CONTACT_FR and _EN: how a customer reaches the utility (a phone line, a page), as
 * the notes say it in each language ("le service à la clientèle au 1 800 …"). Both or neither.
 */
export function loadCustomerContact(env: Env = process.env): Bilingual | undefined {
  const fr = raw(env, 'GATEWAY_CUSTOMER_CONTACT_FR')?.trim();
  const en = raw(env, 'GATEWAY_CUSTOMER_CONTACT_EN')?.trim();
  if (fr === undefined && en === undefined) return undefined;
  if (!fr || !en)
    throw new ConfigError(
      'GATEWAY_CUSTOMER_CONTACT_FR and GATEWAY_CUSTOMER_CONTACT_EN go together: set both',
    );
  for (const [name, v] of [
    ['GATEWAY_CUSTOMER_CONTACT_FR', fr],
    ['GATEWAY_CUSTOMER_CONTACT_EN', en],
  ] as const) {
    if (v.length > 200 || !isPlainText(v))
      throw new ConfigError(`${name} must be one line of at most 200 characters`);
  }
  return { fr, en };
}

/**
 * Which building months may be written, and when (docs/buildings.md says where the defaults come from):
 * GATEWAY_PRIVACY_MIN_CUSTOMERS (2 or more), GATEWAY_PRIVACY_MAX_CUSTOMER_PERCENT (1 to 100) and
 * GATEWAY_BUILDING_SETTLEMENT_DAYS. The earlier names GATEWAY_PRIVACY_MIN_ACCOUNTS and
 * GATEWAY_PRIVACY_MAX_ACCOUNT_PERCENT, documented before customers were counted, are still read.
 */
export function loadPrivacyRule(env: Env = process.env): PrivacyRule {
  const countName =
    raw(env, 'GATEWAY_PRIVACY_MIN_CUSTOMERS') === undefined &&
    raw(env, 'GATEWAY_PRIVACY_MIN_ACCOUNTS') !== undefined
      ? 'GATEWAY_PRIVACY_MIN_ACCOUNTS'
      : 'GATEWAY_PRIVACY_MIN_CUSTOMERS';
  const shareName =
    raw(env, 'GATEWAY_PRIVACY_MAX_CUSTOMER_PERCENT') === undefined &&
    raw(env, 'GATEWAY_PRIVACY_MAX_ACCOUNT_PERCENT') !== undefined
      ? 'GATEWAY_PRIVACY_MAX_ACCOUNT_PERCENT'
      : 'GATEWAY_PRIVACY_MAX_CUSTOMER_PERCENT';
  const minCustomers = positiveNumber(env, countName, DEFAULT_PRIVACY_RULE.minCustomers, true);
  // One customer's "aggregate" would be that tenant's own consumption.
  if (minCustomers < 2) throw new ConfigError(`${countName} must be 2 or more`);
  const maxCustomerPercent = positiveNumber(env, shareName, DEFAULT_PRIVACY_RULE.maxCustomerPercent, true);
  if (maxCustomerPercent > 100) throw new ConfigError(`${shareName} must be 100 or less`);
  const settlementDays = positiveNumber(
    env,
    'GATEWAY_BUILDING_SETTLEMENT_DAYS',
    DEFAULT_PRIVACY_RULE.settlementDays,
    true,
  );
  return { minCustomers, maxCustomerPercent, settlementDays };
}

/** The operators' console (console/plugin.ts). */
export interface ConsoleConfig {
  /**
   * Cookies marked Secure and Strict-Transport-Security sent even on plain HTTP: TLS ended by a proxy
   * in front (GATEWAY_CONSOLE_SECURE_COOKIES).
   */
  secureCookies: boolean;
}

export function loadConsoleConfig(env: Env = process.env): ConsoleConfig {
  return { secureCookies: boolean(env, 'GATEWAY_CONSOLE_SECURE_COOKIES', false) };
}

/** Operability settings (observability/): logs, metrics, alerts and data retention. */
export interface OperabilityConfig {
  /** pino level of the JSON logs written to stdout by serve. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** /metrics asks for "Authorization: Bearer <token>"; unset, /metrics refuses every request. */
  metricsToken: string | undefined;
  /** Where alerts are POSTed as JSON; unset disables them. */
  alertWebhookUrl: string | undefined;
  /** Alerts also e-mailed through this SMTP server (smtp:// or smtps://, credentials allowed), when set. */
  alertEmail: { smtpUrl: string; to: string[]; from: string } | undefined;
  /** Consecutive failed runs of a service before an alert. */
  alertAfterFailures: number;
  /** No billing import for longer than this raises an alert. */
  billingStaleHours: number;
  /** Gateway log lines, handled notifications and old imports' rejections are kept this long. */
  logRetentionDays: number;
  /** The name this instance gives itself in alerts (default: the host name and process id). */
  instance: string | undefined;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function alertEmail(env: Env): OperabilityConfig['alertEmail'] {
  const smtp = raw(env, 'GATEWAY_ALERT_SMTP_URL');
  const to = raw(env, 'GATEWAY_ALERT_EMAIL_TO');
  if (smtp === undefined && to === undefined) return undefined;
  if (smtp === undefined)
    throw new ConfigError('GATEWAY_ALERT_SMTP_URL is required with GATEWAY_ALERT_EMAIL_TO');
  if (to === undefined)
    throw new ConfigError('GATEWAY_ALERT_EMAIL_TO is required with GATEWAY_ALERT_SMTP_URL');
  let parsed: URL;
  try {
    parsed = new URL(smtp);
  } catch {
    // the URL may hold a password: not repeated in the message
    throw new ConfigError('GATEWAY_ALERT_SMTP_URL is not a URL');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new ConfigError('GATEWAY_ALERT_SMTP_URL must start with smtp:// or smtps://');
  }
  const recipients = to
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (!recipients.length || recipients.some((a) => !/^[^@\s]+@[^@\s]+$/.test(a))) {
    throw new ConfigError(`GATEWAY_ALERT_EMAIL_TO must be e-mail addresses separated by commas, not "${to}"`);
  }
  const from = raw(env, 'GATEWAY_ALERT_EMAIL_FROM') ?? `espm-gateway@${parsed.hostname}`;
  return { smtpUrl: smtp, to: recipients, from };
}

export function loadOperabilityConfig(env: Env = process.env): OperabilityConfig {
  const level = raw(env, 'GATEWAY_LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(`GATEWAY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${level}"`);
  }
  const webhook = raw(env, 'GATEWAY_ALERT_WEBHOOK_URL');
  return {
    logLevel: level as OperabilityConfig['logLevel'],
    metricsToken: raw(env, 'GATEWAY_METRICS_TOKEN'),
    alertWebhookUrl:
      webhook === undefined ? undefined : url(env, 'GATEWAY_ALERT_WEBHOOK_URL', ['https:', 'http:']),
    alertEmail: alertEmail(env),
    alertAfterFailures: positiveNumber(env, 'GATEWAY_ALERT_AFTER_FAILURES', 3, true),
    billingStaleHours: positiveNumber(env, 'GATEWAY_BILLING_STALE_HOURS', 48),
    logRetentionDays: positiveNumber(env, 'GATEWAY_LOG_RETENTION_DAYS', 400, true),
    instance: raw(env, 'GATEWAY_INSTANCE_NAME'),
  };
}

type Env = Record<string, string | undefined>;

/** A variable's value, or the content of the file named by NAME_FILE (for secrets). */
function raw(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new ConfigError(`${name}_FILE: cannot read ${file}: ${(e as Error).message}`);
    }
  }
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function required(env: Env, name: string): string {
  const v = raw(env, name);
  if (v === undefined) throw new ConfigError(`${name} is required`);
  return v;
}

function positiveNumber(env: Env, name: string, fallback: number, integer = false): number {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new ConfigError(`${name} must be a positive ${integer ? 'integer' : 'number'}, not "${v}"`);
  }
  return n;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, not "${v}"`);
}

function url(env: Env, name: string, protocols: string[]): string {
  const v = required(env, name);
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${v}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => p + '//').join(' or ')}`);
  }
  return v;
}

/** The parts every command needs to reach the store. */
export function loadStoreConfig(env: Env = process.env): Pick<GatewayConfig, 'databaseUrl' | 'dataDir'> {
  const databaseUrl = raw(env, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  }
  return { databaseUrl, dataDir: raw(env, 'GATEWAY_DATA_DIR') ?? './data' };
}

export function loadEspmConfig(env: Env = process.env): EspmConfig {
  const baseUrl = url(env, 'ESPM_BASE_URL', ['https:', 'http:']);
  if (new URL(baseUrl).username)
    throw new ConfigError('ESPM_BASE_URL must not carry credentials; use ESPM_USERNAME');
  return {
    baseUrl,
    username: required(env, 'ESPM_USERNAME'),
    password: required(env, 'ESPM_PASSWORD'),
    maxRps: positiveNumber(env, 'ESPM_MAX_RPS', 5),
    maxConcurrency: positiveNumber(env, 'ESPM_MAX_CONCURRENCY', 4, true),
    timeoutMs: positiveNumber(env, 'ESPM_TIMEOUT_MS', 60_000, true),
  };
}

/** The rehearsal's customer account in ESPM's test environment (rehearsal/): its password. */
export function loadRehearsalCustomerPassword(env: Env = process.env): string {
  return required(env, 'ESPM_TEST_CUSTOMER_PASSWORD');
}

function proxies(env: Env, name: string): string[] {
  const list = (raw(env, name) ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of list) {
    const [address, bits, extra] = p.split('/');
    const version = isIP(address ?? '');
    const maxBits = version === 6 ? 128 : 32;
    if (
      !version ||
      extra !== undefined ||
      (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits))
    )
      throw new ConfigError(
        `${name} must list IP addresses or CIDR ranges separated by commas ("${p}" is neither)`,
      );
  }
  return list;
}

export function loadConfig(env: Env = process.env): GatewayConfig {
  const port = raw(env, 'GATEWAY_PORT');
  if (port !== undefined && !/^\d{1,5}$/.test(port))
    throw new ConfigError(`GATEWAY_PORT must be a port number`);
  return {
    ...loadStoreConfig(env),
    espm: loadEspmConfig(env),
    sendCost: boolean(env, 'GATEWAY_SEND_COST', false),
    ingestToken: raw(env, 'GATEWAY_INGEST_TOKEN'),
    http: {
      host: raw(env, 'GATEWAY_HOST') ?? '127.0.0.1',
      port: port === undefined ? 8080 : Number(port),
      trustProxy: proxies(env, 'GATEWAY_TRUST_PROXY'),
    },
    schedule: {
      requestsEverySeconds: positiveNumber(env, 'GATEWAY_REQUESTS_EVERY_SECONDS', 300, true),
      notificationsEverySeconds: positiveNumber(env, 'GATEWAY_NOTIFICATIONS_EVERY_SECONDS', 300, true),
      consumptionEverySeconds: positiveNumber(env, 'GATEWAY_CONSUMPTION_EVERY_SECONDS', 86_400, true),
    },
    operability: loadOperabilityConfig(env), // observability/
    console: loadConsoleConfig(env), // console/
    privacy: loadPrivacyRule(env), // buildings/
    renewalMonths: positiveNumber(env, 'GATEWAY_BUILDING_RENEWAL_MONTHS', DEFAULT_RENEWAL_MONTHS, true),
    customerContact: loadCustomerContact(env), // exchange/notes.ts
  };
}

// --- Several instances (exchange/leases.ts, cli/serve.ts): leases on links and services, shutdown
export interface CoordinationConfig {
  /** A lease on a link or a service step lasts this long unless renewed; a dead instance's work waits this long. */
  leaseSeconds: number;
  /** On SIGTERM/SIGINT, serve lets the job in hand finish for at most this long. */
  shutdownTimeoutSeconds: number;
}

export function loadCoordinationConfig(env: Env = process.env): CoordinationConfig {
  return {
    leaseSeconds: positiveNumber(env, 'GATEWAY_LEASE_SECONDS', 60, true),
    shutdownTimeoutSeconds: positiveNumber(env, 'GATEWAY_SHUTDOWN_TIMEOUT_SECONDS', 30, true),
  };
}
