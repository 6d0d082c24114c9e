// Pending requests answered side by side, as many at once as the ESPM client can keep in flight, but
// one ESPM account's requests one at a time and in ESPM's order: the lockout counts an account's meter
// shares in turn, and an account's first request records the customer that its later ones then find
// (no second read of the same customer).
import type { ExchangeContext } from './context.ts';
import { workerCount } from './context.ts';

/**
 * Runs `work` on every item, accounts side by side and each account's items in their order, and
 * counts the outcomes `work` returns. `work` must not throw: each item's failure is its own outcome.
 */
export async function workByAccount<T, Outcome extends string>(
  ctx: ExchangeContext,
  items: readonly T[],
  accountOf: (item: T) => string,
  work: (item: T) => Promise<Outcome>,
  summary: Record<Outcome, number>,
  options: { concurrency?: number | undefined } = {},
): Promise<Record<Outcome, number>> {
  const byAccount = new Map<string, T[]>();
  for (const item of items) {
    const account = accountOf(item);
    const queue = byAccount.get(account);
    if (queue) queue.push(item);
    else byAccount.set(account, [item]);
  }
  const queues = [...byAccount.values()];
  const workers = Math.min(queues.length, workerCount(ctx, options.concurrency));
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const item of queue) summary[await work(item)]++;
      }
    }),
  );
  return summary;
}
