import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  buildMeterConsumption,
  buildMeterData,
  linkedId,
  parseMeterConsumption,
  parseMeterData,
  parseResponse,
} from '../espm.ts';
import type { Simulator } from '../index.ts';
import type { Customer } from '../../test-support/index.ts';
import { asProvider, call, monthlyEntries, sharedMeter, testSimulator } from '../../test-support/index.ts';

describe('consumption entries posted by the provider', () => {
  let sim: Simulator;
  let meterId: string;
  let customer: Customer;
  const provider = () => asProvider(sim);
  const stored = () => sim.state().consumption.filter((e) => e.meterId === meterId);

  before(async () => {
    sim = await testSimulator({ now: () => new Date('2026-01-15T12:00:00Z') });
    ({ meterId, customer } = await sharedMeter(sim, 'conso'));
  });
  after(() => sim.close());

  it('refuses 121 entries in one request', async () => {
    const r = await provider().post(
      `/meter/${meterId}/consumptionData`,
      buildMeterData(monthlyEntries(120)).replace(
        '<meterConsumption',
        `${buildMeterData(monthlyEntries(1, '2040-01-01')).match(/<meterConsumption.*<\/meterConsumption>/)![0]}<meterConsumption`,
      ),
    );
    assert.equal(r.status, 400);
    assert.match(parseResponse(r.body).errors[0]!.errorDescription, /at most 120 .* has 121/);
    assert.equal(stored().length, 0);
  });

  it('creates a batch and answers one link per entry, newest first, the id only in its path as EPA writes POST answers', async () => {
    const entries = monthlyEntries(24, '2023-01-01');
    const r = await provider().post(`/meter/${meterId}/consumptionData`, buildMeterData(entries));
    assert.equal(r.status, 200, r.body);
    const { links } = parseMeterData(r.body);
    assert.equal(links.length, 24);
    assert.deepEqual(links[0], {
      link: links[0]!.link,
      httpMethod: 'GET',
      linkDescription: 'This is the GET url for this Consumption Data.',
    });
    assert.match(links[0]!.link, /^\/consumptionData\/\d+$/);
    const newest = parseMeterConsumption((await provider().get(links[0]!.link)).body);
    assert.equal(newest.startDate, '2024-12-01');
    const first = parseMeterConsumption((await provider().get(links[23]!.link)).body);
    assert.equal(first.startDate, '2023-01-01');
    assert.equal(first.audit?.createdBy, 'gaz_provider');
    assert.deepEqual(
      stored().map((e) => e.createdBy),
      Array(24).fill('gaz_provider'),
    );
  });

  it('refuses an entry overlapping an existing one by more than a day, naming it, and stores nothing of the batch', async () => {
    const before = stored().length;
    const batch = [
      ...monthlyEntries(1, '2025-02-01'),
      { startDate: '2024-12-15', endDate: '2025-01-14', usage: '10' },
    ];
    const r = await provider().post(`/meter/${meterId}/consumptionData`, buildMeterData(batch));
    assert.equal(r.status, 400);
    const errors = parseResponse(r.body).errors;
    assert.equal(errors.length, 1);
    assert.match(
      errors[0]!.errorDescription,
      /^Consumption entry 2024-12-15–2025-01-14: it overlaps the existing entry 2024-12-01–2024-12-31/,
    );
    assert.equal(stored().length, before);
  });

  it('accepts a bill that shares exactly one day with the previous one', async () => {
    const r = await provider().post(
      `/meter/${meterId}/consumptionData`,
      buildMeterData([
        {
          startDate: '2024-12-31',
          endDate: '2025-01-30',
          usage: '301.5',
          cost: '150.25',
          percentRenewableNaturalGas: '5',
        },
      ]),
    );
    assert.equal(r.status, 200, r.body);
  });

  it('refuses an end before the start and a negative usage, one error per bad entry', async () => {
    const r = await provider().post(
      `/meter/${meterId}/consumptionData`,
      buildMeterData([
        { startDate: '2025-03-01', endDate: '2025-02-01', usage: '1' },
        { startDate: '2025-04-01', endDate: '2025-04-30', usage: '-3' },
        { startDate: '2025-05-01', endDate: '2025-05-31', usage: '3' },
      ]),
    );
    assert.equal(r.status, 400);
    assert.deepEqual(
      parseResponse(r.body).errors.map((e) => e.errorDescription),
      [
        'Consumption entry 2025-03-01–2025-02-01: the end date is before the start date.',
        'Consumption entry 2025-04-01–2025-04-30: the usage is negative.',
      ],
    );
  });

  it('refuses an entry without usage, naming it', async () => {
    const xml = buildMeterData([{ startDate: '2025-06-01', endDate: '2025-06-30', usage: '1' }]).replace(
      '<usage>1</usage>',
      '',
    );
    const r = await provider().post(`/meter/${meterId}/consumptionData`, xml);
    assert.equal(r.status, 400);
    assert.equal(
      parseResponse(r.body).errors[0]!.errorDescription,
      'Consumption entry 2025-06-01–2025-06-30: the usage is missing.',
    );
  });

  it('pages by 120, latest period first as EPA’s example, filters on overlap with the dates, and keeps the filters in the next link', async () => {
    const { meterId: big } = await sharedMeter(sim, 'grand_compteur');
    await provider().post(`/meter/${big}/consumptionData`, buildMeterData(monthlyEntries(120, '2005-01-01')));
    await provider().post(`/meter/${big}/consumptionData`, buildMeterData(monthlyEntries(30, '2015-01-01')));
    const p1 = parseMeterData((await provider().get(`/meter/${big}/consumptionData`)).body);
    assert.equal(p1.entries.length, 120);
    assert.equal(p1.entries[0]!.startDate, '2017-06-01');
    assert.equal(p1.entries[119]!.startDate, '2007-07-01');
    const next = p1.links.find((l) => l.linkDescription === 'next page')!.link;
    assert.equal(next, `/meter/${big}/consumptionData?page=2`);
    const p2 = parseMeterData((await provider().get(next)).body);
    assert.equal(p2.entries.length, 30);
    assert.equal(p2.links.length, 0);
    const filtered = parseMeterData(
      (await provider().get(`/meter/${big}/consumptionData?startDate=2016-06-15&endDate=2016-08-01`)).body,
    );
    assert.deepEqual(
      filtered.entries.map((e) => e.startDate),
      ['2016-08-01', '2016-07-01', '2016-06-01'],
    );
    const small = await testPageSize();
    assert.equal(small, `/meter/${big}/consumptionData?page=2&startDate=2005-01-01&endDate=2005-12-31`);

    async function testPageSize() {
      const r = parseMeterData(
        (await provider().get(`/meter/${big}/consumptionData?startDate=2005-01-01&endDate=2005-12-31`)).body,
      );
      assert.equal(r.entries.length, 12);
      const sim2 = await testSimulator({ consumptionPageSize: 5 });
      try {
        const { meterId: m } = await sharedMeter(sim2, 'petit');
        await asProvider(sim2).post(
          `/meter/${m}/consumptionData`,
          buildMeterData(monthlyEntries(12, '2005-01-01')),
        );
        const r2 = parseMeterData(
          (await asProvider(sim2).get(`/meter/${m}/consumptionData?startDate=2005-01-01&endDate=2005-12-31`))
            .body,
        );
        return r2.links[0]!.link.replace(m, big);
      } finally {
        await sim2.close();
      }
    }
  });

  it('replaces and deletes one entry; bulk delete by dates is refused', async () => {
    const id = stored().find((e) => e.startDate === '2023-01-01')!.id;
    const put = await provider().put(
      `/consumptionData/${id}`,
      buildMeterConsumption({
        startDate: '2023-01-01',
        endDate: '2023-01-31',
        usage: '999',
        estimatedValue: true,
      }),
    );
    assert.equal(put.status, 200, put.body);
    assert.equal(parseResponse(put.body).id, id);
    const after = parseMeterConsumption((await provider().get(`/consumptionData/${id}`)).body);
    assert.equal(after.usage, '999');
    assert.equal(after.estimatedValue, true);
    const overlapping = await provider().put(
      `/consumptionData/${id}`,
      buildMeterConsumption({ startDate: '2023-01-01', endDate: '2023-02-10', usage: '1' }),
    );
    assert.equal(overlapping.status, 400);
    assert.equal((await provider().del(`/consumptionData/${id}`)).status, 200);
    assert.equal((await provider().get(`/consumptionData/${id}`)).status, 404);
    const bulk = await provider().del(
      `/meter/${meterId}/consumptionData?startDate=2023-01-01&endDate=2023-12-31`,
    );
    assert.equal(bulk.status, 405);
    assert.match(parseResponse(bulk.body).errors[0]!.errorDescription, /not simulated/);
  });

  it('lets the owner enter a bill, audited with the customer username', async () => {
    const r = await call(
      sim,
      'POST',
      `/meter/${meterId}/consumptionData`,
      customer,
      buildMeterData(monthlyEntries(1, '2022-01-01')),
    );
    assert.equal(r.status, 200, r.body);
    const id = linkedId(parseMeterData(r.body).links[0]!)!;
    assert.equal(sim.state().consumption.find((e) => e.id === id)!.createdBy, 'conso');
    assert.equal((await call(sim, 'GET', `/meter/${meterId}/consumptionData`, customer)).status, 200);
  });

  it('refuses writes through a Read-only share but lets it read', async () => {
    const { meterId: readOnly } = await sharedMeter(sim, 'lecture_seule', 'Read');
    const r = await provider().post(`/meter/${readOnly}/consumptionData`, buildMeterData(monthlyEntries(1)));
    assert.equal(r.status, 403);
    assert.equal(parseResponse(r.body).errors[0]!.errorDescription, 'Access Denied');
    assert.equal((await provider().get(`/meter/${readOnly}/consumptionData`)).status, 200);
  });
});
