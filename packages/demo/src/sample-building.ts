// The demo's multi-tenant building: "Tour Sherbrooke", seven tenants who each hold their own gas
// account, on different billing cycles (monthly on various days, every 28 or 33 days, every two
// months), one who moved out a year ago and the tenant who moved into the same premise after.
import { seededRandom } from '@gaz-espm/espm-simulator';

export const DEMO_BUILDING = {
  buildingId: 'TOUR-SHERBROOKE',
  name: 'Tour Sherbrooke — 2000, rue Sherbrooke O.',
};

interface Tenant {
  account: string;
  meter: string;
  premise: string;
  cycle: number;
  /** Days before today the tenant's first bill starts (and, for one who left, the last ends). */
  fromDaysAgo: number;
  untilDaysAgo?: number;
  base: number;
}

const TENANTS: Tenant[] = [
  {
    account: '5200000001',
    meter: 'TS2000101',
    premise: 'TS-2000-101',
    cycle: 30,
    fromDaysAgo: 900,
    base: 420,
  },
  {
    account: '5200000002',
    meter: 'TS2000102',
    premise: 'TS-2000-102',
    cycle: 31,
    fromDaysAgo: 890,
    base: 380,
  },
  {
    account: '5200000003',
    meter: 'TS2000201',
    premise: 'TS-2000-201',
    cycle: 28,
    fromDaysAgo: 880,
    base: 260,
  },
  {
    account: '5200000004',
    meter: 'TS2000202',
    premise: 'TS-2000-202',
    cycle: 61,
    fromDaysAgo: 900,
    base: 610,
  },
  {
    account: '5200000005',
    meter: 'TS2000301',
    premise: 'TS-2000-301',
    cycle: 33,
    fromDaysAgo: 870,
    base: 300,
  },
  {
    account: '5200000006',
    meter: 'TS2000302',
    premise: 'TS-2000-302',
    cycle: 30,
    fromDaysAgo: 895,
    untilDaysAgo: 400,
    base: 350,
  },
  {
    account: '5200000007',
    meter: 'TS2000303',
    premise: 'TS-2000-302',
    cycle: 29,
    fromDaysAgo: 390,
    base: 330,
  },
];

export const DEMO_BUILDING_PREMISES = [...new Set(TENANTS.map((t) => t.premise))];

const DAY = 86_400_000;

function dayOf(today: string, daysAgo: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - daysAgo * DAY).toISOString().slice(0, 10);
}

/** The tenants' billing as a CSV file's content (the addresses hold commas, so cells are quoted). */
export function sampleBuildingCsv(today: string): string {
  const rnd = seededRandom(21042);
  const lines = [
    'account_number,invoice_number,invoice_date,meter_number,period_start,period_end,volume_m3,premise_id,service_address',
  ];
  TENANTS.forEach((t, i) => {
    const stop = t.untilDaysAgo ?? 6;
    for (let k = 0, startAgo = t.fromDaysAgo; startAgo - t.cycle + 1 >= stop; k++, startAgo -= t.cycle) {
      const start = dayOf(today, startAgo);
      const end = dayOf(today, startAgo - t.cycle + 1);
      const month = Number(end.slice(5, 7));
      const season = 1 + 0.6 * Math.cos(((month - 1) / 12) * 2 * Math.PI);
      const volume = ((t.base * season * (t.cycle / 30) * (0.9 + rnd() * 0.2)) | 0) + 0.5 * (k % 2);
      const invoice = String(920_000_000_000 + i * 1000 + k);
      const address = `"2000, rue Sherbrooke Ouest, local ${t.premise.slice(-3)}, Montréal"`;
      lines.push(
        [
          t.account,
          invoice,
          dayOf(today, startAgo - t.cycle - 1),
          t.meter,
          start,
          end,
          volume,
          t.premise,
          address,
        ].join(','),
      );
    }
  });
  return lines.join('\n') + '\n';
}

/** The tenant whose bill the billing system corrects once the building's months are written. */
const CORRECTED_ACCOUNT = '5200000001';

/**
 * The billing system's correction of one tenant's bill, some three months old (its months settled and
 * written): the same invoice, re-billed with a third more gas. Alone in moving, that tenant's part
 * would show in the difference, so the gateway withholds the revision.
 */
export function sampleBuildingCorrectionCsv(today: string): string {
  const [header, ...rows] = sampleBuildingCsv(today).trimEnd().split('\n');
  const settled = dayOf(today, 120);
  const row = rows.find((r) => {
    const cells = r.split(',');
    return cells[0] === CORRECTED_ACCOUNT && cells[5]! >= settled;
  })!;
  const cells = row.split(',');
  cells[6] = String(Math.round(Number(cells[6]) * 1.35));
  return `${header}\n${cells.join(',')}\n`;
}
