// The meter links in every status: filler first (so the named links are the newest), then the guide's
// meter with its history, the conflicts, a fresh one, pending, paused, malformed and locked-out ones.
import { storedNotice } from '../../src/exchange/stored-notice.ts';
import { REJECTION_NOTES, noteText } from '../../src/exchange/notes.ts';
import { GUIDE } from '../guide-example.ts';
import type { RejectionRule } from '../../src/exchange/share-rules.ts';
import type { ConflictDetail, LinkStatus } from '../../src/store/schema.ts';
import type { LinkReason } from '../../src/vocabulary/gateway-events.ts';
import type { SeedContext, SeedEspm, SeedLinks } from './context.ts';
import { CONFLICT_PERIODS, UNIT, hours } from './context.ts';

export async function seedLinks(ctx: SeedContext, fillerLinks: number): Promise<SeedLinks> {
  const { db, now, espm: e, fillerCustomers } = ctx;
  const { guideAccount, conflictAccount, conflict2Account, freshAccount, xssAccount, lockedAccount } =
    ctx.accounts;
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
    reason_code: null as LinkReason | null,
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
  /** The four answers of a share, as stored; `typedAccount` when the customer typed the account otherwise. */
  const answers = (
    account: string,
    invoice: string,
    meter: string,
    load: number,
    typedAccount = account,
  ) => ({
    account_number: account,
    invoice_number: invoice,
    meter_number: meter,
    custom_fields: fields(typedAccount, invoice, meter, String(load)),
    initial_load: load,
  });
  /** Received, decided and answered `h` hours ago. */
  const answeredHoursAgo = (h: number) => ({
    received_at: hours(now, h),
    decided_at: hours(now, h),
    answered_at: hours(now, h),
  });
  /** Rejected for `rule` `h` hours ago, with the note the customer got. */
  const rejected = (rule: RejectionRule, h: number) => ({
    status: 'rejected' as const,
    reason_code: rule,
    ...answeredHoursAgo(h),
    decision_note: noteText(REJECTION_NOTES[rule]),
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

  // Whose meters the links are: an ESPM property, account and username each.
  const guideOwner = {
    espm_property_id: e?.guide.propertyId ?? '2000101',
    espm_account_id: guideAccount,
    espm_username: 'code201',
  };
  const freshMeter = {
    espm_meter_id: e?.fresh.meterId ?? '157300001',
    espm_property_id: e?.fresh.propertyId ?? '2000103',
    espm_account_id: freshAccount,
    espm_username: 'tours-est',
    meter_name: 'Gaz tour',
  };
  const xssOwner = { espm_property_id: '2000104', espm_account_id: xssAccount, espm_username: 'xss-org' };
  const lockedOwner = {
    espm_property_id: '2000105',
    espm_account_id: lockedAccount,
    espm_username: 'verrou',
  };

  // The links of the same billing meter and ESPM meter before the current ones (history).
  const revokedLink = await insertLink({
    espm_meter_id: e?.guide.meterId ? `${e.guide.meterId}` : GUIDE.espmMeterId,
    ...guideOwner,
    ...answers(GUIDE.accountNumber, '300000000020', GUIDE.meterNumber, 12),
    status: 'revoked',
    reason_code: 'meter-unshared',
    ...answeredHoursAgo(2400),
    revoked_at: hours(now, 1000),
    history_from: '2022-01-01',
    last_period_end: '2023-01-05',
  });
  const rejectedLink = await insertLink({
    espm_meter_id: '157127001',
    ...guideOwner,
    ...answers(GUIDE.accountNumber, '300000000011', GUIDE.meterNumber, 24),
    ...rejected('invoice-not-latest', 950),
  });
  const guideLink = await insertLink({
    espm_meter_id: e?.guide.meterId ?? GUIDE.espmMeterId,
    ...guideOwner,
    ...answers(GUIDE.accountNumber, GUIDE.invoiceNumber, GUIDE.meterNumber, GUIDE.initialLoad),
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
      { id: '90000501', startDate: CONFLICT_PERIODS[6]![0], endDate: CONFLICT_PERIODS[6]![1], usage: '455' },
      { id: '90000502', startDate: CONFLICT_PERIODS[7]![0], endDate: CONFLICT_PERIODS[7]![1], usage: '470' },
    ];
    void meter;
    return {
      periods: list.map((c) => {
        const p =
          CONFLICT_PERIODS.find(([s, en]) => s <= c.endDate && en >= c.startDate) ?? CONFLICT_PERIODS[6]!;
        return {
          periodStart: p[0],
          periodEnd: p[1],
          customerEntries: [{ ...c, createdBy: 'immeubles-nord' }],
        };
      }),
    };
  };
  /** A meter of the account 5555555555 in conflict, decided `hoursAgo`. */
  const inConflict = (
    espm: SeedEspm['conflict'] | undefined,
    meter: { id: string; account: string; name: string; number: string },
    hoursAgo: number,
  ) => ({
    espm_meter_id: espm?.meterId ?? meter.id,
    espm_property_id: espm?.propertyId ?? '2000102',
    espm_account_id: meter.account,
    espm_username: 'immeubles-nord',
    meter_name: meter.name,
    ...answers('5555555555', '444444444444', meter.number, 12),
    status: 'conflict' as const,
    ...answeredHoursAgo(hoursAgo),
    history_from: '2022-06-30',
    last_synced_at: hours(now, 20),
    conflict: JSON.stringify(conflictDetail(espm?.customerEntries, meter.number)),
  });
  const conflictLink = await insertLink({
    ...inConflict(
      e?.conflict,
      { id: '157200001', account: conflictAccount, name: 'Gaz chaufferie', number: 'ABC1234567' },
      590,
    ),
    last_period_end: CONFLICT_PERIODS[5]![1],
    notice: storedNotice({ code: 'periods-before-first-bill-date', periods: 2 }),
  });
  const conflict2Link = await insertLink(
    inConflict(
      e?.conflict2,
      { id: '157200002', account: conflict2Account, name: 'Gaz entrepôt', number: 'XYZ7654321' },
      580,
    ),
  );
  const supersededLink = await insertLink({
    ...freshMeter,
    ...answers('7777777777', '666666666666', 'ABC1234567', 6),
    ...rejected('meter-not-on-account', 300),
  });
  const freshLink = await insertLink({
    ...freshMeter,
    ...answers('7777777777', '666666666666', 'FRESH00001', 6),
    ...answeredHoursAgo(290),
    history_from: '2022-09-30',
    sync_due: true,
  });
  const pendingLink = await insertLink({
    espm_meter_id: '157400001',
    ...xssOwner,
    ...answers('9999999999', '123456789012', 'PEND000001', 0),
    status: 'pending',
    received_at: hours(now, 1),
    decided_at: null,
    answered_at: null,
  });

  const pausedLink = await insertLink({
    espm_meter_id: '157500011',
    ...xssOwner,
    ...answers('9999999998', '123456789013', 'PAUS000001', 0),
    status: 'paused',
    reason_code: 'access-read-only',
    ...answeredHoursAgo(300),
    history_from: '2023-01-01',
    sync_due: true,
    access_checked_at: hours(now, 1),
  });
  const malformedLink = await insertLink({
    espm_meter_id: '157500001',
    ...lockedOwner,
    ...answers('123456789', GUIDE.invoiceNumber, GUIDE.meterNumber, 12, '123 456 789'),
    ...rejected('invalid-account-number', 6),
  });
  const lockedOutLink = await insertLink({
    espm_meter_id: '157500002',
    ...lockedOwner,
    ...answers(GUIDE.accountNumber, GUIDE.invoiceNumber, GUIDE.meterNumber, 24),
    ...rejected('locked-out', 0.5),
  });
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
  };
}
