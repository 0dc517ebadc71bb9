#!/usr/bin/env node
// Checks what each publishable package would ship: builds the workspace, packs every package
// with `pnpm pack`, and runs publint, @arethetypeswrong/cli and this project's manifest rules on
// each tarball. The packages are ESM-only for Node 20.19+, where CommonJS consumers load them
// through require(esm), so attw runs with its `esm-only` profile (it skips the node10 and
// node16-from-CJS resolutions, which only a dual package could satisfy).
// Usage: node scripts/check-packages.mjs [folder...]   (default: every package)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildWorkspace,
  packPackage,
  publicPackages,
  runOrThrow,
} from './lib/workspace-packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const packages = publicPackages(root).filter(
  (pkg) => only.length === 0 || only.includes(pkg.folder) || only.includes(pkg.name),
);
if (packages.length === 0) {
  console.error(`No publishable package matches ${only.join(', ')}.`);
  process.exit(2);
}

/** Lists the problems of a packed manifest that publint and attw do not look for. */
function manifestProblems(manifest, files) {
  const problems = [];
  if (manifest.type !== 'module') {
    problems.push('"type" must be "module" (the packages are ESM-only)');
  }
  if (!manifest.engines?.node) {
    problems.push('"engines.node" is missing (use ">=20.19", the first Node with require(esm))');
  }
  if (manifest.sideEffects === undefined) problems.push('"sideEffects" is missing');
  if (!manifest.license) problems.push('"license" is missing');
  if (!manifest.description) problems.push('"description" is missing');

  if (!files.includes('README.md')) problems.push('README.md is not in the tarball');
  if (!manifest.exports?.['.']) problems.push('"exports" has no "." entry');
  for (const target of exportTargets(manifest.exports)) {
    if (/\.[cm]?ts$/.test(target) && !/\.d\.[cm]?ts$/.test(target)) {
      problems.push(
        `"exports" points at TypeScript source ${target}; strip source conditions such as ` +
          '"development" in "publishConfig.exports"',
      );
    }
  }

  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith('workspace:')) {
        problems.push(`${field}.${name} still has the range ${range}`);
      }
    }
  }

  for (const name of Object.keys(manifest.peerDependencies ?? {})) {
    if (!manifest.devDependencies?.[name]) {
      problems.push(`peer dependency ${name} is not a devDependency, so no test covers its range`);
    }
  }
  return problems;
}

function exportTargets(exportsField) {
  if (typeof exportsField === 'string') return [exportsField];
  if (exportsField === null || typeof exportsField !== 'object') return [];
  return Object.values(exportsField).flatMap(exportTargets);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status === 0;
}

buildWorkspace(root);
const destination = mkdtempSync(join(tmpdir(), 'remem-auth-pack-'));
const failures = [];
try {
  for (const pkg of packages) {
    console.log(`\n== ${pkg.name}@${pkg.version}`);
    const tarball = packPackage(pkg, destination);
    const listing = runOrThrow('tar', ['-tzf', tarball]).split('\n');
    const files = listing.map((line) => line.replace(/^package\//, ''));
    const manifest = JSON.parse(runOrThrow('tar', ['-xOzf', tarball, 'package/package.json']));

    const problems = manifestProblems(manifest, files);
    for (const problem of problems) console.log(`manifest: ${problem}`);
    if (problems.length > 0) failures.push(`${pkg.name} (manifest)`);
    else console.log('manifest: ok');

    const bin = (name) => join(root, 'node_modules', '.bin', name);
    if (!run(bin('publint'), ['run', tarball, '--strict'])) failures.push(`${pkg.name} (publint)`);
    if (!run(bin('attw'), [tarball, '--profile', 'esm-only', '--no-color'])) {
      failures.push(`${pkg.name} (attw)`);
    }
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\nPackage checks failed: ${failures.join(', ')}`);
  process.exit(1);
}
console.log(`\nPackage checks passed for ${packages.map((pkg) => pkg.name).join(', ')}.`);
