// What the console seed's builders share: the store, the clock, the ESPM ids when a simulator holds the
// objects, the seeded accounts, and the values more than one table repeats.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.ts';

export const XSS = '<script>alert(1)</script>';
export const UNIT = 'cm (Cubic meters)';

/** ESPM ids of objects that exist in a simulator, when the test performs actions against it. */
export interface SeedEspm {
  guide: { accountId: string; propertyId: string; meterId: string };
  /** A meter in conflict: the customer's own entry ids for the first two conflicting periods. */
  conflict: {
    accountId: string;
    propertyId: string;
    meterId: string;
    customerEntries: Array<{ id: string; startDate: string; endDate: string; usage: string }>;
  };
  /** A second conflict, resolved by keeping the customer's data. */
  conflict2: {
    accountId: string;
    propertyId: string;
    meterId: string;
    customerEntries: Array<{ id: string; startDate: string; endDate: string; usage: string }>;
  };
  /** An accepted meter with billed periods not sent yet: "sync now" sends them. */
  fresh: { accountId: string; propertyId: string; meterId: string };
}

export interface SeedContext {
  db: Kysely<Database>;
  now: Date;
  espm: SeedEspm | undefined;
  accounts: {
    guideAccount: string;
    conflictAccount: string;
    conflict2Account: string;
    freshAccount: string;
    xssAccount: string;
    lockedAccount: string;
  };
  fillerCustomers: number;
}

/** The named links, which the decisions, entries and tests refer to. */
export interface SeedLinks {
  guideLink: number;
  conflictLink: number;
  conflict2Link: number;
  freshLink: number;
  rejectedLink: number;
  revokedLink: number;
  pendingLink: number;
  /** Left Read Only by the customer: nothing is sent until full access is back. */
  pausedLink: number;
  /** Rejected for a 9-digit account number, typed with spaces. */
  malformedLink: number;
  /** Rejected while its ESPM account was locked out, though the guide's numbers were typed. */
  lockedOutLink: number;
  /** Rejected (a meter of another account), then shared again and accepted as freshLink. */
  supersededLink: number;
}

export const hours = (now: Date, h: number) => new Date(now.getTime() - h * 3600_000);

export const monthly = (fromYear: number, fromMonth: number, count: number): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) {
    const s = new Date(Date.UTC(fromYear, fromMonth - 1 + i, 1));
    const e = new Date(Date.UTC(fromYear, fromMonth + i, 0));
    out.push([s.toISOString().slice(0, 10), e.toISOString().slice(0, 10)]);
  }
  return out;
};

/** The conflict meter's billed months, of which the first six were sent. */
export const CONFLICT_PERIODS = monthly(2022, 7, 9);
/** When the guide's 23 periods were sent, as in the guide's screenshots. */
export const GUIDE_SENT_AT = new Date('2023-04-19T19:24:00Z');
