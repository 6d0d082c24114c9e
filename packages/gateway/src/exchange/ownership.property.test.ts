// Ownership, as a property over random histories: seeded sequences of shares (valid or not), the guide's
// four removals of access and disconnection, re-shares, new billing periods, corrections, cancellations,
// a meter moving to another account, and gateway cycles. After every step the simulator's own records
// are checked against a model kept here: the gateway never creates or updates an entry on a meter whose
// share is not accepted and current, never sends a period billed to another account than the share's,
// and never leaves two entries for one period on a meter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SimulatedCustomer } from '@gaz-espm/espm-simulator';
import { seededRandom } from '@gaz-espm/espm-simulator';
import type { BillingFileRow } from '../billing/billing-row.ts';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import { runCycle } from './cycle.ts';
import { unlockAccount } from './operator-actions.ts';
import { RECENT_INVOICE_GRACE_DAYS, daysBetween } from './share-rules.ts';

const SEED = Number(process.env.OWNERSHIP_SEED ?? 7031);
const SEQUENCES = Number(process.env.OWNERSHIP_SEQUENCES ?? 30);

function prng(seed: number) {
  const next = seededRandom(seed);
  return { next, int: (n: number) => Math.floor(next() * n) };
}

function addDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

interface Period {
  start: string;
  end: string;
  account: string;
  invoice: string;
  invoiceDate: string;
  volume: number;
  status: 'billed' | 'cancelled';
}

type Access = 'none' | 'pending' | 'accepted' | 'rejected';

