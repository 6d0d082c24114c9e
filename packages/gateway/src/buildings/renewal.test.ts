import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renewBy, renewalLapsed } from './renewal.ts';

const accepted = (iso: string, renewed?: string) => ({
  decided_at: new Date(iso),
  renewed_at: renewed ? new Date(renewed) : null,
});

describe('the renewal of a link fed by an aggregation code', () => {
  it('is due the given number of months after the acceptance, or after the last renewal', () => {
    assert.equal(renewBy(accepted('2023-04-19T19:24:00Z'), 12).toISOString(), '2024-04-19T19:24:00.000Z');
    assert.equal(
      renewBy(accepted('2023-04-19T19:24:00Z', '2024-03-02T08:00:00Z'), 12).toISOString(),
      '2025-03-02T08:00:00.000Z',
    );
    assert.equal(renewBy(accepted('2023-11-15T00:00:00Z'), 3).toISOString(), '2024-02-15T00:00:00.000Z');
  });

  it('falls on the last day of a shorter month', () => {
    assert.equal(renewBy(accepted('2023-01-31T10:00:00Z'), 1).toISOString(), '2023-02-28T10:00:00.000Z');
    assert.equal(renewBy(accepted('2024-02-29T10:00:00Z'), 12).toISOString(), '2025-02-28T10:00:00.000Z');
  });

  it('has lapsed from that moment on, not before', () => {
    const link = accepted('2023-04-19T19:24:00Z');
    assert.equal(renewalLapsed(link, 12, new Date('2024-04-19T19:23:59Z')), false);
    assert.equal(renewalLapsed(link, 12, new Date('2024-04-19T19:24:00Z')), true);
  });
});
