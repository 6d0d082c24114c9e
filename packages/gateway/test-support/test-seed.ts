// Rows for the console's tests and screenshots, inserted directly: customers (one whose organization
// is a script tag), meter links in every status (the guide's example with its 23 periods, a conflict
// with the customer's entries), log lines, a locked-out account and an import with rejected lines.
import type { Kysely } from 'kysely';
import type { LogLine } from '../src/log/gateway-event.ts';
import { logRow } from '../src/log/gateway-log.ts';
import { ACCESS_READ_ONLY, REJECTION_NOTES, METER_ACCEPTED, noteText } from '../src/exchange/notes.ts';
import { GUIDE, GUIDE_PERIODS, GUIDE_PERIOD_BEFORE_WINDOW } from './guide-example.ts';
import type { ConflictDetail, Database, LinkStatus } from '../src/store/schema.ts';

export const XSS = '<script>alert(1)</script>';
const UNIT = 'cm (Cubic meters)';

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

export interface SeedIds {
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
  xssAccount: string;
  lockedAccount: string;
  importId: number;
  /** A later import whose file was unusable. */
  failedImportId: number;
}

const hours = (now: Date, h: number) => new Date(now.getTime() - h * 3600_000);

const monthly = (fromYear: number, fromMonth: number, count: number): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) {
    const s = new Date(Date.UTC(fromYear, fromMonth - 1 + i, 1));
    const e = new Date(Date.UTC(fromYear, fromMonth + i, 0));
    out.push([s.toISOString().slice(0, 10), e.toISOString().slice(0, 10)]);
  }
  return out;
};

