// The console's operator command (src/console/operator-cli.ts) run on a test store, with what it writes
// kept for the test to read and the standard input it is given.
import type { Kysely } from 'kysely';
import { operatorCommand } from '../src/console/operator-cli.ts';
import type { Database } from '../src/store/schema.ts';

export async function runOperatorCommand(
  db: Kysely<Database>,
  args: string[],
  stdin = '',
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await operatorCommand(db, args, {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readStdin: async () => stdin,
  });
  return { code, out, err };
}
