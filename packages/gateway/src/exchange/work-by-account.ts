// Pending requests answered side by side, as many at once as the ESPM client can keep in flight, but
// one ESPM account's requests one at a time and in ESPM's order: the lockout counts an account's meter
// shares in turn, and an account's first request records the customer that its later ones then find
// (no second read of the same customer).
import type { ExchangeContext } from './context.ts';
import { workerCount } from './context.ts';

/**
 * Runs `work` on every item, accounts side by side and each account's items in their order, and
 * counts the outcomes `work` returns. An item's failure should be its own outcome; if `work` throws
 * all the same (the store failing), no further item is started and the error is thrown once every
 * worker has stopped, so that nothing is still answering ESPM when the caller's service lease ends.
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
  let failure: { error: unknown } | undefined;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let queue = queues.shift(); queue && !failure; queue = queues.shift()) {
        for (const item of queue) {
          if (failure) return;
          try {
            summary[await work(item)]++;
          } catch (error) {
            failure ??= { error };
            return;
          }
        }
      }
    }),
  );
  if (failure) throw failure.error;
  return summary;
}
