import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Handler } from '../../test-support/stand-in-espm.ts';
import { standInEspm } from '../../test-support/stand-in-espm.ts';
import { buildErrorResponse, buildOkResponse } from '../xml/response.ts';
import { EspmClient } from './client.ts';
import { EspmError } from './errors.ts';
import { RequestLimiter } from './limiter.ts';

const PASSWORD = 'pr0vider-s3cret';

describe('ESPM transport', () => {
  let handler: Handler = () => {};
  const espm = standInEspm((req, res, body) => handler(req, res, body));
  let baseUrl = '';

  before(async () => {
    baseUrl = await espm.start();
  });
  after(() => espm.stop());

  function client(overrides: Partial<ConstructorParameters<typeof EspmClient>[0]> = {}): EspmClient {
    return new EspmClient({
      baseUrl,
      username: 'provider',
      password: PASSWORD,
      maxRps: 1000,
      maxConcurrency: 4,
      retryBaseMs: 5,
      retryMaxMs: 20,
      timeoutMs: 300,
      ...overrides,
    });
  }

  function xml(
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': 'application/xml', ...headers });
    res.end(body);
  }

  /** Every request is answered with ESPM's Error envelope holding this one error. */
  function refuseAll(status: number, error: { errorNumber: string; errorDescription: string }): void {
    handler = (_req, res) => xml(res, status, buildErrorResponse([error]));
  }

  it('sends Basic credentials under the base URL and returns the parsed answer', async () => {
    let seen = '';
    handler = (req, res) => {
      seen = `${req.method} ${req.url} ${req.headers.authorization}`;
      xml(res, 200, buildOkResponse({ id: '42' }));
    };
    const c = client();
    assert.equal(
      await c.createCustomField({ name: 'N', required: true, validCharacters: 'Any', whenToPrompt: 'Meter' }),
      '42',
    );
    assert.equal(
      seen,
      `POST /ws/dataExchangeSettings/customField Basic ${Buffer.from(`provider:${PASSWORD}`).toString('base64')}`,
    );
    await c.close();
  });

  it('treats an Error envelope as an error even under HTTP 200', async () => {
    refuseAll(200, { errorNumber: '-220', errorDescription: 'You do not have access to this property.' });
    const c = client();
    const e = await c.getMeter('1').catch((x: unknown) => x);
    assert.ok(e instanceof EspmError);
    assert.equal(e.kind, 'rejected');
    assert.equal(e.status, 200);
    assert.equal(e.errors[0]!.errorNumber, '-220');
    await c.close();
  });

  it('maps 401, 403, 404 and 400 to their kinds with ESPM error numbers, and never shows the password', async () => {
    const cases: Array<[number, string]> = [
      [401, 'unauthorized'],
      [403, 'access-lost'],
      [404, 'access-lost'],
      [400, 'rejected'],
    ];
    const c = client();
    for (const [status, kind] of cases) {
      refuseAll(status, { errorNumber: '-200', errorDescription: 'Access Denied' });
      const e = await c.unshareMeter('157127890').catch((x: unknown) => x);
      assert.ok(e instanceof EspmError);
      assert.equal(e.kind, kind);
      assert.equal(e.status, status);
      assert.equal(e.method, 'POST');
      assert.equal(e.path, '/unshare/meter/157127890');
      assert.deepEqual(e.errors, [{ errorNumber: '-200', errorDescription: 'Access Denied' }]);
      assert.ok(!JSON.stringify({ ...e, message: e.message, stack: e.stack }).includes(PASSWORD));
    }
    await c.close();
  });

  it('keeps ESPM’s error number and text of a refused answer', async () => {
    refuseAll(400, {
      errorNumber: '-200',
      errorDescription: "The pending request doesn't exist or has been fulfilled.",
    });
    const c = client();
    const e = (await c.answerMeterShare('1', 'Accept', 'ok').catch((x: unknown) => x)) as EspmError;
    assert.equal(e.kind, 'rejected');
    assert.deepEqual(e.errors, [
      { errorNumber: '-200', errorDescription: "The pending request doesn't exist or has been fulfilled." },
    ]);
    await c.close();
  });

  it('retries a 429 on a POST after the Retry-After delay, pausing other calls too', async () => {
    let calls = 0;
    const times: number[] = [];
    handler = (_req, res) => {
      times.push(Date.now());
      if (++calls === 1)
        return xml(
          res,
          429,
          buildErrorResponse([{ errorNumber: '-200', errorDescription: 'Too many requests' }]),
          { 'retry-after': '0.3' },
        );
      xml(res, 200, buildOkResponse());
    };
    const c = client();
    await c.answerConnection('5', 'Accept', 'Bienvenue / Welcome');
    assert.equal(calls, 2);
    assert.ok(times[1]! - times[0]! >= 280, `waited ${times[1]! - times[0]!} ms`);
    await c.close();
  });

  it('retries 5xx on reads but never on a POST', async () => {
    let calls = 0;
    handler = (_req, res) =>
      ++calls < 3
        ? xml(res, 503, '<html>down</html>')
        : xml(res, 200, '<customer><username>u</username></customer>');
    const c = client();
    assert.deepEqual(await c.getCustomer('7'), { username: 'u' });
    assert.equal(calls, 3);
    calls = 0;
    handler = (_req, res) => {
      calls++;
      xml(res, 500, '<html>oops</html>');
    };
    const e = (await c
      .createConsumption('7', [{ startDate: '2024-01-01', endDate: '2024-01-31', usage: '1' }])
      .catch((x: unknown) => x)) as EspmError;
    assert.equal(calls, 1);
    assert.equal(e.kind, 'unavailable');
    assert.equal(e.outcomeUnknown, true);
    assert.match(e.message, /oops/);
    await c.close();
  });

  it('gives up after the configured retries', async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls++;
      xml(res, 502, '');
    };
    const c = client({ maxRetries: 2 });
    const e = (await c.getMeter('1').catch((x: unknown) => x)) as EspmError;
    assert.equal(calls, 3);
    assert.equal(e.attempts, 3);
    await c.close();
  });

  // Callers at once through an outage of 400 ms, against a client that may hold them that long: each
  // gets the customer in the end. Returns how many of the outage's answers were sent.
  const callers = 6;
  async function servedThroughOutage(status: number, body: string): Promise<number> {
    const outageUntil = Date.now() + 400;
    let sent = 0;
    handler = (_req, res) => {
      if (Date.now() < outageUntil) {
        sent++;
        return xml(res, status, body);
      }
      xml(res, 200, '<customer><username>u</username></customer>');
    };
    const c = client({
      maxConcurrency: callers,
      retryBaseMs: 10,
      retryMaxMs: 400,
      outageHoldMaxMs: 400,
      maxRetries: 20,
    });
    const answers = await Promise.all(Array.from({ length: callers }, () => c.getCustomer('7')));
    assert.deepEqual(answers, Array(callers).fill({ username: 'u' }));
    await c.close();
    return sent;
  }

  it('holds every caller while ESPM is down, longer with each maintenance page, instead of each knocking alone', async () => {
    const down = await servedThroughOutage(502, '<html>Maintenance</html>');
    // Backing off alone (full jitter from 10 ms up to 400), each caller knocks ~7 times in 400 ms.
    assert.ok(down <= 4 * callers, `${down} maintenance pages for ${callers} callers`);
  });

  it('holds every caller on a 429 without Retry-After (the form EPA documents), one asking at a time', async () => {
    const limited = await servedThroughOutage(
      429,
      '<response status="Error"><errors><error errorNumber="-200" errorDescription="Too many requests"/></errors></response>',
    );
    // Held together, doubling from 10 ms: about one 429 per hold, whatever the number of callers.
    assert.ok(limited <= 10, `${limited} answers 429 for ${callers} callers`);
  });

  it('lets the hold of a lasting outage grow past a call’s own backoff, up to outageHoldMaxMs', async () => {
    const times: number[] = [];
    handler = (_req, res) => {
      times.push(Date.now());
      xml(res, 502, '<html>Maintenance</html>');
    };
    const c = client({ retryBaseMs: 5, retryMaxMs: 20, outageHoldMaxMs: 1000, maxRetries: 8 });
    const e = (await c.getCustomer('7').catch((x: unknown) => x)) as EspmError;
    assert.equal(e.kind, 'unavailable');
    assert.equal(times.length, 9);
    const lastGap = times[8]! - times[7]!;
    // Holds of half to all of 5, 10, … 640 ms: the last alone is over 300 ms, far past retryMaxMs.
    assert.ok(lastGap >= 300, `last hold ${lastGap} ms`);
    await c.close();
  });

  it('reports a POST that got no answer as a timeout whose outcome is unknown', async () => {
    let calls = 0;
    handler = () => {
      calls++; // never answers
    };
    const c = client({ timeoutMs: 150 });
    const e = (await c
      .createConsumption('9', [{ startDate: '2024-01-01', endDate: '2024-01-31', usage: '1' }])
      .catch((x: unknown) => x)) as EspmError;
    assert.equal(e.kind, 'timeout');
    assert.equal(e.outcomeUnknown, true);
    assert.equal(calls, 1);
    await c.close();
  });

  it('ends a call in flight and one waiting at once when stopped, trying neither again', async () => {
    let calls = 0;
    handler = () => {
      calls++; // never answers
    };
    const c = client({ timeoutMs: 60_000, maxConcurrency: 1 });
    const started = Date.now();
    const inFlight = c.getCustomer('7').catch((x: unknown) => x);
    const waiting = c.getCustomer('8').catch((x: unknown) => x);
    await new Promise((r) => setTimeout(r, 100));
    c.stop();
    const [a, b] = (await Promise.all([inFlight, waiting])) as EspmError[];
    assert.ok(Date.now() - started < 1000);
    for (const e of [a!, b!]) {
      assert.ok(e instanceof EspmError, String(e));
      assert.match(e.message, /shutting down/);
    }
    assert.equal(calls, 1);
    await c.close();
  });

  it('reports malformed XML and retries it on reads', async () => {
    let calls = 0;
    handler = (_req, res) =>
      ++calls === 1
        ? xml(res, 200, '<meter><id>1</meter')
        : xml(
            res,
            200,
            '<meter><type>Natural Gas</type><name>M</name><unitOfMeasure>therms</unitOfMeasure><firstBillDate>2020-01-01</firstBillDate><inUse>true</inUse></meter>',
          );
    const c = client();
    assert.equal((await c.getMeter('1')).unitOfMeasure, 'therms');
    assert.equal(calls, 2);
    handler = (_req, res) => xml(res, 200, 'not xml at all');
    const e = (await c.answerMeterShare('1', 'Reject').catch((x: unknown) => x)) as EspmError;
    assert.equal(e.kind, 'malformed');
    await c.close();
  });

  it('follows every next page link of a pending list', async () => {
    handler = (req, res) => {
      const page = Number(new URL(req.url!, 'http://x').searchParams.get('page') ?? '1');
      const next =
        page < 3
          ? `<links><link linkDescription="next page" link="/connect/account/pending/list?page=${page + 1}" httpMethod="GET"/></links>`
          : '';
      const account = `<account><accountId>${page}</accountId><username>u${page}</username><accountInfo><firstName>A</firstName><lastName>B</lastName><email>e</email><address address1="1" city="Montréal" postalCode="H1H 1H1" country="CA"/><jobTitle>j</jobTitle><phone>p</phone></accountInfo></account>`;
      xml(res, 200, `<pendingList>${account}${next}</pendingList>`);
    };
    const c = client();
    const list = await c.pendingConnections();
    assert.deepEqual(
      list.map((a) => a.accountId),
      ['1', '2', '3'],
    );
    await c.close();
  });

  it('stops on next page links that go round in a circle', async () => {
    handler = (_req, res) =>
      xml(
        res,
        200,
        '<pendingList><links><link linkDescription="next page" link="/share/meter/pending/list" httpMethod="GET"/></links></pendingList>',
      );
    const c = client();
    await assert.rejects(c.pendingMeterShares(), /circle/);
    await c.close();
  });

  it('always says whether to clear notifications', async () => {
    let url = '';
    handler = (req, res) => {
      url = req.url!;
      xml(res, 200, '<notificationList/>');
    };
    const c = client();
    assert.deepEqual(await c.notifications({ clear: false }), []);
    assert.equal(url, '/ws/notification/list?clear=false');
    await c.close();
  });

  it('refuses ids that are not ESPM ids and base URLs carrying credentials', async () => {
    const c = client();
    assert.throws(() => c.getMeter('1/../../account'), RangeError);
    await c.close();
    assert.throws(
      () => new EspmClient({ baseUrl: 'https://u:p@example.org/ws/', username: 'u', password: 'p' }),
      /credentials/,
    );
  });
});

describe('request limiter', () => {
  it('spaces request starts to the rate and caps concurrency', async () => {
    const limiter = new RequestLimiter({ maxRps: 50, maxConcurrency: 2 });
    let inFlight = 0;
    let peak = 0;
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, () =>
        limiter.run(async () => {
          starts.push(Date.now());
          peak = Math.max(peak, ++inFlight);
          await new Promise((r) => setTimeout(r, 50));
          inFlight--;
        }),
      ),
    );
    assert.equal(peak, 2);
    const span = starts[starts.length - 1]! - starts[0]!;
    assert.ok(span >= 9 * 20 - 10, `10 starts at 50/s took ${span} ms`);
  });
});
