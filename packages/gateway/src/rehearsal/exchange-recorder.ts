// Every web services request of the rehearsal, provider's and customer's, goes through this local
// forwarder, which keeps each request and answer in full for the report. The gateway and the customer's
// client are pointed at it by configuration alone: nothing in them knows they are recorded.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface RecordedExchange {
  seq: number;
  /** The step running when the request was made. */
  step: string;
  at: string;
  durationMs: number;
  /** The Basic username the request carried (never its password). */
  username: string | undefined;
  method: string;
  path: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status: number | 'no answer';
  responseHeaders: Record<string, string>;
  responseBody: string;
}

/** Headers whose value is a secret: shown as masked in the report. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
// Hop-by-hop headers are the forwarder's own business, not the exchange's.
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

export function maskedHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>) {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const v = Array.isArray(value) ? value.join(', ') : String(value);
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? maskSecret(name, v) : v;
  }
  return out;
}

function maskSecret(name: string, value: string): string {
  if (name.toLowerCase() === 'authorization' && /^basic /i.test(value)) {
    const user = basicUsername(value);
    return `Basic ••••••${user ? ` (${user})` : ''}`;
  }
  return '••••••';
}

function basicUsername(authorization: string | undefined): string | undefined {
  if (!authorization || !/^basic /i.test(authorization)) return undefined;
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(0, colon);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export class ExchangeRecorder {
  readonly exchanges: RecordedExchange[] = [];
  step = 'start';
  private readonly upstream: URL;
  private server: Server | undefined;
  private origin = '';

  /** upstream: the web services' base URL (e.g. https://portfoliomanager.energystar.gov/wstest/). */
  constructor(upstream: string) {
    this.upstream = new URL(upstream);
  }

  /** The base URL to give the clients: the upstream's path, on the local forwarder. */
  get baseUrl(): string {
    return `${this.origin}${this.upstream.pathname}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.forward(req).then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
        (e: unknown) => {
          res.destroy(e as Error);
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async forward(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const body = await readBody(req);
    const started = Date.now();
    const record: RecordedExchange = {
      seq: this.exchanges.length + 1,
      step: this.step,
      at: new Date(started).toISOString(),
      durationMs: 0,
      username: basicUsername(req.headers.authorization),
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      requestHeaders: maskedHeaders(req.headers),
      requestBody: body.toString('utf8'),
      status: 'no answer',
      responseHeaders: {},
      responseBody: '',
    };
    this.exchanges.push(record);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = String(value);
    }
    try {
      const res = await request(new URL(req.url ?? '/', this.upstream.origin), {
        method: record.method as 'GET',
        headers,
        body: body.length ? body : undefined,
      });
      const answer = Buffer.from(await res.body.arrayBuffer());
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined && !HOP_HEADERS.has(name))
          out[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      record.status = res.statusCode;
      record.responseHeaders = maskedHeaders(out);
      record.responseBody = answer.toString('utf8');
      return { status: res.statusCode, headers: out, body: answer };
    } finally {
      record.durationMs = Date.now() - started;
    }
  }
}
