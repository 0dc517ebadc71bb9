// Finds the workspace's publishable packages and packs them the way `pnpm publish` would, so
// that every release check runs on the files a user downloads. A package is publishable when
// packages/<name>/package.json exists and is not `"private": true`; new packages need no
// registration here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Lists the publishable packages under `<root>/packages`, sorted by folder name.
 * @returns {{ name: string, version: string, folder: string, dir: string, manifest: any }[]}
 */
export function publicPackages(root) {
  const packagesDir = join(root, 'packages');
  const found = [];
  for (const folder of readdirSync(packagesDir).sort()) {
    const manifestPath = join(packagesDir, folder, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private === true) continue;
    const dir = join(packagesDir, folder);
    found.push({ name: manifest.name, version: manifest.version, folder, dir, manifest });
  }
  return found;
}

/** Runs a command and throws with its output when it fails. */
export function runOrThrow(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(
      `${command} ${args.join(' ')} failed with exit code ${result.status}\n${output}`,
    );
  }
  return result.stdout ?? '';
}

let pnpm;

/**
 * Returns the command that runs pnpm: `pnpm` from PATH, or the version pinned in the root
 * package.json through `npx` on a machine that has only Node and npm (as scripts/bootstrap.mjs
 * does).
 * @returns {string[]} the command and its leading arguments
 */
export function pnpmCommand(root) {
  if (pnpm !== undefined) return pnpm;
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (!probe.error && probe.status === 0) {
    pnpm = ['pnpm'];
  } else {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    pnpm = ['npx', '--yes', manifest.packageManager];
  }
  return pnpm;
}

/** Runs pnpm with `args` and throws with its output when it fails. */
export function runPnpm(root, args, options = {}) {
  const [command, ...leading] = pnpmCommand(root);
  return runOrThrow(command, [...leading, ...args], options);
}

/** Builds every workspace package through turbo (cached when the sources did not change). */
export function buildWorkspace(root) {
  runPnpm(root, ['run', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Packs one package with `pnpm pack` into `destination`. pnpm rewrites `workspace:` ranges to
 * real versions and applies `publishConfig`, as `pnpm publish` does.
 * @returns {string} the tarball's absolute path
 */
export function packPackage(pkg, destination, root = join(pkg.dir, '..', '..')) {
  const output = runPnpm(root, ['pack', '--json', '--pack-destination', destination], {
    cwd: pkg.dir,
  });
  return JSON.parse(output).filename;
}
