// A browser for console tests over fastify inject: keeps cookies, signs in through the form, posts
// forms with the page's CSRF token.
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { TEST_PASSWORD } from './console-gateway.ts';

export class ConsoleClient {
  cookies = new Map<string, string>();
  constructor(
    private readonly app: FastifyInstance,
    private readonly ip = '127.0.0.1',
  ) {}

  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: LightMyRequestResponse): void {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const gone = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'GET',
      url,
      headers: { cookie: this.header() },
      remoteAddress: this.ip,
    });
    this.keep(res);
    return res;
  }

  async post(url: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
      remoteAddress: this.ip,
    });
    this.keep(res);
    return res;
  }

  async upload(url: string, fields: Record<string, string>, file: { name: string; content: string }) {
    const boundary = '----console-test-boundary';
    const parts = Object.entries(fields).map(
      ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
    );
    parts.push(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: text/csv\r\n\r\n${file.content}\r\n`,
    );
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.header(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `${parts.join('')}--${boundary}--\r\n`,
      remoteAddress: this.ip,
    });
    this.keep(res);
    return res;
  }

  async signIn(username: string, password = TEST_PASSWORD): Promise<LightMyRequestResponse> {
    const page = await this.get('/connexion');
    return this.post('/connexion', { _csrf: csrfOf(page.body), username, password });
  }

  /** The CSRF token of the last page of the session, for forms. */
  async csrf(): Promise<string> {
    return csrfOf((await this.get('/')).body);
  }

  /** Posts the form of the page at `pageUrl` (its CSRF token) to `action` with the fields given. */
  async submit(pageUrl: string, action: string, fields: Record<string, string>) {
    const page = await this.get(pageUrl);
    return this.post(action, { _csrf: csrfOf(page.body), ...fields });
  }

  async setLang(lang: 'fr' | 'en'): Promise<void> {
    await this.get(`/langue/${lang}`);
  }
}

export function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  assert.ok(m, 'the page has a CSRF field');
  return m[1]!;
}

/** The page's text with its non-breaking spaces made plain, for assertions on words. */
export function plainText(body: string): string {
  return body.replace(/[\u00a0\u202f]/g, ' ');
}
