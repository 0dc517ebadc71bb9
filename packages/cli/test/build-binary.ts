import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// The tests run the built `remem-auth` binary, which loads core and testing from their `dist`,
// so all three packages are compiled once before any test starts.
export default function buildBinary(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  for (const name of ['core', 'testing', 'cli']) {
    execFileSync(process.execPath, [tsc, '-p', join(packages, name, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
  }
}
