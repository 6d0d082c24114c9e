// The import graph of the product's sources (tests and their support left out) has no loop, type-only
// imports included, and buildings/ is a source of periods that the ESPM side reads: nothing in it
// imports from exchange/ (billing/ has its own check, billing/knows-no-destination.test.ts).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The files this one imports or re-exports by relative path, type-only and dynamic imports too. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.[^'"]+)['"]/g),
    ...text.matchAll(/(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g),
    ...text.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g),
  ].map((m) => resolve(dirname(file), m[1]!));
  return specs.filter((target) => existsSync(target));
}

const files = readdirSync(packages).flatMap((p) => {
  const src = join(packages, p, 'src');
  return existsSync(src) ? sources(src) : [];
});
const graph = new Map(files.map((f) => [f, imports(f).filter((t) => !t.endsWith('.test.ts'))]));
const name = (f: string) => relative(packages, f);

/** The strongly connected groups of more than one file, or of a file importing itself (Tarjan). */
function loops(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(group.map(name).sort());
    }
  };
  for (const f of graph.keys()) if (!index.has(f)) visit(f);
  return found;
}

describe('the import graph', () => {
  it('reads the product’s sources', () => {
    assert.ok(files.some((f) => f.endsWith(join('exchange', 'consumption', 'sync-link.ts'))));
    assert.ok(files.length > 100, `${files.length} files`);
  });

  it('has no loop among the product’s sources, type-only imports included', () => {
    assert.deepEqual(loops(), []);
  });

  it('has nothing in buildings/ import from exchange/', () => {
    const gateway = join(packages, 'gateway', 'src');
    const named = [...graph]
      .filter(([f]) => relative(gateway, f).startsWith(`buildings`))
      .flatMap(([f, targets]) =>
        targets
          .filter((t) => relative(gateway, t).startsWith('exchange'))
          .map((t) => `${name(f)} imports ${name(t)}`),
      );
    assert.deepEqual(named, []);
  });
});
