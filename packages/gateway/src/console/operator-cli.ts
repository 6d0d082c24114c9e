// `npm run gateway -- operator …`: the console's operators, managed from the command line.
//
//   operator add <username> [--role admin|operator|viewer] [--name "Display name"] [--password-stdin] [--reset-password]
//   operator list
//   operator disable <username>
//
// A new operator gets a generated password, printed once, unless one is read from standard input.
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database, OperatorRole } from '../store/schema.ts';
import { disableOperator, listOperators, OperatorError, ROLES, upsertOperator } from './auth/operators.ts';
import { generatePassword } from './auth/passwords.ts';

export const OPERATOR_USAGE = `usage: npm run gateway -- operator add|list|disable …

  operator add <username> [--role admin|operator|viewer] [--name "Display name"] [--password-stdin] [--reset-password]
      creates the operator (default role: viewer) or updates the role and name given; a new operator gets
      a generated password, printed once (--reset-password prints a new one for an existing operator).
      A disabled operator stays disabled unless it gets a new password (--reset-password or --password-stdin).
      Administrators also manage operators in the console (Opérateurs / Operators).
  operator list
  operator disable <username>     stops sign-in and ends the operator's sessions
`;

export interface OperatorCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The whole of standard input, for --password-stdin. */
  readStdin: () => Promise<string>;
}

export const processIo: OperatorCliIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** Runs `operator <args…>` against the store; resolves with the exit code (0 done, 1 refused, 2 usage). */
export async function operatorCommand(
  db: Kysely<Database>,
  args: string[],
  io: OperatorCliIo = processIo,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        'reset-password': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.stderr(`${(e as Error).message}\n\n${OPERATOR_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(OPERATOR_USAGE);
    return 0;
  }
  const [sub, username, ...extra] = positionals;
  try {
    switch (sub) {
      case 'add': {
        if (!username || extra.length) break;
        const role = values.role as OperatorRole | undefined;
        if (role !== undefined && !ROLES.includes(role)) {
          io.stderr(`--role must be one of ${ROLES.join(', ')}\n`);
          return 2;
        }
        let password: string | undefined;
        let generated = false;
        if (values['password-stdin']) {
          password = (await io.readStdin()).replace(/\r?\n$/, '');
        } else {
          const exists = await db
            .selectFrom('console_operator')
            .select('username')
            .where('username', '=', username.trim().toLowerCase())
            .executeTakeFirst();
          if (!exists || values['reset-password']) {
            password = generatePassword();
            generated = true;
          }
        }
        const { created, operator } = await upsertOperator(db, {
          username,
          ...(role !== undefined ? { role } : {}),
          ...(values.name !== undefined ? { displayName: values.name } : {}),
          ...(password !== undefined ? { password } : {}),
        });
        io.stdout(
          `operator ${operator.username} (${operator.displayName}) ${created ? 'created' : 'updated'}, role ${operator.role}\n`,
        );
        if (generated) io.stdout(`password: ${password}\n`);
        if (operator.disabled)
          io.stdout(
            `operator ${operator.username} stays disabled: --reset-password enables it with a new password\n`,
          );
        return 0;
      }
      case 'list': {
        if (username) break;
        const rows = await listOperators(db);
        if (!rows.length) io.stdout('no operator yet\n');
        for (const o of rows) {
          io.stdout(`${o.username}\t${o.role}\t${o.disabled ? 'disabled' : 'active'}\t${o.displayName}\n`);
        }
        return 0;
      }
      case 'disable': {
        if (!username || extra.length) break;
        if (!(await disableOperator(db, username))) {
          io.stderr(`no operator named ${username}\n`);
          return 1;
        }
        io.stdout(`operator ${username.trim().toLowerCase()} disabled\n`);
        return 0;
      }
    }
  } catch (e) {
    if (e instanceof OperatorError) {
      io.stderr(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  io.stderr(OPERATOR_USAGE);
  return 2;
}
