// ESPM refusing an answer to a request that is gone: EPA's errors page says the text of an error "may
// change", so whatever the words, the pending list decides whether the request was already answered.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EspmError } from '@gaz-espm/espm';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import { acceptPendingConnections } from './connections.ts';

/** A refusal in words ESPM has never used. */
const reworded = (accountId: string) =>
  new EspmError({
    kind: 'rejected',
    method: 'POST',
    path: `/connect/account/${accountId}`,
    status: 400,
    errors: [{ errorNumber: '-200', errorDescription: 'This request was already processed.' }],
  });

describe('a connection answer ESPM refuses, in words of its own', () => {
  let h: Harness;
  const real = () => h.ctx.espm.answerConnection.bind(h.ctx.espm);

  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const contact = (accountId: string) =>
    h.store.db
      .selectFrom('espm_customer')
      .select('account_id')
      .where('account_id', '=', accountId)
      .executeTakeFirst();

  it('records the connection an earlier run answered, once the pending list no longer holds it', async () => {
    const customer = await h.customer('deja_repondu');
    await customer.connect();
    const answer = real();
    // An earlier run answered, then died; this run's answer is refused.
    h.ctx.espm.answerConnection = async (accountId, ...rest) => {
      await answer(accountId, ...rest);
      throw reworded(accountId);
    };
    try {
      assert.deepEqual(await acceptPendingConnections(h.ctx), { done: 1, failed: 0 });
    } finally {
      h.ctx.espm.answerConnection = answer;
    }
    assert.ok(await contact(customer.accountId));
  });

  it('leaves a request still pending for the next cycle, whatever the refusal says', async () => {
    const customer = await h.customer('encore_en_attente');
    await customer.connect();
    const answer = real();
    h.ctx.espm.answerConnection = async (accountId) => {
      throw reworded(accountId);
    };
    try {
      assert.deepEqual(await acceptPendingConnections(h.ctx), { done: 0, failed: 1 });
    } finally {
      h.ctx.espm.answerConnection = answer;
    }
    assert.equal(await contact(customer.accountId), undefined);
    assert.deepEqual(await acceptPendingConnections(h.ctx), { done: 1, failed: 0 });
    assert.ok(await contact(customer.accountId));
  });
});
