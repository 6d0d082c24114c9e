import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

// Billing records what changed and leaves the sending to its readers (changes.ts): none of its modules
// may name the ESPM side (exchange/) or the job queues that wake the readers (jobs/).
const billing = dirname(fileURLToPath(import.meta.url));
const src = resolve(billing, '..');
const DESTINATIONS = ['exchange', 'jobs'];

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return modules(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every module specifier of the file: static imports and exports (type-only too) and dynamic imports. */
function specifiers(text: string): string[] {
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)];
  found.push(...text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g));
  found.push(...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g));
  return found.map((m) => m[1]!);
}

it('billing’s modules import nothing from the ESPM side or the job queues', () => {
  const files = modules(billing);
  assert.ok(
    files.some((f) => f.endsWith('apply-rows.ts')),
    'the billing modules are found',
  );
  const named: string[] = [];
  for (const file of files) {
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = relative(src, resolve(dirname(file), spec)).split(/[\\/]/)[0]!;
      if (DESTINATIONS.includes(target)) named.push(`${relative(src, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(named, []);
});
