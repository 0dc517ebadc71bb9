#!/usr/bin/env node
// Runs every check of the project in order and ends with one line `N passed, N failed`.
// Test counts come from the runners' JSON reports, and the Hono runtime suite writes its own
// `{ passed, failed }`. A gate that is not a test runner (lint, typecheck, package checks, API
// docs) counts as one test that passed or failed.
// Usage: node scripts/check.mjs <pnpm command...>
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpm = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['pnpm'];
const reports = join(root, '.tmp', 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

let passed = 0;
let failed = 0;
const failures = [];

function run(args) {
  const result = spawnSync(pnpm[0], [...pnpm.slice(1), ...args], { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

function gate(name, args) {
  console.log(`\n== ${name}`);
  if (run(args) === 0) {
    passed += 1;
  } else {
    failed += 1;
    failures.push(name);
  }
}

function vitestSuite(name, args) {
  console.log(`\n== ${name}`);
  const file = join(reports, `${name.replace(/\W+/g, '-')}.json`);
  const status = run([
    ...args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  if (!existsSync(file)) {
    failed += 1;
    failures.push(`${name} (no report)`);
    return;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (report.numFailedTests > 0 || status !== 0) failures.push(name);
  if (status !== 0 && report.numFailedTests === 0) {
    // A suite that failed to load reports no failed test; count it so it cannot pass silently.
    failed += 1;
  }
}

// A suite that writes `{ passed, failed }` to the report file given with --report.
function countedSuite(name, args) {
  console.log(`\n== ${name}`);
  const file = join(reports, `${name.replace(/\W+/g, '-')}.json`);
  const status = run([...args, '--report', file]);
  if (!existsSync(file)) {
    failed += 1;
    failures.push(`${name} (no report)`);
    return;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.passed;
  failed += report.failed;
  if (report.failed > 0 || status !== 0) failures.push(name);
  if (status !== 0 && report.failed === 0) failed += 1;
}

gate('lint', ['run', 'lint']);
gate('typecheck', ['run', 'typecheck']);
vitestSuite('tests', ['exec', 'vitest', 'run']);
countedSuite('hono on node, bun, deno and workerd', [
  '--filter',
  '@remem/auth-hono-runtimes',
  'exec',
  'node',
  'run.mjs',
]);
gate('package checks', ['run', 'check:packages']);
gate('api docs', ['run', 'docs']);

if (failures.length > 0) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
