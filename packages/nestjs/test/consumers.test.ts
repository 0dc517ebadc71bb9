import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);

// The built package, as a CommonJS and an ESM application load it from `dist` (vitest's
// globalSetup builds it first).
test.each(['consumer.cjs', 'consumer.mjs'])('built package in %s', async (file) => {
  const script = fileURLToPath(new URL(`fixtures/${file}`, import.meta.url));

  const { stdout } = await run(process.execPath, [script], { timeout: 60_000 });

  expect(JSON.parse(stdout)).toEqual({
    guardParameterTypes: 1,
    missing: { status: 401, challenge: 'Bearer', body: '{"detail":"No token provided"}' },
    accepted: { status: 200, challenge: null, body: '{"subject":"static-token-1"}' },
    public: { status: 200, challenge: null, body: '{"ok":true}' },
  });
});
