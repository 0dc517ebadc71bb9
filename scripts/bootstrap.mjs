#!/usr/bin/env node
// Runs the project's entry points on a machine that has only Node and npm. It uses the pnpm
// version pinned in package.json's `packageManager`, from PATH when it matches, otherwise
// through `npx` (corepack is not used because its signature check fails on some machines).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = manifest.packageManager.replace(/^pnpm@/, '');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function findPnpm() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (!probe.error && probe.stdout.trim() === pnpmVersion) return ['pnpm'];
  return ['npx', '--yes', `pnpm@${pnpmVersion}`];
}

const pnpm = findPnpm();
function pnpmRun(...args) {
  return run(pnpm[0], [...pnpm.slice(1), ...args]);
}

function mustPass(step, status) {
  if (status !== 0) {
    console.error(`\n${step} failed with exit code ${status}.`);
    process.exit(status);
  }
}

const task = process.argv[2];
const frozen = process.env.CI ? ['--frozen-lockfile'] : [];

mustPass('pnpm install', pnpmRun('install', ...frozen));
mustPass('build', pnpmRun('run', 'build'));

if (task === 'demo') {
  process.exit(pnpmRun('--filter', '@remem/auth-cli', 'run', 'demo'));
} else if (task === 'test') {
  process.exit(run(process.execPath, [join(root, 'scripts', 'check.mjs'), ...pnpm]));
} else {
  console.error(`Unknown task "${task}". Use "demo" or "test".`);
  process.exit(2);
}
