import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// The CommonJS and ESM consumer tests load the built package, which loads core from its `dist`,
// so both are compiled once before any test starts.
export default function buildDist(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  for (const name of ['core', 'nestjs']) {
    execFileSync(process.execPath, [tsc, '-p', join(packages, name, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
  }
}