describe('ownership over random histories', () => {
  let h: Harness;
  let today = '2023-04-19';
  let invoiceCounter = 0;
  const totals = { sequences: 0, steps: 0, cycles: 0, written: 0, byStep: {} as Record<string, number> };

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
    console.log(`# ownership: ${JSON.stringify(totals)} (seed ${SEED})`);
  });

  function setDay(iso: string, hour = 12): void {
    today = iso;
    h.setNow(`${iso}T${String(hour).padStart(2, '0')}:00:00Z`);
  }

  it(`holds over ${SEQUENCES} seeded sequences of 10–20 steps`, async () => {
    const rng = prng(SEED);
    let hour = 0;
    for (let seq = 0; seq < SEQUENCES; seq++) {
      const meterNumber = String(5000000 + seq);
      const accounts = [String(41000000000 + seq), String(42000000000 + seq)];
      let billedTo = accounts[0]!;
      const periods: Period[] = [];
      const newPeriod = (account: string): Period => {
        const last = periods[periods.length - 1];
        const start = last ? addDays(last.end, 1) : addDays(today, -150);
        const end = addDays(start, 29);
        const p: Period = {
          start,
          end,
          account,
          invoice: String(700000000000 + ++invoiceCounter),
          invoiceDate: addDays(end, 2),
          volume: 100 + rng.int(400),
          status: 'billed',
        };
        periods.push(p);
        return p;
      };
      const row = (p: Period): BillingFileRow => ({
        account_number: p.account,
        invoice_number: p.invoice,
        invoice_date: p.invoiceDate,
        meter_number: meterNumber,
        period_start: p.start,
        period_end: p.end,
        volume_m3: p.volume,
        status: p.status,
      });
      const initial = [newPeriod(billedTo), newPeriod(billedTo), newPeriod(billedTo), newPeriod(billedTo)];
      const r = await h.importBilling(initial.map(row));
      assert.equal(r.exitCode, 0, JSON.stringify(r.rejections));

      const customer: SimulatedCustomer = await h.customer(`owner${seq}`, `Owner ${seq}`);
      const propertyId = await customer.createProperty(`Immeuble ${seq}`);
      const meterId = await customer.createMeter(propertyId, { name: 'Gaz', firstBillDate: '2015-01-01' });
      let connected = false;
      let propertyShared = false;
      let access: Access = 'none';
      let typed: { account: string; invoice: string } | undefined;
      let linkAccount: string | undefined;

      /** The gateway's rules as the model sees them (share-rules.ts, README "How it decides"). */
      const wouldAccept = (t: { account: string; invoice: string }): boolean => {
        const own = periods.filter((p) => p.account === t.account);
        if (own.length === 0) return false;
        const invoices = [...new Map(own.map((p) => [p.invoice, p.invoiceDate])).entries()].sort((a, b) =>
          a[1] === b[1] ? b[0].localeCompare(a[0]) : b[1].localeCompare(a[1]),
        );
        if (invoices[0]![0] === t.invoice) return true;
        return (
          invoices[1]?.[0] === t.invoice && daysBetween(invoices[0]![1], today) < RECENT_INVOICE_GRACE_DAYS
        );
      };
      const latestInvoice = (account: string): string =>
        [...periods]
          .filter((p) => p.account === account)
          .sort((a, b) =>
            a.invoiceDate === b.invoiceDate
              ? b.invoice.localeCompare(a.invoice)
              : b.invoiceDate.localeCompare(a.invoiceDate),
          )[0]!.invoice;

      let before = snapshot();
      const steps = 10 + rng.int(11);
      for (let s = 0; s < steps; s++) {
        const choice = rng.int(10);
        let step: string;
        let cycle = false;
        if ((choice <= 1 && (access === 'none' || access === 'rejected')) || s === 0) {
          step = 'share';
          if (access === 'pending' || access === 'accepted') {
            step = 'share-skipped';
          } else {
            if (!connected) {
              await h.connect(customer);
              connected = true;
            }
            if (!propertyShared) {
              await customer.shareProperty(propertyId);
              propertyShared = true;
            }
            const valid = rng.next() < 0.7;
            const account = rng.next() < 0.8 ? billedTo : accounts[rng.int(2)]!;
            const hasAccount = periods.some((p) => p.account === account);
            const invoice =
              valid && hasAccount ? latestInvoice(account) : String(800000000000 + rng.int(1e9));
            typed = { account, invoice };
            await customer.shareMeter(meterId, {
              accountNumber: account,
              invoiceNumber: invoice,
              meterNumber,
              initialLoad: '24',
            });
            access = 'pending';
            step = valid ? 'share-valid' : 'share-invalid';
          }
        } else if (choice === 2 && (access === 'pending' || access === 'accepted')) {
          const way = (rng.int(5) + s + seq) % 5;
          if (way === 0) await customer.setMeterNoAccess(meterId);
          else if (way === 1) await customer.removeProviderFromProperty(propertyId);
          else if (way === 2) await customer.removeAllAccessToProperty(propertyId);
          else if (way === 3) await customer.removeContactFromAllProperties();
          else await customer.disconnect();
          if (way >= 1) propertyShared = false;
          if (way === 4) connected = false;
          access = 'none';
          step = [
            'unshare-meter-no-access',
            'unshare-remove-provider',
            'unshare-remove-all',
            'unshare-remove-contact',
            'disconnect',
          ][way]!;
        } else if (choice === 3) {
          setDay(addDays(periods[periods.length - 1]!.end, 33), 0);
          const p = newPeriod(billedTo);
          assert.equal((await h.importBilling([row(p)])).exitCode, 0);
          setDay(addDays(p.invoiceDate, 1), 0);
          step = 'new-period';
        } else if (choice === 4) {
          const billed = periods.filter((p) => p.status === 'billed');
          const p = billed[rng.int(billed.length)];
          if (p) {
            p.volume += 1 + rng.int(50);
            assert.equal((await h.importBilling([row(p)])).exitCode, 0);
          }
          step = 'correction';
        } else if (choice === 5) {
          const billed = periods.filter((p) => p.status === 'billed');
          // Not the last billed period: its invoice stays the account's latest, as in billing practice.
          const p = billed.length > 1 ? billed[rng.int(billed.length - 1)] : undefined;
          if (p) {
            p.status = 'cancelled';
            assert.equal((await h.importBilling([row(p)])).exitCode, 0);
          }
          step = 'cancellation';
        } else if (choice === 6) {
          billedTo = billedTo === accounts[0] ? accounts[1]! : accounts[0]!;
          setDay(addDays(periods[periods.length - 1]!.end, 33), 0);
          const p = newPeriod(billedTo);
          assert.equal((await h.importBilling([row(p)])).exitCode, 0);
          setDay(addDays(p.invoiceDate, 1), 0);
          step = 'move-meter';
        } else {
          step = 'cycle';
          cycle = true;
          hour = (hour % 22) + 1;
          setDay(today, hour);
          const report = await runCycle(h.ctx);
          assert.ok(
            report.services.every((x) => x.ok),
            JSON.stringify(report),
          );
          totals.cycles++;
          if (access === 'pending') {
            access = wouldAccept(typed!) ? 'accepted' : 'rejected';
            linkAccount = access === 'accepted' ? typed!.account : undefined;
            const link = await h.store.db
              .selectFrom('meter_link')
              .select(['status', 'reason_code'])
              .where('espm_meter_id', '=', meterId)
              .orderBy('id', 'desc')
              .executeTakeFirstOrThrow();
            assert.equal(
              link.status === 'rejected' ? 'rejected' : 'accepted',
              access,
              `seq ${seq} step ${s}: ${link.reason_code}`,
            );
          }
          if (access !== 'accepted') linkAccount = undefined;
          // Failures of invalid shares must not lock the sequence's customer out of its valid ones.
          await unlockAccount(h.ctx, customer.accountId, 'property-test').catch(() => undefined);
        }
        totals.steps++;
        totals.byStep[step] = (totals.byStep[step] ?? 0) + 1;

        // The invariant, from the simulator's own records.
        const now = snapshot();
        const where = `seq ${seq} step ${s} (${step}), seed ${SEED}`;
        for (const [id, e] of now) {
          const old = before.get(id);
          const changed = !old || old.key !== e.key;
          if (!changed || e.meterId !== meterId) continue;
          totals.written++;
          assert.ok(cycle, `entry ${id} written outside a cycle: ${where}`);
          assert.equal(
            access,
            'accepted',
            `entry ${id} written on a meter whose share is ${access}: ${where}`,
          );
          const p = periods.find((x) => x.start === e.startDate && x.end === e.endDate);
          assert.ok(p, `entry ${id} ${e.startDate}–${e.endDate} matches no billed period: ${where}`);
          assert.equal(p.status, 'billed', `entry ${id} for a cancelled period: ${where}`);
          assert.equal(
            p.account,
            linkAccount,
            `entry ${id} billed to ${p.account}, share for ${linkAccount}: ${where}`,
          );
        }
        const seen = new Set<string>();
        for (const e of now.values()) {
          if (e.meterId !== meterId) continue;
          const k = `${e.startDate}|${e.endDate}`;
          assert.ok(!seen.has(k), `two entries for ${k} on meter ${meterId}: ${where}`);
          seen.add(k);
        }
        before = now;
      }
      totals.sequences++;
    }
  });

  function snapshot(): Map<string, { meterId: string; startDate: string; endDate: string; key: string }> {
    const out = new Map<string, { meterId: string; startDate: string; endDate: string; key: string }>();
    for (const e of h.sim.state().consumption) {
      if (e.createdBy !== h.sim.provider.username) continue;
      out.set(e.id, {
        meterId: e.meterId,
        startDate: e.startDate,
        endDate: e.endDate,
        key: JSON.stringify([e.startDate, e.endDate, e.usage, e.lastUpdatedBy, e.audit.lastUpdatedDate]),
      });
    }
    return out;
  }
});
