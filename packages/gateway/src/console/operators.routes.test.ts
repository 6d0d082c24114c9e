// Managing the console's operators (an administrator in the console, the CLI), and the helpdesk tools
// that must not be turned against the customers they serve: sign-in floods and the limit behind a
// proxy, an aggregation code's form posted twice, /readyz telling anyone nothing but readiness.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createBuilding } from '../buildings/buildings.ts';
import { loadConfig } from '../config/config.ts';
import { buildHttpServer } from '../http/server.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Store } from '../store/database.ts';
import { consoleTestGateway, UNREACHABLE_ESPM_ENV } from '../../test-support/console-gateway.ts';
import { ConsoleClient, csrfOf } from '../../test-support/console-client.ts';
import { runOperatorCommand } from '../../test-support/operator-command.ts';
import { openTestStore } from '../../test-support/test-store.ts';
import { PasswordChecks } from './auth/password-checks.ts';
import { hashPassword } from './auth/passwords.ts';
import { UnknownUsernameAttempts } from './auth/signin-limit.ts';

describe('console operators and helpdesk safety', () => {
  let store: Store;
  let app: FastifyInstance;
  const scheduler: Scheduler = { trigger: async () => {}, stop: async () => {} };

  before(async () => {
    store = await openTestStore();
    const { gateway } = await consoleTestGateway(store);
    app = await buildHttpServer({ gateway, config: loadConfig(UNREACHABLE_ESPM_ENV), scheduler });
  });

  after(async () => {
    await app?.close();
    await store?.close();
  });

  const cli = (args: string[], stdin = '') => runOperatorCommand(store.db, args, stdin);

  const journal = (subject: string) =>
    store.db
      .selectFrom('gateway_log')
      .select(['outcome', 'operator'])
      .where('subject', '=', subject)
      .orderBy('id')
      .execute();

  describe('operator add on an operator that exists', () => {
    it('does not enable a disabled operator again with her old password', async () => {
      assert.equal(
        (await cli(['add', 'alice', '--role', 'operator', '--password-stdin'], 'alice old password\n')).code,
        0,
      );
      assert.equal((await cli(['disable', 'alice'])).code, 0);
      const r = await cli(['add', 'alice', '--role', 'viewer']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /stays disabled/);
      assert.match((await cli(['list'])).out, /alice\tviewer\tdisabled/);
      assert.equal(
        (await new ConsoleClient(app, '10.23.0.1').signIn('alice', 'alice old password')).statusCode,
        401,
      );
      // A new password is what enables her again.
      const reset = await cli(['add', 'alice', '--reset-password']);
      const password = /password: (\S+)/.exec(reset.out)![1]!;
      assert.equal((await new ConsoleClient(app, '10.23.0.2').signIn('alice', password)).statusCode, 303);
    });

    it('keeps the role of an operator whose name only is changed', async () => {
      assert.equal((await cli(['add', 'op2', '--role', 'operator'])).code, 0);
      const r = await cli(['add', 'op2', '--name', 'Op Two']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /operator op2 \(Op Two\) updated, role operator/);
      assert.match((await cli(['list'])).out, /op2\toperator\tactive\tOp Two/);
      // A new operator without a role is still a viewer.
      assert.match((await cli(['add', 'op3'])).out, /created, role viewer/);
    });
  });

  describe('an administrator in the console', () => {
    it('adds an operator, changes her role, gives her a new password and disables her, each in the journal', async () => {
      const ada = new ConsoleClient(app, '10.23.1.1');
      assert.equal((await ada.signIn('ada')).statusCode, 303);
      const list = await ada.get('/operateurs');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Opérateurs de la console/);
      const added = await ada.submit('/operateurs', '/operateurs', {
        username: 'Nina',
        name: 'Nina Tremblay',
        role: 'viewer',
      });
      assert.equal(added.statusCode, 200);
      const first = /data-password>([^<]+)</.exec(added.body)![1]!;
      const nina = new ConsoleClient(app, '10.23.1.2');
      assert.equal((await nina.signIn('nina', first)).statusCode, 303);
      assert.match((await nina.get('/')).body, /Nina Tremblay/);

      // A role change ends her sessions at once.
      const role = await ada.submit('/operateurs', '/operateurs/nina/role', { role: 'operator' });
      assert.equal(role.statusCode, 303);
      assert.match((await ada.get('/operateurs')).body, /Rôle de nina : Opérateur/);
      assert.equal((await nina.get('/')).statusCode, 303, 'her session ended with the role change');

      const reset = await ada.submit('/operateurs/nina/mot-de-passe', '/operateurs/nina/mot-de-passe', {
        confirm: 'yes',
      });
      const second = /data-password>([^<]+)</.exec(reset.body)![1]!;
      assert.notEqual(second, first);
      assert.equal((await new ConsoleClient(app, '10.23.1.3').signIn('nina', first)).statusCode, 401);
      assert.equal((await nina.signIn('nina', second)).statusCode, 303);
      assert.equal((await nina.get('/')).statusCode, 200);

      const disabled = await ada.submit('/operateurs/nina/desactiver', '/operateurs/nina/desactiver', {
        confirm: 'yes',
      });
      assert.equal(disabled.statusCode, 303);
      assert.equal((await nina.get('/')).statusCode, 303, 'a disabled operator’s session ends at once');
      assert.equal((await new ConsoleClient(app, '10.23.1.4').signIn('nina', second)).statusCode, 401);

      assert.deepEqual(await journal('nina'), [
        { outcome: 'operator-added', operator: 'ada' },
        { outcome: 'operator-role-changed', operator: 'ada' },
        { outcome: 'operator-password-reset', operator: 'ada' },
        { outcome: 'operator-disabled', operator: 'ada' },
      ]);
      await ada.setLang('en');
      const log = await ada.get('/journal');
      assert.match(log.body, /Operator disabled/);
      // The CLI sees what the console did, and keeps working beside it.
      assert.match((await cli(['list'])).out, /nina\toperator\tdisabled\tNina Tremblay/);
    });

    it('cannot demote or disable themselves, nor add an operator that exists', async () => {
      const ada = new ConsoleClient(app, '10.23.2.1');
      await ada.signIn('ada');
      await ada.submit('/operateurs', '/operateurs/ada/role', { role: 'viewer' });
      assert.match((await ada.get('/operateurs')).body, /propre rôle/);
      await ada.submit('/operateurs', '/operateurs', { username: 'marie', role: 'viewer' });
      assert.match((await ada.get('/operateurs')).body, /existe déjà/);
      assert.match((await cli(['list'])).out, /ada\tadmin\tactive/);
      assert.match((await cli(['list'])).out, /marie\toperator\tactive/);
    });

    it('is the only role that manages operators', async () => {
      for (const who of ['marie', 'victor']) {
        const b = new ConsoleClient(app, '10.23.3.1');
        await b.signIn(who);
        assert.doesNotMatch((await b.get('/')).body, /href="\/operateurs"/, who);
        const page = await b.get('/operateurs');
        assert.equal(page.statusCode, 403, who);
        const csrf = csrfOf((await b.get('/')).body);
        const post = await b.post('/operateurs', { _csrf: csrf, username: 'mallory', role: 'admin' });
        assert.equal(post.statusCode, 403, who);
      }
      const ada = new ConsoleClient(app, '10.23.3.2');
      await ada.signIn('ada');
      assert.match((await ada.get('/')).body, /href="\/operateurs"/);
      assert.equal((await cli(['list'])).out.includes('mallory'), false);
    });
  });

  describe('signing in', () => {
    it('stores nothing for attempts at usernames nobody has, and answers them as a real one', async () => {
      const before = await store.db.selectFrom('console_signin_failure').select('id').execute();
      for (let i = 0; i < 20; i++) {
        const res = await new ConsoleClient(app, '10.23.4.1').signIn(`nobody-${i}`, 'wrong password!!');
        assert.equal(res.statusCode, 401);
      }
      const afterFlood = await store.db.selectFrom('console_signin_failure').select('id').execute();
      assert.equal(afterFlood.length, before.length, 'no row per attempt at an unknown username');
      // The same limit as for a real username: the sixth attempt waits.
      for (let i = 0; i < 5; i++)
        assert.equal(
          (await new ConsoleClient(app, '10.23.4.2').signIn('ghost', 'wrong password!!')).statusCode,
          401,
        );
      const sixth = await new ConsoleClient(app, '10.23.4.2').signIn('ghost', 'wrong password!!');
      assert.equal(sixth.statusCode, 429);
    });

    it('keeps an attacker’s failures when the operator signs in from the same address', async () => {
      const ip = '10.23.5.1'; // a proxy's address: every browser behind it has the same
      for (let i = 0; i < 4; i++)
        assert.equal((await new ConsoleClient(app, ip).signIn('marie', 'wrong password!!')).statusCode, 401);
      assert.equal((await new ConsoleClient(app, ip).signIn('marie')).statusCode, 303, 'marie signs in');
      assert.equal((await new ConsoleClient(app, ip).signIn('marie', 'wrong password!!')).statusCode, 401);
      assert.equal(
        (await new ConsoleClient(app, ip).signIn('marie', 'wrong password!!')).statusCode,
        429,
        'the attacker gets no fresh five attempts from marie’s success',
      );
    });

    it('clears the failures of the browser that then signs in', async () => {
      const ip = '10.23.5.2';
      const b = new ConsoleClient(app, ip);
      for (let i = 0; i < 4; i++)
        assert.equal((await b.signIn('victor', 'wrong password!!')).statusCode, 401);
      assert.equal((await b.signIn('victor')).statusCode, 303);
      const left = await store.db
        .selectFrom('console_signin_failure')
        .select('id')
        .where('username', '=', 'victor')
        .where('ip', '=', ip)
        .execute();
      assert.equal(left.length, 0);
    });

    it('runs a bounded number of password checks at once, refusing the excess, and none for unknown usernames', async () => {
      const hash = await hashPassword('a password nobody types');
      const checks = new PasswordChecks(2, 3);
      const answers = Promise.all(Array.from({ length: 8 }, () => checks.verify('wrong', hash)));
      assert.deepEqual(checks.load, { running: 2, waiting: 3 });
      const results = await answers;
      assert.equal(results.filter((r) => r === 'busy').length, 3);
      assert.equal(results.filter((r) => r === false).length, 5);
      assert.deepEqual(checks.load, { running: 0, waiting: 0 });
      const started = Date.now();
      await Promise.all(Array.from({ length: 50 }, () => checks.unknown()));
      assert.deepEqual(checks.load, { running: 0, waiting: 0 });
      assert.ok(Date.now() - started < 2_000);
    });

    it('remembers a bounded number of unknown usernames', () => {
      const attempts = new UnknownUsernameAttempts(100);
      const now = new Date();
      for (let i = 0; i < 1_000; i++) assert.equal(attempts.take(`u${i}`, '10.0.0.1', now), 0);
      assert.equal(attempts.size, 100);
    });
  });

  describe('an aggregation code’s confirmation', () => {
    it('issues one code when the same form is posted twice', async () => {
      await createBuilding(store.db, { buildingId: 'B-OPS', name: 'Tour' }, { operator: null });
      const marie = new ConsoleClient(app, '10.23.6.1');
      await marie.signIn('marie');
      const form = await marie.get('/batiments/B-OPS/codes/nouveau');
      const request = /name="request" value="([^"]+)"/.exec(form.body)![1]!;
      // A building without premises cannot pass the privacy rule: the operator confirms it anyway.
      const given = { recipient_name: 'Paul Voisin', recipient_contact: '514 555-0142', anyway: 'yes' };
      const fields = { _csrf: csrfOf(form.body), confirm: 'yes', request, ...given };
      const first = await marie.post('/batiments/B-OPS/codes', fields);
      assert.equal(first.statusCode, 200);
      // In groups of four, read over the phone more easily than one block of 16.
      assert.match(first.body, /data-code="[0-9A-Z]{16}">(?:[0-9A-Z]{4} ){3}[0-9A-Z]{4}</);
      const again = await marie.post('/batiments/B-OPS/codes', fields);
      assert.equal(again.statusCode, 303);
      assert.doesNotMatch(again.body, /data-code/);
      assert.match((await marie.get('/batiments/B-OPS')).body, /déjà émis un code/);
      const codes = await store.db
        .selectFrom('aggregation_code')
        .select('id')
        .where('building_id', '=', 'B-OPS')
        .execute();
      assert.equal(codes.length, 1);
      // A new confirmation page is a new form: it issues a new code.
      const other = await marie.get('/batiments/B-OPS/codes/nouveau');
      const next = await marie.post('/batiments/B-OPS/codes', {
        _csrf: csrfOf(other.body),
        confirm: 'yes',
        request: /name="request" value="([^"]+)"/.exec(other.body)![1]!,
        ...given,
      });
      assert.equal(next.statusCode, 200);
    });
  });

  it('answers /readyz with readiness only: no store kind, no ESPM call', async () => {
    const res = await app.inject({ url: '/readyz' });
    assert.deepEqual(Object.keys(res.json()).sort(), ['jobs', 'status', 'store']);
    assert.doesNotMatch(res.body, /embedded|postgres|espm|lastCall/i);
  });
});
