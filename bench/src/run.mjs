// Runs every scenario and writes bench/RESULTS.md. `--quick` runs tiny counts and writes
// nothing, for the smoke test in the test suite.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { runFlood } from './flood.mjs';
import { runHttp } from './http.mjs';
import { runMemory } from './memory.mjs';
import { runVerify } from './verify.mjs';

export const FULL = {
  verify: { tokens: 5000, runs: 7 },
  http: { seconds: 4, runs: 5, connections: 32, distinctTokens: 12000 },
  flood: { hostile: 10000, valid: 5000, runs: 5, cooldownSeconds: 0.05 },
  memory: { tokens: 100000 },
};

export const QUICK = {
  verify: { tokens: 200, runs: 1 },
  http: { seconds: 1, runs: 1, connections: 4, distinctTokens: 50 },
  flood: { hostile: 300, valid: 100, runs: 1, cooldownSeconds: 0.05 },
  memory: { tokens: 500 },
};

/** Runs the scenarios with these settings and returns their results. */
export async function runAll(settings, log = () => {}) {
  log('verification');
  const verify = await runVerify(settings.verify);
  log('http');
  const http = await runHttp(settings.http);
  log('flood');
  const flood = await runFlood(settings.flood);
  log('memory');
  const memory = await runMemory(settings.memory);
  return { verify, http, flood, memory };
}

const format = (value, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function find(rows, predicate) {
  const row = rows.find(predicate);
  if (row === undefined) throw new Error('missing benchmark row');
  return row;
}

/** Renders the results page. */
export function renderResults(results, settings) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmark results',
    '',
    `- Machine: ${cpu}, ${os.cpus().length} cores, ${format(os.totalmem() / 2 ** 30, 1)} GiB memory, ${os.platform()} ${os.release()}`,
    `- Node ${process.version}; date ${new Date().toISOString().slice(0, 10)}`,
    '- Command: `pnpm bench` (bench/src/run.mjs). Every figure is the median of several runs in one process run, and the contenders of a table take turns run by run (verification alternates the order too), so the ratios compare contenders measured side by side on the same machine at the same time.',
    `- Settings: ${JSON.stringify(settings)}`,
    '',
    '## 1. Verification',
    '',
    'Operations per second over distinct ("fresh") tokens or one repeated token. The ratio is the time per verification divided by the bare signature check (`crypto.verify` on a `KeyObject`), so lower is better and the floor is 1.00. Contenders: `jose.jwtVerify` with `createRemoteJWKSet`; aws-jwt-verify\'s `JwtVerifier` with its JWKS cache filled from the IdP\'s document; `jsonwebtoken.verify` with the key from `jwks-rsa` (cached). Each verifies the same tokens, RS256 with 2048-bit keys and ES256 with P-256.',
    '',
  ];
  for (const alg of ['RS256', 'ES256']) {
    for (const concurrency of [1, 64]) {
      const rows = results.verify.filter(
        (row) => row.alg === alg && row.concurrency === concurrency,
      );
      const floor = find(rows, (row) => row.name.startsWith('bare')).opsPerSecond;
      lines.push(
        `### ${alg}, concurrency ${concurrency}`,
        '',
        '| contender | ops/s | time vs floor |',
        '|---|---:|---:|',
      );
      for (const row of rows) {
        lines.push(
          `| ${row.name} | ${format(row.opsPerSecond)} | ${format(floor / row.opsPerSecond, 2)}x |`,
        );
      }
      lines.push('');
    }
  }

  lines.push(
    '## 2. HTTP on loopback',
    '',
    `autocannon, ${settings.http.connections} connections, ${settings.http.seconds} s per run. Every request carries the same \`Authorization\` header, the route without auth included, so the ratio (requests per second divided by the same framework without auth) is the cost of checking it. The peers get the repeated token. Peers: express-oauth2-jwt-bearer with the JWKS URI; @fastify/jwt with get-jwks (discovery); hono/jwk given the keys at startup, because with \`jwks_uri\` it fetches the JWK Set on every request.`,
    '',
  );
  lines.push('| framework | route | req/s | vs no auth |', '|---|---|---:|---:|');
  for (const framework of ['express', 'fastify', 'hono']) {
    const rows = results.http.filter((row) => row.framework === framework);
    const none = find(rows, (row) => row.name === 'no auth').requestsPerSecond;
    for (const row of rows) {
      lines.push(
        `| ${framework} | ${row.name} | ${format(row.requestsPerSecond)} | ${format(row.requestsPerSecond / none, 2)}x |`,
      );
    }
  }
  lines.push('');

  const { flood, memory } = results;
  lines.push(
    '## 3. Unknown-kid flood',
    '',
    `${format(flood.hostile)} tokens with random \`kid\`s mixed with ${format(flood.valid)} valid tokens (token cache off, so each valid token is fully verified). The refetch cooldown is ${flood.cooldownSeconds} s instead of the default 30 s, so that one run spans several windows and the bound on fetches is put to the test.`,
    '',
    `- JWK Set fetches caused by the flood: ${flood.fetches} over ${format(flood.elapsedSeconds, 2)} s, which spans ${flood.windows} cooldown window(s).`,
    `- Valid-token throughput: ${format(flood.floodValidPerSecond)}/s during the flood against ${format(flood.baselineValidPerSecond)}/s without it (${format(flood.floodValidPerSecond / flood.baselineValidPerSecond, 2)}x).`,
    '',
    '## 4. Memory',
    '',
    `${format(memory.tokens)} distinct valid ES256 tokens of ${memory.tokenBytes} bytes verified into a cache of ${format(memory.tokens)} entries: heap growth ${format(memory.heapGrowthBytes / 2 ** 20, 1)} MiB, about ${format(memory.bytesPerToken)} bytes per cached token (token text, user object and frozen claims). Verifying ${format(Math.min(memory.tokens, 2000))} more tokens past the bound changed the heap by ${format(memory.growthPastBoundBytes / 2 ** 10)} KiB, because the oldest entries are evicted.`,
    '',
  );
  return lines.join('\n');
}

