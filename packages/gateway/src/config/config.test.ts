import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const base = {
  ESPM_BASE_URL: 'https://portfoliomanager.energystar.gov/wstest/',
  ESPM_USERNAME: 'energir_webservices',
  ESPM_PASSWORD: 'secret',
};

describe('the configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig(base);
    assert.equal(c.espm.maxRps, 5);
    assert.equal(c.espm.maxConcurrency, 4);
    assert.equal(c.sendCost, false);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.dataDir, './data');
    assert.equal(c.schedule.consumptionEverySeconds, 86_400);
    assert.equal(c.console?.secureCookies, false);
  });

  it('reads how customers reach the utility, in both languages or neither', () => {
    assert.equal(loadConfig(base).customerContact, undefined);
    assert.deepEqual(
      loadConfig({
        ...base,
        GATEWAY_CUSTOMER_CONTACT_FR: ' le service à la clientèle au 1 800 555-0199 ',
        GATEWAY_CUSTOMER_CONTACT_EN: 'customer service at 1-800-555-0199',
      }).customerContact,
      { fr: 'le service à la clientèle au 1 800 555-0199', en: 'customer service at 1-800-555-0199' },
    );
    assert.throws(() => loadConfig({ ...base, GATEWAY_CUSTOMER_CONTACT_FR: 'x' }), /go together/);
    assert.throws(
      () =>
        loadConfig({ ...base, GATEWAY_CUSTOMER_CONTACT_FR: 'a\u202eb', GATEWAY_CUSTOMER_CONTACT_EN: 'b' }),
      ConfigError,
    );
  });

  it('reads the console’s secure-cookies setting', () => {
    for (const v of ['true', '1', 'yes', 'TRUE'])
      assert.equal(loadConfig({ ...base, GATEWAY_CONSOLE_SECURE_COOKIES: v }).console?.secureCookies, true);
    for (const v of ['false', '0', 'no', ''])
      assert.equal(loadConfig({ ...base, GATEWAY_CONSOLE_SECURE_COOKIES: v }).console?.secureCookies, false);
  });

  it('reads the privacy rule of building months: 5 customers, 80 %, 45 days unless set', () => {
    assert.deepEqual(loadConfig(base).privacy, {
      minCustomers: 5,
      maxCustomerPercent: 80,
      settlementDays: 45,
    });
    assert.deepEqual(
      loadConfig({
        ...base,
        GATEWAY_PRIVACY_MIN_CUSTOMERS: '10',
        GATEWAY_PRIVACY_MAX_CUSTOMER_PERCENT: '60',
        GATEWAY_BUILDING_SETTLEMENT_DAYS: '60',
      }).privacy,
      { minCustomers: 10, maxCustomerPercent: 60, settlementDays: 60 },
    );
    // The names documented before customers were counted still work.
    assert.deepEqual(
      loadConfig({ ...base, GATEWAY_PRIVACY_MIN_ACCOUNTS: '7', GATEWAY_PRIVACY_MAX_ACCOUNT_PERCENT: '50' })
        .privacy,
      { minCustomers: 7, maxCustomerPercent: 50, settlementDays: 45 },
    );
    assert.throws(() => loadConfig({ ...base, GATEWAY_PRIVACY_MIN_CUSTOMERS: '1' }), /must be 2 or more/);
    assert.throws(() => loadConfig({ ...base, GATEWAY_PRIVACY_MAX_ACCOUNT_PERCENT: '120' }), /100 or less/);
    assert.throws(() => loadConfig({ ...base, GATEWAY_PRIVACY_MIN_CUSTOMERS: 'five' }), /positive integer/);
    assert.throws(() => loadConfig({ ...base, GATEWAY_BUILDING_SETTLEMENT_DAYS: '-1' }), /positive integer/);
  });

  it('reads the reverse proxies whose forwarded headers are believed', () => {
    assert.deepEqual(loadConfig(base).http.trustProxy, []);
    assert.deepEqual(
      loadConfig({ ...base, GATEWAY_TRUST_PROXY: '10.0.0.5, 192.168.0.0/16,::1,fd00::/8' }).http.trustProxy,
      ['10.0.0.5', '192.168.0.0/16', '::1', 'fd00::/8'],
    );
  });

  it('names the variable that is missing or wrong', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ ...base, ESPM_BASE_URL: '' }, /ESPM_BASE_URL is required/],
      [{ ...base, ESPM_USERNAME: '' }, /ESPM_USERNAME is required/],
      [{ ...base, ESPM_BASE_URL: 'ftp://x/' }, /ESPM_BASE_URL must start with https:\/\/ or http:\/\//],
      [{ ...base, ESPM_BASE_URL: 'https://u:p@x/ws/' }, /ESPM_BASE_URL must not carry credentials/],
      [{ ...base, ESPM_MAX_RPS: 'fast' }, /ESPM_MAX_RPS must be a positive number/],
      [{ ...base, ESPM_MAX_CONCURRENCY: '2.5' }, /ESPM_MAX_CONCURRENCY must be a positive integer/],
      [{ ...base, GATEWAY_SEND_COST: 'maybe' }, /GATEWAY_SEND_COST must be true or false/],
      [{ ...base, DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
      [
        { ...base, GATEWAY_CONSOLE_SECURE_COOKIES: 'on' },
        /GATEWAY_CONSOLE_SECURE_COOKIES must be true or false/,
      ],
      [{ ...base, ESPM_PASSWORD_FILE: '/nonexistent/espm' }, /ESPM_PASSWORD_FILE: cannot read/],
      [{ ...base, GATEWAY_TRUST_PROXY: 'true' }, /GATEWAY_TRUST_PROXY must list IP addresses/],
      [{ ...base, GATEWAY_TRUST_PROXY: '10.0.0.0/33' }, /GATEWAY_TRUST_PROXY must list IP addresses/],
    ];
    for (const [env, message] of cases)
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
      );
  });

  it('reads secrets from files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    writeFileSync(join(dir, 'espm'), 'from-a-file\n');
    const c = loadConfig({ ...base, ESPM_PASSWORD: '', ESPM_PASSWORD_FILE: join(dir, 'espm') });
    assert.equal(c.espm.password, 'from-a-file');
  });
});
