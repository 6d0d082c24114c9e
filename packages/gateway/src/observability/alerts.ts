// Alerts an operator expects, POSTed as JSON to GATEWAY_ALERT_WEBHOOK_URL:
// - service-failing: a service failed GATEWAY_ALERT_AFTER_FAILURES runs in a row (default 3);
// - espm-unauthorized: ESPM answered 401 (at once: the provider's credentials are refused);
// - espm-unavailable: ESPM answered GATEWAY_ALERT_AFTER_FAILURES times in a row that it is down or
//   refusing every call (maintenance 502, 503, 504, 429 without Retry-After); while it fires, services
//   failing for that reason raise no service-failing alert of their own: a maintenance of days is one alert;
// - billing-stale: no billing import finished for more than GATEWAY_BILLING_STALE_HOURS (default 48).
// One alert per condition (and service) until it clears, then one "resolved". Per process: each
// instance alerts on what it sees, and says which instance it is. A failed delivery is logged, never fatal.
// With GATEWAY_ALERT_SMTP_URL and GATEWAY_ALERT_EMAIL_TO, each alert is also e-mailed (nodemailer).
// Each says its cause (vocabulary/alerts.ts) in French and English (alert-text.ts).
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { createTransport } from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { request } from 'undici';
import type { Bilingual } from '../exchange/notes.ts';
import { noteText } from '../exchange/notes.ts';
import type { Database } from '../store/schema.ts';
import type { AlertCause, AlertName, AlertStatus } from '../vocabulary/alerts.ts';
import { alertMessages } from './alert-text.ts';
import { espmAttempts, serviceRuns } from './events.ts';

export interface AlertPayload {
  alert: AlertName;
  status: AlertStatus;
  service: string;
  /**
   * Both languages in one line, "français / English" as the notes to customers have them: a receiver
   * that shows one field (a chat channel, a pager) shows both, French first for the utility's operators.
   */
  message: string;
  messages: Bilingual;
  at: string;
  instance: string;
}

export interface AlertOptions {
  webhookUrl: string | undefined;
  /** smtp:// or smtps:// URL (may carry the credentials), with the recipients; unset: no e-mail. */
  email?: { smtpUrl: string; to: string[]; from: string } | undefined;
  afterFailures: number;
  billingStaleHours: number;
  instance?: string | undefined;
  log: FastifyBaseLogger;
  db: Kysely<Database>;
  /** How often the billing data's age is checked (default 10 min). */
  checkEveryMs?: number;
  timeoutMs?: number;
  now?: () => Date;
}

export class Alerts {
  private readonly active = new Map<string, AlertPayload>();
  private readonly failures = new Map<string, number>();
  /** ESPM's answers in a row saying it is down or refusing every call. */
  private espmDown = 0;
  private readonly instance: string;
  private readonly now: () => Date;
  private readonly startedAt: Date;
  private queue: Promise<void> = Promise.resolve();
  private readonly mailer: Transporter<SMTPTransport.SentMessageInfo> | undefined;

  constructor(private readonly options: AlertOptions) {
    this.instance = options.instance ?? `${hostname()}:${process.pid}`;
    this.now = options.now ?? (() => new Date());
    this.startedAt = this.now();
    const timeout = options.timeoutMs ?? 10_000;
    this.mailer = options.email ? createTransport(smtpOptions(options.email.smtpUrl, timeout)) : undefined;
  }

  /** Conditions currently firing, e.g. for the console or a test. */
  firing(): AlertPayload[] {
    return [...this.active.values()];
  }

  serviceRun(service: string, ok: boolean, error?: string): void {
    if (ok) {
      this.failures.delete(service);
      this.resolve({ alert: 'service-failing', status: 'resolved', service });
      return;
    }
    if (this.active.has('espm-unavailable/ESPM')) return; // the cause is alerted already
    const n = (this.failures.get(service) ?? 0) + 1;
    this.failures.set(service, n);
    if (n >= this.options.afterFailures) {
      this.raise({ alert: 'service-failing', status: 'firing', service, failures: n, error: error ?? null });
    }
  }

  espmAnswer(
    outcome: string,
    route: string,
    answer: { status?: number; holdsEveryCall?: boolean } = {},
  ): void {
    if (answer.holdsEveryCall) {
      if (++this.espmDown >= this.options.afterFailures) {
        this.raise({
          alert: 'espm-unavailable',
          status: 'firing',
          answers: this.espmDown,
          httpStatus: answer.status ?? null,
          route,
        });
      }
    } else if (answer.status !== undefined) {
      this.espmDown = 0;
      this.resolve({ alert: 'espm-unavailable', status: 'resolved', httpStatus: answer.status, route });
    }
    if (outcome === 'unauthorized') {
      this.raise({ alert: 'espm-unauthorized', status: 'firing', route });
    } else if (outcome === 'ok') {
      this.resolve({ alert: 'espm-unauthorized', status: 'resolved', route });
    }
  }

