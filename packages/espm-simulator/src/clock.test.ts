import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { espmDate, espmDateTime } from './clock.ts';

describe('ESPM times', () => {
  it('are written in US Eastern time with the day’s offset, to the second, as EPA’s examples', () => {
    assert.equal(espmDateTime(new Date('2020-08-10T15:19:25Z')), '2020-08-10T11:19:25-04:00');
    assert.equal(espmDateTime(new Date('2014-12-03T13:49:29.500Z')), '2014-12-03T08:49:29-05:00');
    assert.equal(espmDate(new Date('2023-04-19T02:00:00Z')), '2023-04-18');
  });
});
