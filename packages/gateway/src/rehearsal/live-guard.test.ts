import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultWebUrl, isLiveEspm } from './live-guard.ts';

/** Each URL is, or is not, ESPM's live web services. */
function assertLive(live: boolean, urls: string[]): void {
  for (const url of urls) assert.equal(isLiveEspm(url), live, url);
}

describe('the live ESPM guard', () => {
  it('knows ESPM’s live web services however the URL is written', () =>
    assertLive(true, [
      'https://portfoliomanager.energystar.gov/ws/',
      'https://portfoliomanager.energystar.gov/ws',
      'https://PortfolioManager.EnergyStar.gov/WS/',
      'https://portfoliomanager.energystar.gov./ws/',
      'http://portfoliomanager.energystar.gov:443/ws/',
    ]));

  it('lets the test environment and simulators through', () =>
    assertLive(false, [
      'https://portfoliomanager.energystar.gov/wstest/',
      'http://127.0.0.1:8080/ws/',
      'https://portfoliomanager.energystar.gov.example.org/ws/',
    ]));

  it('finds the Test web UI at /pmtest beside /wstest/', () => {
    assert.equal(
      defaultWebUrl('https://portfoliomanager.energystar.gov/wstest/'),
      'https://portfoliomanager.energystar.gov/pmtest',
    );
    assert.equal(defaultWebUrl('http://127.0.0.1:8080/wstest'), 'http://127.0.0.1:8080/pmtest');
  });
});
