// The benchmarks' billing file: `rows` rows, meters of 25 monthly periods each, every column of the format.
import { createWriteStream } from 'node:fs';
import { monthPeriod } from './lib.ts';

const MONTHS = 25;

export async function generateBillingCsv(file: string, rows: number): Promise<void> {
  const stream = createWriteStream(file);
  const write = (s: string): Promise<void> =>
    new Promise((resolve) => (stream.write(s) ? resolve() : stream.once('drain', () => resolve())));
  await write(
    'account_number,invoice_number,invoice_date,meter_number,period_start,period_end,volume_m3,cost,estimated,rng_percent,status\n',
  );
  const periods = Array.from({ length: MONTHS }, (_, m) => ({
    ...monthPeriod(2024, 9 + m),
    invoiceDate: monthPeriod(2024, 10 + m).start.slice(0, 8) + '05',
  }));
  let chunk = '';
  for (let r = 0; r < rows; r++) {
    const meter = Math.floor(r / MONTHS);
    const m = r % MONTHS;
    const p = periods[m]!;
    chunk += `${1_000_000_000 + meter},${100_000_000_000 + meter * 100 + m},${p.invoiceDate},M${5_000_000 + meter},${p.start},${p.end},${100 + ((meter * 7 + m * 13) % 400)}.25,${(50 + (m % 40)).toFixed(2)},${m % 9 === 0},,billed\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
