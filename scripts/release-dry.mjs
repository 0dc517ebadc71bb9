#!/usr/bin/env node
// Rehearses a release without publishing or touching this checkout. It copies the working tree
// to a temporary folder (tracked files and untracked ones that git does not ignore, so
// uncommitted changesets count), runs `changeset version` there, packs every package whose
// version changed and prints what would be released. In the real tree it only builds, and
// dist/ is git-ignored.
// Usage: node scripts/release-dry.mjs [--keep]   (--keep leaves the temporary copy for review)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildWorkspace,
  packPackage,
  publicPackages,
  runOrThrow,
  runPnpm,
} from './lib/workspace-packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');

function copyWorkingTree(destination) {
  const listing = runOrThrow(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  for (const file of listing.split('\0')) {
    // A file deleted but not yet staged is still listed by --cached.
    if (file === '' || !existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(destination, file)), { recursive: true });
    cpSync(join(root, file), join(destination, file));
  }
}

function changesetFiles(dir) {
  return readdirSync(join(dir, '.changeset')).filter(
    (file) => file.endsWith('.md') && file !== 'README.md',
  );
}

buildWorkspace(root);
const before = publicPackages(root);
if (changesetFiles(root).length === 0) {
  console.log(
    'No changesets in .changeset/: nothing would be released. Add one with `pnpm changeset`.',
  );
  process.exit(0);
}

const copy = mkdtempSync(join(tmpdir(), 'remem-auth-release-'));
try {
  copyWorkingTree(copy);
  for (const pkg of before) {
    const dist = join(pkg.dir, 'dist');
    if (existsSync(dist))
      cpSync(dist, join(copy, 'packages', pkg.folder, 'dist'), { recursive: true });
  }
  // The store already holds every dependency of this lockfile, so no registry call is needed.
  runPnpm(root, ['install', '--offline', '--frozen-lockfile', '--ignore-scripts'], {
    cwd: copy,
  });
  const changeset = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');
  const versioned = spawnSync(process.execPath, [changeset, 'version'], {
    cwd: copy,
    stdio: 'inherit',
  });
  if (versioned.status !== 0)
    throw new Error(`changeset version failed with exit code ${versioned.status}`);

  const after = new Map(publicPackages(copy).map((pkg) => [pkg.name, pkg]));
  const tarballs = join(copy, '.release-dry');
  mkdirSync(tarballs);
  const rows = [];
  for (const pkg of before) {
    const next = after.get(pkg.name);
    if (!next || next.version === pkg.version) continue;
    const tarball = packPackage(next, tarballs);
    const packed = JSON.parse(runOrThrow('tar', ['-xOzf', tarball, 'package/package.json']));
    rows.push({
      name: pkg.name,
      from: pkg.version,
      to: packed.version,
      size: `${Math.ceil(statSync(tarball).size / 1024)} KiB`,
      dependencies: Object.entries(packed.dependencies ?? {})
        .filter(([name]) => after.has(name))
        .map(([name, range]) => `${name}@${range}`)
        .join(', '),
    });
  }

  if (rows.length === 0) {
    console.log('\nThe changesets bump no publishable package.');
  } else {
    console.log('\nWould release (nothing was published):');
    for (const row of rows) {
      const deps = row.dependencies ? `, depends on ${row.dependencies}` : '';
      console.log(`  ${row.name} ${row.from} -> ${row.to} (${row.size} packed${deps})`);
    }
  }
  if (keep) console.log(`\nVersioned copy with changelogs and tarballs: ${copy}`);
} finally {
  if (!keep) rmSync(copy, { recursive: true, force: true });
}
