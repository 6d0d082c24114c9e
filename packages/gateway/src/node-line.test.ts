// The Node line the project promises is one: .nvmrc, package.json's engines, the container image, the
// README and the operations guide say the same major version, and CI runs the tests on it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the Node line', () => {
  it('is the same everywhere it is promised, and an LTS line', () => {
    const major = read('.nvmrc').trim();
    assert.match(major, /^\d+$/);
    // Even majors are Node's LTS lines.
    assert.equal(Number(major) % 2, 0);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    assert.match(engines, new RegExp(`^\\^${major}\\.`));
    assert.match(read('deploy/Containerfile'), new RegExp(`^FROM node:${major}-`, 'm'));
    assert.match(read('README.md'), new RegExp(`Node ${major}\\.\\d+ or later on the ${major} LTS line`));
    assert.match(read('docs/operations.md'), new RegExp(`Node\\.js ${major} \\(the LTS line`));
  });

  it('is the one CI runs the tests on, fetched before anything is installed', () => {
    const run = read('.ci/run');
    assert.ok(run.indexOf('source .ci/use-node.sh') < run.indexOf('npm ci'), 'Node is chosen before npm ci');
    assert.match(read('.ci/use-node.sh'), /\.nvmrc/);
    assert.match(read('.gitignore'), /^\.ci\/node-\*\/$/m);
  });
});
