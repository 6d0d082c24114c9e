// The CLI as `npm run build` makes it, which is what the README's commands run: built once per test or
// benchmark process from the source as it is, into a folder of its own (test files run side by side,
// and a `serve` may be running from `npm run build`'s output), removed when the process ends.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../build-cli.ts';

let built: string | undefined;

/** The path of the built CLI's entry point: `node <path> <command>`. */
export function builtCli(): string {
  if (built === undefined) {
    const dir = fileURLToPath(new URL(`../dist-test-${process.pid}`, import.meta.url));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    buildCli(dir);
    built = `${dir}/gateway.js`;
  }
  return built;
}
