// The client against answers written as EPA's examples write them (a stand-in server, so each shape can
// be chosen exactly): ids only in link paths, consumption answers in another order or echoing the
// entries, -100 and -200 envelopes, maintenance as 502; and what the client sends.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Handler } from '../../test-support/stand-in-espm.ts';
import { standInEspm } from '../../test-support/stand-in-espm.ts';
import type { ConsumptionEntry } from '../types.ts';
import { EspmClient } from './client.ts';
import { EspmError } from './errors.ts';

const SENT: ConsumptionEntry[] = [
  { startDate: '2023-01-01', endDate: '2023-01-31', usage: '10' },
  { startDate: '2023-01-31', endDate: '2023-02-28', usage: '11' },
  { startDate: '2023-02-28', endDate: '2023-03-31', usage: '12' },
];

const entryLink = (id: string) =>
  `<link httpMethod="GET" link="/consumptionData/${id}" linkDescription="This is the GET url for this Consumption Data."/>`;
const echoed = (id: string | undefined, e: ConsumptionEntry) =>
  `<meterConsumption>${id ? `<id>${id}</id>` : ''}<startDate>${e.startDate}</startDate><endDate>${e.endDate}</endDate><usage>${e.usage}</usage></meterConsumption>`;
const meterData = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><meterData>${inner}</meterData>`;

describe('the ESPM client reading EPA-shaped answers', () => {
  let handler: Handler = () => {};
  const espm = standInEspm((req, res, body) => handler(req, res, body));
  let client: EspmClient;

  before(async () => {
    client = new EspmClient({
      baseUrl: await espm.start(),
      username: 'provider',
      password: 'p',
      maxRps: 1000,
      retryBaseMs: 5,
      retryMaxMs: 20,
      timeoutMs: 500,
    });
  });
  after(async () => {
    await client.close();
    espm.stop();
  });

  const answer = (status: number, body: string) => {
    handler = (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(body);
    };
  };

  it('reads the custom-field list by the ids in its paths and the names in its hints', async () => {
    answer(
      200,
      `<response status="Ok"><links><link hint="Lot" httpMethod="GET" link="/dataExchangeSettings/customField/2" linkDescription="This is the GET url for this custom ID."/><link hint="Numéro du compte" httpMethod="GET" link="/dataExchangeSettings/customField/1"/></links></response>`,
    );
    assert.deepEqual(await client.listCustomFields(), [
      { id: '2', name: 'Lot' },
      { id: '1', name: 'Numéro du compte' },
    ]);
  });

  it('refuses a list whose link has no id, naming the list', async () => {
    answer(
      200,
      `<response status="Ok"><links><link hint="Lot" link="/dataExchangeSettings/customField/lot"/></links></response>`,
    );
    const e = await client.listCustomFields().catch((x: unknown) => x);
    assert.ok(e instanceof EspmError && e.kind === 'malformed');
    assert.match(e.message, /the custom field list.*\/dataExchangeSettings\/customField\/lot/);
  });

  it('takes a new custom field’s id from <id>, else from the one link’s path', async () => {
    const def = {
      name: 'N',
      required: true,
      validCharacters: 'Any' as const,
      whenToPrompt: 'Meter' as const,
    };
    answer(
      200,
      `<response status="Ok"><id>46</id><links><link httpMethod="GET" link="/dataExchangeSettings/customField/46"/></links></response>`,
    );
    assert.equal(await client.createCustomField(def), '46');
    answer(
      200,
      `<response status="Ok"><links><link httpMethod="GET" link="/dataExchangeSettings/customField/47"/></links></response>`,
    );
    assert.equal(await client.createCustomField(def), '47');
  });

  it('pairs consumption ids given only in link paths, newest first, with their periods by reading the meter once', async () => {
    const requests: string[] = [];
    handler = (req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        req.method === 'POST'
          ? meterData(`<links>${['503', '502', '501'].map(entryLink).join('')}</links>`)
          : meterData(echoed('503', SENT[2]!) + echoed('502', SENT[1]!) + echoed('501', SENT[0]!)),
      );
    };
    assert.deepEqual(await client.createConsumption('9', SENT), ['501', '502', '503']);
    assert.deepEqual(requests, ['POST /ws/meter/9/consumptionData', 'GET /ws/meter/9/consumptionData']);
  });

  it('takes the one id of a one-entry POST without reading the meter', async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls++;
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(meterData(`<links>${entryLink('504')}</links>`));
    };
    assert.deepEqual(await client.createConsumption('9', SENT.slice(0, 1)), ['504']);
    assert.equal(calls, 1);
  });

  it('reports the outcome as unknown when the meter read after the POST does not hold the ids answered', async () => {
    handler = (req, res) => {
      res.writeHead(req.method === 'POST' ? 200 : 502, { 'content-type': 'application/xml' });
      res.end(
        req.method === 'POST'
          ? meterData(`<links>${['513', '512', '511'].map(entryLink).join('')}</links>`)
          : '<html>maintenance</html>',
      );
    };
    const e = await client.createConsumption('9', SENT).catch((x: unknown) => x);
    assert.ok(e instanceof EspmError && e.method === 'POST', String(e));
    assert.equal(e.outcomeUnknown, true);
    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        req.method === 'POST'
          ? meterData(`<links>${['523', '522', '521'].map(entryLink).join('')}</links>`)
          : meterData(echoed('523', SENT[2]!) + echoed('521', SENT[0]!)),
      );
    };
    const f = await client.createConsumption('9', SENT).catch((x: unknown) => x);
    assert.ok(f instanceof EspmError && f.outcomeUnknown, String(f));
  });

  it('matches echoed entries by their dates, whatever order ESPM answers in', async () => {
    answer(200, meterData(echoed('603', SENT[2]!) + echoed('601', SENT[0]!) + echoed('602', SENT[1]!)));
    assert.deepEqual(await client.createConsumption('9', SENT), ['601', '602', '603']);
  });

  it('pairs echoed entries without ids with the links beside them, then matches by dates', async () => {
    answer(
      200,
      meterData(
        echoed(undefined, SENT[1]!) +
          echoed(undefined, SENT[2]!) +
          echoed(undefined, SENT[0]!) +
          `<links>${['702', '703', '701'].map(entryLink).join('')}</links>`,
      ),
    );
    assert.deepEqual(await client.createConsumption('9', SENT), ['701', '702', '703']);
  });

  it('reports the outcome as unknown when the answer’s count or dates do not fit what was sent', async () => {
    for (const body of [
      meterData(`<links>${['801', '802'].map(entryLink).join('')}</links>`),
      meterData(
        echoed('901', SENT[0]!) +
          echoed('902', SENT[1]!) +
          echoed('903', { ...SENT[2]!, startDate: '2023-03-01' }),
      ),
      meterData(''),
    ]) {
      answer(200, body);
      const e = await client.createConsumption('9', SENT).catch((x: unknown) => x);
      assert.ok(e instanceof EspmError, String(e));
      assert.equal(e.outcomeUnknown, true, e.message);
    }
  });

  it('sends its bodies as application/xml, the only type EPA documents', async () => {
    let type: string | undefined;
    handler = (req, res) => {
      type = req.headers['content-type'];
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end('<response status="Ok"/>');
    };
    await client.answerMeterShare('5', 'Accept', 'Oui / Yes');
    assert.equal(type, 'application/xml');
  });

  it('tells a body that failed the schema (-100) from an application error (-200)', async () => {
    const envelope = (n: string) =>
      `<response status="Error"><errors><error errorNumber="${n}" errorDescription="x"/></errors></response>`;
    for (const [n, failedSchema] of [
      ['-100', true],
      ['-200', false],
    ] as const) {
      answer(400, envelope(n));
      const e = await client.answerMeterShare('5', 'Accept').catch((x: unknown) => x);
      assert.ok(e instanceof EspmError && e.kind === 'rejected');
      assert.equal(e.failedSchema, failedSchema);
    }
  });

  it('treats a 502 as ESPM down for maintenance: a read is tried again', async () => {
    let calls = 0;
    handler = (_req, res) => {
      const down = ++calls < 3;
      res.writeHead(down ? 502 : 200, { 'content-type': 'application/xml' });
      res.end(
        down
          ? `<response status="Error"><errors><error errorNumber="-200" errorDescription="maintenance"/></errors></response>`
          : '<notificationList/>',
      );
    };
    assert.deepEqual(await client.notifications({ clear: false }), []);
    assert.equal(calls, 3);
  });
});
