import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFields } from '@gaz-espm/gateway/exchange/share-rules';
import { DEMO_CUSTOMERS } from './scenario.ts';
import { sampleBilling } from './sample-billing.ts';
import { GUIDE_ACCOUNT } from './guide-account.ts';

describe('the demo’s sample billing and customers', () => {
  const { accounts } = sampleBilling('2026-12-01');

  it('number the utility’s meters so that none looks like an ESPM id, and each is a valid answer', () => {
    const meters = accounts.flatMap((a) => a.meterNumbers).filter((m) => m !== GUIDE_ACCOUNT.meterNumber);
    assert.equal(new Set(meters).size, meters.length);
    for (const m of meters) {
      assert.doesNotMatch(m, /^\d+$/, `${m} looks like an ESPM id`);
      const typed = {
        accountNumber: GUIDE_ACCOUNT.accountNumber,
        invoiceNumber: GUIDE_ACCOUNT.invoiceNumber,
        initialLoad: '0',
      };
      assert.equal(checkFields({ ...typed, meterNumber: m }).ok, true, m);
    }
  });

  it('give every customer a name, a property and a login of their own', () => {
    for (const key of ['username', 'organization', 'property'] as const) {
      const values = DEMO_CUSTOMERS.map((c) => c[key]);
      assert.equal(new Set(values).size, values.length, key);
    }
    const names = DEMO_CUSTOMERS.map((c) => `${c.contact.firstName} ${c.contact.lastName}`);
    assert.equal(new Set(names).size, names.length);
    // A visitor of the demo sees customers, not the tests' hostile values.
    for (const c of DEMO_CUSTOMERS)
      for (const value of [c.username, c.organization, c.property]) assert.doesNotMatch(value, /[<>]/, value);
  });
});