  /** Compares the last finished billing import with the allowed age. */
  async checkBilling(): Promise<void> {
    const row = await this.options.db
      .selectFrom('billing_import')
      .select((eb) => eb.fn.max('finished_at').as('last'))
      .where('status', '=', 'done')
      .executeTakeFirst();
    const last = row?.last ? new Date(row.last) : undefined;
    const since = last ?? this.startedAt;
    const ageHours = (this.now().getTime() - since.getTime()) / 3_600_000;
    if (ageHours > this.options.billingStaleHours) {
      this.raise({
        alert: 'billing-stale',
        status: 'firing',
        lastImport: last?.toISOString() ?? null,
        since: since.toISOString(),
        ageHours: Math.floor(ageHours),
        maxHours: this.options.billingStaleHours,
      });
    } else if (last) {
      this.resolve({ alert: 'billing-stale', status: 'resolved', lastImport: last.toISOString() });
    }
  }

  close(): void {
    this.mailer?.close();
  }

  /** Waits for the deliveries under way. */
  flush(): Promise<void> {
    return this.queue;
  }

  private raise(cause: AlertCause & { status: 'firing' }): void {
    const key = `${cause.alert}/${serviceOf(cause)}`;
    if (this.active.has(key)) return;
    const payload = this.payload(cause);
    this.active.set(key, payload);
    this.deliver(payload);
  }

  private resolve(cause: AlertCause & { status: 'resolved' }): void {
    if (!this.active.delete(`${cause.alert}/${serviceOf(cause)}`)) return;
    this.deliver(this.payload(cause));
  }

  private payload(cause: AlertCause): AlertPayload {
    const messages = alertMessages(cause);
    return {
      alert: cause.alert,
      status: cause.status,
      service: serviceOf(cause),
      message: noteText(messages),
      messages,
      at: this.now().toISOString(),
      instance: this.instance,
    };
  }

  private mail(
    mailer: Transporter<SMTPTransport.SentMessageInfo>,
    email: NonNullable<AlertOptions['email']>,
    payload: AlertPayload,
  ): void {
    const log = this.options.log;
    this.queue = this.queue.then(async () => {
      try {
        await mailer.sendMail({
          from: email.from,
          to: email.to,
          subject: subjectOf(payload),
          text: `${payload.messages.fr}\n\n${payload.messages.en}\n\nalert: ${payload.alert}\nstatus: ${payload.status}\nservice: ${payload.service}\nat: ${payload.at}\ninstance: ${payload.instance}\n`,
        });
      } catch (e) {
        log.warn(
          { event: 'alert-delivery', alert: payload.alert, channel: 'email', error: (e as Error).message },
          'alert e-mail not sent',
        );
      }
    });
  }

  private deliver(payload: AlertPayload): void {
    const log = this.options.log;
    (payload.status === 'firing' ? log.warn : log.info).call(
      log,
      { event: 'alert', ...payload },
      `alert ${payload.alert} ${payload.status}`,
    );
    if (this.mailer && this.options.email) this.mail(this.mailer, this.options.email, payload);
    const url = this.options.webhookUrl;
    if (!url) return;
    const timeout = this.options.timeoutMs ?? 10_000;
    this.queue = this.queue.then(async () => {
      try {
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          headersTimeout: timeout,
          bodyTimeout: timeout,
          signal: AbortSignal.timeout(timeout),
        });
        await res.body.dump();
        if (res.statusCode >= 300) {
          log.warn(
            { event: 'alert-delivery', alert: payload.alert, status: res.statusCode },
            'alert webhook refused the alert',
          );
        }
      } catch (e) {
        log.warn(
          { event: 'alert-delivery', alert: payload.alert, error: (e as Error).message },
          'alert webhook unreachable',
        );
      }
    });
  }
}

function smtpOptions(url: string, timeout: number): SMTPTransport.Options {
  return { url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout };
}

function subjectOf(p: AlertPayload): string {
  const status = p.status === 'firing' ? 'ALERTE / ALERT' : 'résolue / resolved';
  return `[espm-gateway] ${status}: ${p.alert} (${p.service})`;
}

/** What an alert is about, as the payload names it: the failing service, ESPM, or the billing import. */
function serviceOf(cause: AlertCause): string {
  switch (cause.alert) {
    case 'service-failing':
      return cause.service;
    case 'espm-unauthorized':
    case 'espm-unavailable':
      return 'ESPM';
    case 'billing-stale':
      return 'BillingImport';
  }
}

/** Listens to the service runs and the ESPM answers, and checks the billing data's age periodically. */
export function startAlerts(options: AlertOptions): { alerts: Alerts; stop: () => Promise<void> } {
  const alerts = new Alerts(options);
  const offRuns = serviceRuns.on((run) => alerts.serviceRun(run.service, run.ok, run.error));
  const offEspm = espmAttempts.on((a) => alerts.espmAnswer(a.outcome, a.route, a));
  const check = (): void =>
    void alerts
      .checkBilling()
      .catch((e: unknown) =>
        options.log.warn({ event: 'alert-check', error: (e as Error).message }, 'billing age check failed'),
      );
  const timer = setInterval(check, options.checkEveryMs ?? 600_000);
  timer.unref();
  check();
  return {
    alerts,
    stop: async () => {
      clearInterval(timer);
      offRuns();
      offEspm();
      await alerts.flush();
      alerts.close();
    },
  };
}
