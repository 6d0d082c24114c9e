// The process-level safety net, in a child process (the test runner has its own listeners): a promise
// rejected with no handler is logged with its request's reference and the server goes on answering; an
// uncaught exception is logged at fatal level with its reference and the process stops with status 70.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const SAFETY_NET = new URL('./safety-net.ts', import.meta.url).href;

const CHILD = `
import Fastify from 'fastify';
import { installSafetyNet, scopeRequests } from ${JSON.stringify(SAFETY_NET)};
const app = Fastify({ logger: { level: 'info' }, genReqId: () => 'req-' + Math.random().toString(36).slice(2) });
scopeRequests(app);
installSafetyNet(app.log, (code) => process.exit(code));
app.post('/leave', async (req) => {
  setTimeout(() => void Promise.reject(new Error('left alone')), 1);
  return { id: req.id };
});
app.get('/throw', async (req) => {
  setTimeout(() => { throw new Error('thrown from a timer'); }, 1);
  return { id: req.id };
});
const left = await app.inject({ method: 'POST', url: '/leave', payload: { a: [1, 2, 3] } });
console.log('LEFT ' + left.json().id);
await new Promise((r) => setTimeout(r, 50));
const alive = await app.inject({ method: 'POST', url: '/leave', payload: {} });
console.log('ALIVE ' + alive.statusCode);
const thrown = await app.inject({ method: 'GET', url: '/throw' });
console.log('THROWN ' + thrown.json().id);
await new Promise((r) => setTimeout(r, 500));
console.log('STILL RUNNING');
`;

describe('the process-level safety net', () => {
  it('logs a rejection nobody handled with its request and keeps serving; stops on an uncaught exception', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      encoding: 'utf8',
      cwd: new URL('.', import.meta.url),
      timeout: 30_000,
    });
    const lines = run.stdout.split('\n');
    const marker = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.slice(name.length + 1);
    const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const rejection = logs.find((l) => l.event === 'unhandled-rejection');
    assert.ok(rejection, `${run.stdout}\n${run.stderr}`);
    assert.equal(rejection.level, 50);
    assert.equal(rejection.reqId, marker('LEFT'), 'the rejection names the request it came from');
    assert.match(JSON.stringify(rejection.err), /left alone/);
    assert.equal(marker('ALIVE'), '200', 'still serving after the rejection');
    const exception = logs.find((l) => l.event === 'uncaught-exception');
    assert.ok(exception, run.stdout);
    assert.equal(exception.level, 60);
    assert.equal(exception.reqId, marker('THROWN'));
    assert.equal(run.status, 70, 'an uncaught exception stops the process');
    assert.equal(marker('STILL'), undefined);
  });
});
