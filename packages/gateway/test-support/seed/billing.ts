// Billing as imported: the guide's invoices and periods, the conflict and fresh meters' periods, and the
// imports the console lists (one with rejected lines, one whose file was unusable).
import { storedImportProblem, storedRowProblems } from '../../src/billing/stored-reasons.ts';
import { GUIDE, GUIDE_PERIODS, GUIDE_PERIOD_BEFORE_WINDOW } from '../guide-example.ts';
import type { SeedContext } from './context.ts';
import { CONFLICT_PERIODS, XSS, hours, monthly } from './context.ts';

export async function seedBilling(ctx: SeedContext): Promise<void> {
  const { db, now } = ctx;
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
      ...CONFLICT_PERIODS.map(([s, en], i) =>
        period('ABC1234567', '5555555555', '444444444444', s, en, 410 + i * 17),
      ),
      ...CONFLICT_PERIODS.map(([s, en], i) =>
        period('XYZ7654321', '5555555555', '444444444444', s, en, 120 + i * 9),
      ),
      ...freshPeriods.map(([s, en], i) =>
        period('FRESH00001', '7777777777', '666666666666', s, en, 800 + i * 31),
      ),
    ])
    .execute();
}

/** An import with rejected lines, then a later file that could not be used: nothing of it stored. */
export async function seedImports(ctx: SeedContext): Promise<{ importId: number; failedImportId: number }> {
  const { db, now } = ctx;
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
      // Stored as the importer stores them (billing/stored-reasons.ts).
      {
        import_id: imp.id,
        line: 12,
        reason: storedRowProblems([{ code: 'not-a-number', column: 'volume_m3', value: '12,5x' }]),
      },
      {
        import_id: imp.id,
        line: 31,
        reason: storedRowProblems([
          { code: 'end-before-start', periodStart: '2023-03-31', periodEnd: '2023-03-01' },
        ]),
      },
      {
        import_id: imp.id,
        line: 47,
        reason: storedRowProblems([
          { code: 'bad-identifier', column: 'meter_number', value: XSS, format: '7-18-letters-digits' },
        ]),
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
      error: storedImportProblem({ code: 'missing-columns', columns: ['volume_m3'], separator: ';' }),
      operator: 'marie',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { importId: imp.id, failedImportId: failed.id };
}
