// The README's first example, `npx remem-auth demo`, run through the installed package's bin.
// The demo exits 0 only when every call got the expected response, and stops its servers first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const manifestPath = createRequire(import.meta.url).resolve('@remem/auth-cli/package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
const bin = join(dirname(manifestPath), manifest.bin['remem-auth']!);

const demo = spawnSync(process.execPath, [bin, 'demo'], { encoding: 'utf8', timeout: 60_000 });
assert.equal(demo.status, 0, demo.stderr);
console.log('cli example passed');
