#!/usr/bin/env node
// Runs the @remem/auth-hono suite under Node, Bun, Deno and workerd and prints the counts.
// Usage: node run.mjs [--report FILE] [--runtimes node,bun,deno,workerd]
// It bundles the TypeScript host first, because the workspace packages are used from source.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const packageDir = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { report: { type: 'string' }, runtimes: { type: 'string' } },
});

const outfile = join(packageDir, '.tmp', 'host.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(packageDir, 'src', 'host.ts')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['development'],
  // esbuild ships a native binary and oidc-provider is never called here; both load at run time.
  external: ['esbuild', 'oidc-provider'],
  logLevel: 'warning',
});

const { main, RUNTIMES } = await import(pathToFileURL(outfile).href);
const runtimes = values.runtimes?.split(',') ?? RUNTIMES;
const unknown = runtimes.filter((runtime) => !RUNTIMES.includes(runtime));
if (unknown.length > 0) {
  console.error(`Unknown runtime ${unknown.join(', ')}; use ${RUNTIMES.join(', ')}.`);
  process.exit(2);
}
const report = values.report === undefined ? undefined : resolve(values.report);
process.exitCode = await main({ packageDir, runtimes, report });