export async function seedConsole(
  db: Kysely<Database>,
  options: { now: Date; espm?: SeedEspm; fillerLinks?: number; fillerCustomers?: number },
): Promise<SeedIds> {
  const { now } = options;
  const e = options.espm;
  const guideAccount = e?.guide.accountId ?? '100101';
  const conflictAccount = e?.conflict.accountId ?? '100102';
  const conflict2Account = e?.conflict2.accountId ?? conflictAccount;
  const freshAccount = e?.fresh.accountId ?? '100103';
  const xssAccount = '100666';
  const lockedAccount = '100777';

  const customers = [
    {
      account_id: guideAccount,
      username: 'code201',
      first_name: 'Marc-Etienne',
      last_name: 'Charron',
      email: 'mecharron@code201.ca',
      organization: 'Code',
      at: hours(now, 900),
    },
    {
      account_id: conflictAccount,
      username: 'immeubles-nord',
      first_name: 'Julie',
      last_name: 'Bouchard',
      email: 'jbouchard@immeubles-nord.example',
      organization: 'Immeubles Nord',
      at: hours(now, 600),
    },
    {
      account_id: freshAccount,
      username: 'tours-est',
      first_name: 'Samuel',
      last_name: 'Gagnon',
      email: 'sgagnon@toursest.example',
      organization: 'Tours de l’Est',
      at: hours(now, 300),
    },
    {
      account_id: xssAccount,
      username: 'xss-org',
      first_name: 'Eve',
      last_name: 'Attaquante',
      email: 'eve@example.org',
      organization: XSS,
      at: hours(now, 200),
    },
    {
      account_id: lockedAccount,
      username: 'verrou',
      first_name: 'Luc',
      last_name: 'Tremblay',
      email: 'luc.tremblay@example.com',
      organization: 'Gestion Tremblay',
      at: hours(now, 100),
    },
  ].filter((c, i, all) => all.findIndex((x) => x.account_id === c.account_id) === i);
  const fillerCustomers = options.fillerCustomers ?? 0;
  await db
    .insertInto('espm_customer')
    .values([
      ...customers.map((c) => ({
        account_id: c.account_id,
        username: c.username,
        first_name: c.first_name,
        last_name: c.last_name,
        email: c.email,
        organization: c.organization,
        phone: null,
        connection_status: 'connected' as const,
        connected_at: c.at,
        disconnected_at: null,
        lockout_cleared_at: null,
      })),
      {
        account_id: '100999',
        username: 'ancien-client',
        first_name: 'Paul',
        last_name: 'Lavoie',
        email: 'paul.lavoie@example.com',
        organization: 'Ancien Client inc.',
        phone: null,
        connection_status: 'disconnected' as const,
        connected_at: hours(now, 2000),
        disconnected_at: hours(now, 50),
        lockout_cleared_at: null,
      },
      ...Array.from({ length: fillerCustomers }, (_, i) => ({
        account_id: String(200000 + i),
        username: `client${String(i).padStart(3, '0')}`,
        first_name: 'Client',
        last_name: `Numéro ${i}`,
        email: `client${i}@example.com`,
        organization: `Organisation ${i}`,
        phone: null,
        connection_status: 'connected' as const,
        connected_at: hours(now, 3000 + i),
        disconnected_at: null,
        lockout_cleared_at: null,
      })),
    ])
    .execute();

  await db
    .insertInto('espm_property')
    .values([
      {
        property_id: e?.guide.propertyId ?? '2000101',
        account_id: guideAccount,
        name: 'Bureau',
        address: '1000 rue Sherbrooke Ouest, Montréal',
        share_status: 'accepted',
        accepted_at: hours(now, 899),
        revoked_at: null,
      },
      {
        property_id: e?.conflict.propertyId ?? '2000102',
        account_id: conflictAccount,
        name: 'Complexe Nord',
        address: '45 boulevard Crémazie, Montréal',
        share_status: 'accepted',
        accepted_at: hours(now, 599),
        revoked_at: null,
      },
      ...(e?.conflict2.propertyId && e.conflict2.propertyId !== e.conflict.propertyId
        ? [
            {
              property_id: e.conflict2.propertyId,
              account_id: conflict2Account,
              name: 'Entrepôt',
              address: null,
              share_status: 'accepted' as const,
              accepted_at: hours(now, 598),
              revoked_at: null,
            },
          ]
        : []),
      {
        property_id: e?.fresh.propertyId ?? '2000103',
        account_id: freshAccount,
        name: 'Tour Est',
        address: '5 rue Notre-Dame Est, Montréal',
        share_status: 'accepted',
        accepted_at: hours(now, 299),
        revoked_at: null,
      },
    ])
    .execute();

  // Billing: the guide's account and meter, plus the conflict and fresh meters.
  const guideRows = [GUIDE_PERIOD_BEFORE_WINDOW, ...GUIDE_PERIODS];
  await db
    .insertInto('billing_invoice')
    .values([
      {
        invoice_number: GUIDE.invoiceNumber,
        account_number: GUIDE.accountNumber,
        invoice_date: GUIDE.invoiceDate,
      },
      // The invoice before the guide's, which the helpdesk's lookup shows as the previous one.
      { invoice_number: '300000000022', account_number: GUIDE.accountNumber, invoice_date: '2023-03-10' },
      { invoice_number: '444444444444', account_number: '5555555555', invoice_date: '2023-03-15' },
      { invoice_number: '666666666666', account_number: '7777777777', invoice_date: '2023-03-20' },
    ])
    .execute();
  const period = (
    meter: string,
    account: string,
    invoice: string,
    start: string,
    end: string,
    m3: number | string,
    estimated = false,
  ) => ({
    meter_number: meter,
    period_start: start,
    period_end: end,
    account_number: account,
    invoice_number: invoice,
    volume_m3: String(m3),
    cost: null,
    estimated,
    rng_percent: null,
    status: 'billed' as const,
    updated_at: hours(now, 400),
  });
  const conflictPeriods = monthly(2022, 7, 9);
  const freshPeriods = monthly(2022, 10, 6);
  await db
    .insertInto('billing_period')
    .values([
      ...guideRows.map(([s, en, m3], i) =>
        period(
          GUIDE.meterNumber,
          GUIDE.accountNumber,
          i === guideRows.length - 1 ? GUIDE.invoiceNumber : String(300000000000 + i),
          s,
          en,
          m3,
          i === 12,
        ),
      ),
      ...conflictPeriods.map(([s, en], i) =>
        period('ABC1234567', '5555555555', '444444444444', s, en, 410 + i * 17),
      ),
      ...conflictPeriods.map(([s, en], i) =>
        period('XYZ7654321', '5555555555', '444444444444', s, en, 120 + i * 9),
      ),
      ...freshPeriods.map(([s, en], i) =>
        period('FRESH00001', '7777777777', '666666666666', s, en, 800 + i * 31),
      ),
    ])
    .execute();

  const baseLink = {
    espm_property_id: '',
    espm_account_id: '',
    espm_username: null as string | null,
    meter_name: 'Gaz naturel1',
    meter_type: 'Natural Gas',
    unit_of_measure: UNIT,
    first_bill_date: '2020-01-01',
    access_level: 'Read Write',
    custom_fields: '{}',
    account_number: null as string | null,
    invoice_number: null as string | null,
    meter_number: null as string | null,
    initial_load: 24 as number | null,
    status: 'accepted' as LinkStatus,
    reason_code: null as string | null,
    received_at: hours(now, 500),
    decided_at: hours(now, 500) as Date | null,
    decision_note: null as string | null,
    answered_at: hours(now, 500) as Date | null,
    revoked_at: null as Date | null,
    history_from: null as string | null,
    last_synced_at: null as Date | null,
    last_period_end: null as string | null,
    sync_due: false,
    conflict: null as string | null,
    notice: null as string | null,
    access_checked_at: null as Date | null,
  };
  const fields = (account: string, invoice: string, meter: string, load: string) =>
    JSON.stringify({
      'Numéro du compte': account,
      'Numéro de facture': invoice,
      'Numéro du compteur': meter,
      'Chargement initial': load,
    });
  const insertLink = async (values: Partial<typeof baseLink> & { espm_meter_id: string }) =>
    (
      await db
        .insertInto('meter_link')
        .values({ ...baseLink, ...values })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  // Filler first, so the named links are the newest (first page of the list).
  const fillerLinks = options.fillerLinks ?? 0;
  const statuses: LinkStatus[] = ['accepted', 'accepted', 'accepted', 'rejected', 'revoked', 'pending'];
  if (fillerLinks > 0) {
    await db
      .insertInto('meter_link')
      .values(
        Array.from({ length: fillerLinks }, (_, i) => {
          const status = statuses[i % statuses.length]!;
          return {
            ...baseLink,
            espm_meter_id: String(7000000 + i),
            espm_property_id: '2900000',
            espm_account_id: String(200000 + (i % Math.max(1, fillerCustomers))),
            espm_username: `client${String(i % Math.max(1, fillerCustomers)).padStart(3, '0')}`,
            account_number: String(8800000000 + i),
            invoice_number: String(990000000000 + i),
            meter_number: `M${String(5000000 + i)}`,
            status,
            reason_code:
              status === 'rejected'
                ? 'meter-not-on-account'
                : status === 'revoked'
                  ? 'property-unshared'
                  : null,
            received_at: hours(now, 5000 - i),
            last_period_end: status === 'accepted' ? '2023-03-31' : null,
          };
        }),
      )
      .execute();
  }

  // The links of the same billing meter and ESPM meter before the current ones (history).
  const revokedLink = await insertLink({
    espm_meter_id: e?.guide.meterId ? `${e.guide.meterId}` : GUIDE.espmMeterId,
    espm_property_id: e?.guide.propertyId ?? '2000101',
    espm_account_id: guideAccount,
    espm_username: 'code201',
    account_number: GUIDE.accountNumber,
    invoice_number: '300000000020',
    meter_number: GUIDE.meterNumber,
    custom_fields: fields(GUIDE.accountNumber, '300000000020', GUIDE.meterNumber, '12'),
    initial_load: 12,
    status: 'revoked',
    reason_code: 'meter-unshared',
    received_at: hours(now, 2400),
    decided_at: hours(now, 2400),
    answered_at: hours(now, 2400),
    revoked_at: hours(now, 1000),
    history_from: '2022-01-01',
    last_period_end: '2023-01-05',
  });
  const rejectedLink = await insertLink({
    espm_meter_id: '157127001',
    espm_property_id: e?.guide.propertyId ?? '2000101',
    espm_account_id: guideAccount,
    espm_username: 'code201',
    account_number: GUIDE.accountNumber,
    invoice_number: '300000000011',
    meter_number: GUIDE.meterNumber,
    custom_fields: fields(GUIDE.accountNumber, '300000000011', GUIDE.meterNumber, '24'),
    status: 'rejected',
    reason_code: 'invoice-not-latest',
    decided_at: hours(now, 950),
    answered_at: hours(now, 950),
    received_at: hours(now, 950),
    decision_note: noteText(REJECTION_NOTES['invoice-not-latest']),
  });
  const guideLink = await insertLink({
    espm_meter_id: e?.guide.meterId ?? GUIDE.espmMeterId,
    espm_property_id: e?.guide.propertyId ?? '2000101',
    espm_account_id: guideAccount,
    espm_username: 'code201',
    account_number: GUIDE.accountNumber,
    invoice_number: GUIDE.invoiceNumber,
    meter_number: GUIDE.meterNumber,
    custom_fields: fields(
      GUIDE.accountNumber,
      GUIDE.invoiceNumber,
      GUIDE.meterNumber,
      String(GUIDE.initialLoad),
    ),
    received_at: new Date('2023-04-19T19:20:00Z'),
    decided_at: new Date('2023-04-19T19:24:00Z'),
    answered_at: new Date('2023-04-19T19:24:00Z'),
    history_from: '2021-04-15',
    last_synced_at: new Date('2023-04-19T19:24:00Z'),
    last_period_end: '2023-04-08',
  });
  const conflictDetail = (
    entries: SeedEspm['conflict']['customerEntries'] | undefined,
    meter: string,
  ): ConflictDetail => {
    const list = entries ?? [
      { id: '90000501', startDate: conflictPeriods[6]![0], endDate: conflictPeriods[6]![1], usage: '455' },
      { id: '90000502', startDate: conflictPeriods[7]![0], endDate: conflictPeriods[7]![1], usage: '470' },
    ];
    void meter;
    return {
      periods: list.map((c) => {
        const p =
          conflictPeriods.find(([s, en]) => s <= c.endDate && en >= c.startDate) ?? conflictPeriods[6]!;
        return {
          periodStart: p[0],
          periodEnd: p[1],
          customerEntries: [{ ...c, createdBy: 'immeubles-nord' }],
        };
      }),
    };
  };
  const conflictLink = await insertLink({
    espm_meter_id: e?.conflict.meterId ?? '157200001',
    espm_property_id: e?.conflict.propertyId ?? '2000102',
    espm_account_id: conflictAccount,
    espm_username: 'immeubles-nord',
    meter_name: 'Gaz chaufferie',
    account_number: '5555555555',
    invoice_number: '444444444444',
    meter_number: 'ABC1234567',
    custom_fields: fields('5555555555', '444444444444', 'ABC1234567', '12'),
    initial_load: 12,
    status: 'conflict',
    received_at: hours(now, 590),
    decided_at: hours(now, 590),
    answered_at: hours(now, 590),
    history_from: '2022-06-30',
    last_synced_at: hours(now, 20),
    last_period_end: conflictPeriods[5]![1],
    conflict: JSON.stringify(conflictDetail(e?.conflict.customerEntries, 'ABC1234567')),
    notice: 'periods-before-first-bill-date:2',
  });
  const conflict2Link = await insertLink({
    espm_meter_id: e?.conflict2.meterId ?? '157200002',
    espm_property_id: e?.conflict2.propertyId ?? '2000102',
    espm_account_id: conflict2Account,
    espm_username: 'immeubles-nord',
    meter_name: 'Gaz entrepôt',
    account_number: '5555555555',
    invoice_number: '444444444444',
    meter_number: 'XYZ7654321',
    custom_fields: fields('5555555555', '444444444444', 'XYZ7654321', '12'),
    initial_load: 12,
    status: 'conflict',
    received_at: hours(now, 580),
    decided_at: hours(now, 580),
    answered_at: hours(now, 580),
    history_from: '2022-06-30',
    last_synced_at: hours(now, 20),
    conflict: JSON.stringify(conflictDetail(e?.conflict2.customerEntries, 'XYZ7654321')),
  });
  const supersededLink = await insertLink({
    espm_meter_id: e?.fresh.meterId ?? '157300001',
    espm_property_id: e?.fresh.propertyId ?? '2000103',
    espm_account_id: freshAccount,
    espm_username: 'tours-est',
    meter_name: 'Gaz tour',
    account_number: '7777777777',
    invoice_number: '666666666666',
    meter_number: 'ABC1234567',
    custom_fields: fields('7777777777', '666666666666', 'ABC1234567', '6'),
    initial_load: 6,
    status: 'rejected',
    reason_code: 'meter-not-on-account',
    received_at: hours(now, 300),
    decided_at: hours(now, 300),
    answered_at: hours(now, 300),
    decision_note: noteText(REJECTION_NOTES['meter-not-on-account']),
  });
  const freshLink = await insertLink({
    espm_meter_id: e?.fresh.meterId ?? '157300001',
    espm_property_id: e?.fresh.propertyId ?? '2000103',
    espm_account_id: freshAccount,
    espm_username: 'tours-est',
    meter_name: 'Gaz tour',
    account_number: '7777777777',
    invoice_number: '666666666666',
    meter_number: 'FRESH00001',
    custom_fields: fields('7777777777', '666666666666', 'FRESH00001', '6'),
    initial_load: 6,
    received_at: hours(now, 290),
    decided_at: hours(now, 290),
    answered_at: hours(now, 290),
    history_from: '2022-09-30',
    sync_due: true,
  });
  const pendingLink = await insertLink({
    espm_meter_id: '157400001',
    espm_property_id: '2000104',
    espm_account_id: xssAccount,
    espm_username: 'xss-org',
    account_number: '9999999999',
    invoice_number: '123456789012',
    meter_number: 'PEND000001',
    custom_fields: fields('9999999999', '123456789012', 'PEND000001', '0'),
    initial_load: 0,
    status: 'pending',
    received_at: hours(now, 1),
    decided_at: null,
    answered_at: null,
  });

  const pausedLink = await insertLink({
    espm_meter_id: '157500011',
    espm_property_id: '2000104',
    espm_account_id: xssAccount,
    espm_username: 'xss-org',
    account_number: '9999999998',
    invoice_number: '123456789013',
    meter_number: 'PAUS000001',
    custom_fields: fields('9999999998', '123456789013', 'PAUS000001', '0'),
    initial_load: 0,
    status: 'paused',
    reason_code: 'access-read-only',
    received_at: hours(now, 300),
    decided_at: hours(now, 300),
    answered_at: hours(now, 300),
    history_from: '2023-01-01',
    sync_due: true,
    access_checked_at: hours(now, 1),
  });
  const malformedLink = await insertLink({
    espm_meter_id: '157500001',
    espm_property_id: '2000105',
    espm_account_id: lockedAccount,
    espm_username: 'verrou',
    account_number: '123456789',
    invoice_number: GUIDE.invoiceNumber,
    meter_number: GUIDE.meterNumber,
    custom_fields: fields('123 456 789', GUIDE.invoiceNumber, GUIDE.meterNumber, '12'),
    initial_load: 12,
    status: 'rejected',
    reason_code: 'invalid-account-number',
    received_at: hours(now, 6),
    decided_at: hours(now, 6),
    answered_at: hours(now, 6),
    decision_note: noteText(REJECTION_NOTES['invalid-account-number']),
  });
  const lockedOutLink = await insertLink({
    espm_meter_id: '157500002',
    espm_property_id: '2000105',
    espm_account_id: lockedAccount,
    espm_username: 'verrou',
    account_number: GUIDE.accountNumber,
    invoice_number: GUIDE.invoiceNumber,
    meter_number: GUIDE.meterNumber,
    custom_fields: fields(GUIDE.accountNumber, GUIDE.invoiceNumber, GUIDE.meterNumber, '24'),
    initial_load: 24,
    status: 'rejected',
    reason_code: 'locked-out',
    received_at: hours(now, 0.5),
    decided_at: hours(now, 0.5),
    answered_at: hours(now, 0.5),
    decision_note: noteText(REJECTION_NOTES['locked-out']),
  });

  // The decisions, with the exact notes the customer was sent.
  await db
    .insertInto('link_decision')
    .values([
      {
        link_id: revokedLink,
        decided_at: hours(now, 2400),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
      {
        link_id: revokedLink,
        decided_at: hours(now, 1000),
        decision: 'revoked',
        rule: 'meter-unshared',
        note: null,
        operator: null,
      },
      {
        link_id: pausedLink,
        decided_at: hours(now, 300),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
      {
        link_id: pausedLink,
        decided_at: hours(now, 30),
        decision: 'paused',
        rule: 'access-read-only',
        note: noteText(ACCESS_READ_ONLY),
        operator: null,
      },
      {
        link_id: rejectedLink,
        decided_at: hours(now, 950),
        decision: 'rejected',
        rule: 'invoice-not-latest',
        note: noteText(REJECTION_NOTES['invoice-not-latest']),
        operator: null,
      },
      {
        link_id: guideLink,
        decided_at: new Date('2023-04-19T19:24:00Z'),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
      {
        link_id: conflictLink,
        decided_at: hours(now, 590),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
      {
        link_id: conflictLink,
        decided_at: hours(now, 20),
        decision: 'conflict',
        rule: 'customer-data-overlap',
        note: `${conflictPeriods[6]![0]}..${conflictPeriods[6]![1]}`,
        operator: null,
      },
      {
        link_id: conflict2Link,
        decided_at: hours(now, 580),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
      {
        link_id: conflict2Link,
        decided_at: hours(now, 20),
        decision: 'conflict',
        rule: 'customer-data-overlap',
        note: null,
        operator: null,
      },
      ...[
        [supersededLink, 300, 'meter-not-on-account'],
        [malformedLink, 6, 'invalid-account-number'],
        [lockedOutLink, 0.5, 'locked-out'],
      ].map(([id, h, rule]) => ({
        link_id: id as number,
        decided_at: hours(now, h as number),
        decision: 'rejected' as const,
        rule: rule as string,
        note: noteText(REJECTION_NOTES[rule as keyof typeof REJECTION_NOTES]),
        operator: null,
      })),
      {
        link_id: freshLink,
        decided_at: hours(now, 290),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
    ])
    .execute();

  // The guide's 23 periods, sent on 2023-04-19 as in the guide's screenshots.
  const sentAt = new Date('2023-04-19T19:24:00Z');
  await db
    .insertInto('consumption_entry')
    .values(
      GUIDE_PERIODS.map(([s, en, m3], i) => ({
        link_id: guideLink,
        meter_number: GUIDE.meterNumber,
        period_start: s,
        period_end: en,
        espm_entry_id: String(91000001 + i),
        state: 'sent' as const,
        operation: null,
        usage: String(m3),
        unit_of_measure: UNIT,
        volume_m3: String(m3),
        estimated: i + 1 === 12,
        rng_percent: i >= 20 ? '5.00' : null,
        cost: null,
        billing_revision: 1,
        sent_at: sentAt,
        updated_at: sentAt,
      })),
    )
    .execute();
  // The conflict meter's first six periods were sent before the customer entered overlapping bills.
  await db
    .insertInto('consumption_entry')
    .values(
      conflictPeriods.slice(0, 6).map(([s, en], i) => ({
        link_id: conflictLink,
        meter_number: 'ABC1234567',
        period_start: s,
        period_end: en,
        espm_entry_id: String(92000001 + i),
        state: 'sent' as const,
        operation: null,
        usage: String(410 + i * 17),
        unit_of_measure: UNIT,
        volume_m3: String(410 + i * 17),
        estimated: false,
        rng_percent: null,
        cost: null,
        billing_revision: 1,
        sent_at: hours(now, 20),
        updated_at: hours(now, 20),
      })),
    )
    .execute();

  // A locked-out account: five identity failures within the last hours.
  await db
    .insertInto('validation_failure')
    .values(
      [5, 4, 3, 2, 1].map((h) => ({
        espm_account_id: lockedAccount,
        failed_at: hours(now, h),
        link_id: null,
        rule: 'unknown-account',
      })),
    )
    .execute();

  // An import with rejected lines.
  const imp = await db
    .insertInto('billing_import')
    .values({
      source: 'csv',
      file_name: 'facturation-2023-04.csv',
      started_at: hours(now, 30),
      finished_at: hours(now, 30),
      status: 'done',
      rows_read: 60,
      rows_imported: 55,
      rows_unchanged: 2,
      rows_rejected: 3,
      error: null,
      operator: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('billing_import_rejection')
    .values([
      // Worded as the importer words them (billing/billing-row.ts).
      { import_id: imp.id, line: 12, reason: 'volume_m3 "12,5x" is not a number' },
      { import_id: imp.id, line: 31, reason: 'period_end 2023-03-01 is before period_start 2023-03-31' },
      {
        import_id: imp.id,
        line: 47,
        reason: `meter_number ${JSON.stringify(XSS)} is not 7 to 18 letters or digits`,
      },
    ])
    .execute();

  // A later file that could not be used: nothing of it stored.
  const failed = await db
    .insertInto('billing_import')
    .values({
      source: 'console',
      file_name: 'facturation-2023-05.csv',
      started_at: hours(now, 3),
      finished_at: hours(now, 3),
      status: 'failed',
      rows_read: 0,
      rows_imported: 0,
      rows_unchanged: 0,
      rows_rejected: 0,
      error: 'the header lacks the required column volume_m3 (the columns seem separated by ";"; use commas)',
      operator: 'marie',
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // Log lines like the guide's, and one of each kind an operator must read.
  const log = (h: number | Date, line: LogLine) => logRow(line, typeof h === 'number' ? hours(now, h) : h);
  await db
    .insertInto('gateway_log')
    .values([
      log(sentAt, {
        service: 'MeterConnectionManager',
        subject: GUIDE.espmMeterId,
        event: { kind: 'accepted' },
      }),
      log(sentAt, {
        service: 'ConsumptionUpdater',
        subject: GUIDE.espmMeterId,
        event: { kind: 'sent', created: 23, updated: 0, deleted: 0, adopted: 0 },
      }),
      log(1000, {
        service: 'NotificationWatcher',
        subject: GUIDE.espmMeterId,
        event: { kind: 'notification', type: 'UNSHARE', linksRevoked: 1 },
      }),
      log(1000, {
        service: 'NotificationWatcher',
        subject: GUIDE.espmMeterId,
        event: { kind: 'revoked', reason: 'meter-unshared' },
      }),
      log(950, {
        service: 'MeterConnectionManager',
        subject: '157127001',
        event: { kind: 'rejected', rule: 'invoice-not-latest' },
      }),
      log(31, {
        service: 'BillingImport',
        subject: 'facturation-2023-04.csv',
        event: {
          kind: 'billing-import',
          importId: imp.id,
          read: 60,
          inserted: 50,
          updated: 4,
          cancelled: 1,
          unchanged: 2,
          replaced: 0,
          rejected: 3,
          meters: 12,
        },
      }),
      log(30, { service: 'ConnectionManager', subject: xssAccount, event: { kind: 'accepted' } }),
      log(25, { service: 'PropertyShareManager', subject: '2000104', event: { kind: 'accepted' } }),
      log(20, {
        service: 'ConsumptionUpdater',
        subject: e?.conflict.meterId ?? '157200001',
        event: { kind: 'conflict', periods: 2 },
      }),
      log(6, {
        service: 'ConsumptionUpdater',
        subject: '157300001',
        event: {
          kind: 'espm-error',
          error: 'unavailable',
          message: `ESPM POST /meter/157300001/consumptionData: unavailable (HTTP 503)\n${XSS}`,
        },
      }),
      log(5, {
        service: 'MeterConnectionManager',
        subject: '157500001',
        event: { kind: 'rejected', rule: 'unknown-account' },
      }),
      log(2, {
        service: 'Operator',
        subject: guideAccount,
        event: { kind: 'account-unlocked' },
        operator: 'marie',
      }),
      // A line of a newer version's kind (an instance upgraded before this one): shown as it is.
      {
        at: hours(now, 1),
        service: 'MeterConnectionManager',
        subject: '157400001',
        outcome: 'some-new-outcome',
        status: 'done',
        event: JSON.stringify({ kind: 'some-new-outcome' }),
      },
    ])
    .execute();

  return {
    guideLink,
    conflictLink,
    conflict2Link,
    freshLink,
    rejectedLink,
    revokedLink,
    pendingLink,
    pausedLink,
    malformedLink,
    lockedOutLink,
    supersededLink,
    xssAccount,
    lockedAccount,
    importId: imp.id,
    failedImportId: failed.id,
  };
}
