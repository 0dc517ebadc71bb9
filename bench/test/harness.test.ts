import { describe, expect, it } from 'vitest';
// @ts-expect-error: the harness is plain JavaScript without declarations.
import { checkTargets, QUICK, renderResults, runAll } from '../src/run.mjs';

describe('benchmark harness', () => {
  it('runs every scenario with tiny counts', async () => {
    const results = await runAll(QUICK);
    const page: string = renderResults(results, QUICK);
    for (const heading of [
      '## 1. Verification',
      '## 2. HTTP on loopback',
      '## 3. Unknown-kid flood',
      '## 4. Memory',
    ]) {
      expect(page).toContain(heading);
    }
    expect(results.verify).toHaveLength(2 * 2 * 6);
    expect(results.http).toHaveLength(3 * 5);
    expect(checkTargets(results)).toHaveLength(10);
    expect(results.flood.fetches).toBeLessThanOrEqual(results.flood.windows);
  });
});