/** Returns the target checks as text lines, each passed or missed with its figure. */
export function checkTargets(results) {
  const rs1 = results.verify.filter((row) => row.alg === 'RS256' && row.concurrency === 1);
  const floor = find(rs1, (row) => row.name.startsWith('bare')).opsPerSecond;
  const fresh = find(rs1, (row) => row.name === 'remem-auth, fresh token').opsPerSecond;
  const repeated = find(rs1, (row) => row.name === 'remem-auth, repeated token').opsPerSecond;
  const checks = [
    [
      `fresh RS256 at concurrency 1 within 1.3x of the floor`,
      floor / fresh <= 1.3,
      `${(floor / fresh).toFixed(2)}x`,
    ],
    [
      `repeated token at least 20x faster than the floor`,
      repeated / floor >= 20,
      `${(repeated / floor).toFixed(1)}x`,
    ],
  ];
  for (const framework of ['express', 'fastify', 'hono']) {
    const rows = results.http.filter((row) => row.framework === framework);
    const none = find(rows, (row) => row.name === 'no auth').requestsPerSecond;
    const ours = find(rows, (row) => row.name === 'remem-auth, repeated token').requestsPerSecond;
    const peer = find(
      rows,
      (row) => row.name.endsWith(', repeated token') && !row.name.startsWith('remem'),
    ).requestsPerSecond;
    checks.push([
      `${framework}: repeated token at least 0.9x of no auth`,
      ours / none >= 0.9,
      `${(ours / none).toFixed(2)}x`,
    ]);
    checks.push([
      `${framework}: ahead of the peer`,
      ours > peer,
      `${(ours / peer).toFixed(2)}x the peer`,
    ]);
  }
  const { flood } = results;
  checks.push([
    `flood: at most one JWK Set fetch per cooldown window`,
    flood.fetches <= flood.windows,
    `${flood.fetches} fetches in ${flood.windows} windows`,
  ]);
  checks.push([
    `flood: valid throughput at least 0.8x of no flood`,
    flood.floodValidPerSecond / flood.baselineValidPerSecond >= 0.8,
    `${(flood.floodValidPerSecond / flood.baselineValidPerSecond).toFixed(2)}x`,
  ]);
  return checks.map(([name, ok, figure]) => `| ${name} | ${ok ? 'met' : 'missed'} | ${figure} |`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const settings = quick ? QUICK : FULL;
  const results = await runAll(settings, (name) => console.error(`running ${name}...`));
  const page = [
    renderResults(results, settings),
    '## Targets',
    '',
    '| target | result | measured |',
    '|---|---|---|',
    ...checkTargets(results),
    '',
  ].join('\n');
  if (quick) {
    console.log(page);
  } else {
    const file = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
    const notes = readNotes(file);
    writeFileSync(file, `${page}${notes}`);
    console.log(page);
  }
}

// Keeps the hand-written analysis below the generated part when the page is regenerated.
function readNotes(file) {
  try {
    const text = readFileSync(file, 'utf8');
    const index = text.indexOf('\n## Analysis');
    return index === -1 ? '' : text.slice(index);
  } catch {
    return '';
  }
}
