// The Node side of the runtime suite. It serves a JWK Set on 127.0.0.1, mints the tokens, bundles
// the suite for Web-API-only runtimes, runs it under each runtime and writes the counts.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename, join } from 'node:path';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { build } from 'esbuild';
import type { Fixture, SuiteResult } from './fixture.js';

/** Every runtime this host can run the suite under. */
export const RUNTIMES = ['node', 'bun', 'deno', 'workerd'] as const;
export type Runtime = (typeof RUNTIMES)[number];

interface HostOptions {
  /** The package directory, which contains `src` and `node_modules/.bin`. */
  packageDir: string;
  runtimes: readonly Runtime[];
  /** A file to write `{ passed, failed, runtimes }` to, as JSON. */
  report?: string;
}

const RUN_TIMEOUT_MS = 120_000;

/** Runs the suite under each runtime and returns the process exit code. */
export async function main(options: HostOptions): Promise<number> {
  const work = join(options.packageDir, '.tmp');
  mkdirSync(work, { recursive: true });
  const idp = await startLocalIdp();
  const results: SuiteResult[] = [];
  try {
    const fixture = await createFixture(idp);
    const bundles = await bundleSuite(options.packageDir, work, results, options.runtimes);
    for (const runtime of options.runtimes) {
      if (bundles === undefined) break;
      const run = runtime === 'workerd' ? runWorkerd : runScript;
      results.push(await run(runtime, { ...options, work, fixture, bundles }));
    }
  } finally {
    await idp.close();
  }

  const passed = results.reduce((sum, result) => sum + result.passed, 0);
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  for (const result of results) {
    console.log(`${result.runtime}: ${result.passed} passed, ${result.failed} failed`);
    for (const failure of result.failures)
      console.log(`  FAIL ${failure.name}: ${failure.message}`);
  }
  const summary = { passed, failed, runtimes: results };
  if (options.report !== undefined) writeFileSync(options.report, JSON.stringify(summary));
  console.log(JSON.stringify({ passed, failed }));
  return failed === 0 ? 0 : 1;
}

async function createFixture(idp: LocalIdp): Promise<Fixture> {
  return {
    idpsJson: idp.idpsJson(),
    staticToken: 'runtime-static-token',
    tokens: {
      valid: await idp.mintToken({ claims: { sub: 'runtime-user', scope: 'notes:read' } }),
      expired: await idp.mintToken({ claims: { sub: 'runtime-user' }, expiresIn: -3600 }),
      writeOnly: await idp.mintToken({ claims: { sub: 'runtime-user', scope: 'notes:write' } }),
    },
  };
}

interface Bundles {
  script: string;
  worker: string;
}

// `platform: 'neutral'` resolves no Node built-in, so a `node:` import anywhere on the path from
// the suite through @remem/auth-hono and @remem/auth-core fails this build and names the module.
async function bundleSuite(
  packageDir: string,
  work: string,
  results: SuiteResult[],
  runtimes: readonly Runtime[],
): Promise<Bundles | undefined> {
  const bundles = { script: join(work, 'suite.mjs'), worker: join(work, 'worker.mjs') };
  try {
    await build({
      entryPoints: {
        suite: join(packageDir, 'src', 'cli-entry.ts'),
        worker: join(packageDir, 'src', 'worker.ts'),
      },
      outdir: work,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      conditions: ['development', 'worker'],
      logLevel: 'silent',
    });
    return bundles;
  } catch (error) {
    const message = String((error as Error).message ?? error);
    for (const runtime of runtimes) {
      results.push({
        runtime,
        passed: 0,
        failed: 1,
        failures: [{ name: 'bundle without Node built-ins', message }],
      });
    }
    return undefined;
  }
}

interface RunContext extends HostOptions {
  work: string;
  fixture: Fixture;
  bundles: Bundles;
}

// The binaries themselves, not the `.bin` shell shims: a signal sent to a shim would not reach
// the runtime it started.
const BINARIES: Record<string, string[]> = {
  bun: ['bun', 'bin', 'bun.exe'],
  deno: ['deno', 'deno'],
  workerd: ['workerd', 'bin', 'workerd'],
};

function binary(context: RunContext, name: string): string {
  return join(context.packageDir, 'node_modules', ...BINARIES[name]!);
}

async function runScript(runtime: Runtime, context: RunContext): Promise<SuiteResult> {
  const argument = btoa(JSON.stringify(context.fixture));
  const commands: Record<string, [string, string[]]> = {
    node: [process.execPath, [context.bundles.script, argument]],
    bun: [binary(context, 'bun'), [context.bundles.script, argument]],
    // Only loopback may be reached: the JWK Set is served on 127.0.0.1.
    deno: [
      binary(context, 'deno'),
      ['run', '--no-prompt', '--allow-net=127.0.0.1', context.bundles.script, argument],
    ],
  };
  const [command, args] = commands[runtime]!;
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DENO_DIR: join(context.work, 'deno'), NO_COLOR: '1' },
  });
  const { code, stdout, stderr } = await collect(child);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as SuiteResult;
  } catch {
    const message = `exit code ${code}, no JSON counts; stderr: ${stderr.slice(-2000)}`;
    return { runtime, passed: 0, failed: 1, failures: [{ name: 'run the suite', message }] };
  }
}

async function runWorkerd(runtime: Runtime, context: RunContext): Promise<SuiteResult> {
  const config = join(context.work, 'worker.capnp');
  writeFileSync(config, workerdConfig(context));
  // The host listens on a free loopback port and hands the socket to workerd, so no other
  // process can take the port in between.
  const listener = createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const { port } = listener.address() as { port: number };
  const fd = (listener as Server & { _handle: { fd: number } })._handle.fd;
  const child = spawn(binary(context, 'workerd'), ['serve', config, '--socket-fd', 'http=3'], {
    stdio: ['ignore', 'pipe', 'pipe', fd],
  });
  const exited = collect(child);
  const origin = `http://127.0.0.1:${port}`;
  try {
    listener.close();
    const result = await fetchJson(`${origin}/suite`);
    if (result === undefined) {
      const { stderr } = await stop(child, exited);
      const message = `no response from workerd; stderr: ${stderr.slice(-2000)}`;
      return { runtime, passed: 0, failed: 1, failures: [{ name: 'run the suite', message }] };
    }
    await checkOverHttp(origin, context.fixture, result);
    return result;
  } finally {
    await stop(child, exited);
  }
}

// Two requests through workerd's own HTTP server, whose verifier comes from the bindings.
async function checkOverHttp(origin: string, fixture: Fixture, result: SuiteResult) {
  const checks: [string, () => Promise<string | undefined>][] = [
    [
      'HTTP: static token from the bindings',
      async () => {
        const response = await fetch(`${origin}/api/me`, {
          signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
          headers: { authorization: `Bearer ${fixture.staticToken}` },
        });
        const body = await response.text();
        return response.status === 200 && body === '{"subject":"static-token-1"}'
          ? undefined
          : `status ${response.status}, body ${body}`;
      },
    ],
    [
      'HTTP: missing token',
      async () => {
        const response = await fetch(`${origin}/api/me`, {
          signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
        });
        const body = await response.text();
        const challenge = response.headers.get('www-authenticate');
        return response.status === 401 &&
          body === '{"detail":"No token provided"}' &&
          challenge === 'Bearer' &&
          response.headers.get('content-type') === 'application/json'
          ? undefined
          : `status ${response.status}, WWW-Authenticate ${challenge}, body ${body}`;
      },
    ],
  ];
  for (const [name, check] of checks) {
    const problem = await check().catch((error: unknown) => `threw ${String(error)}`);
    if (problem === undefined) {
      result.passed += 1;
    } else {
      result.failed += 1;
      result.failures.push({ name, message: problem });
    }
  }
}

function workerdConfig(context: RunContext): string {
  const text = (value: string) => JSON.stringify(value);
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .suiteWorker),
    # Outbound fetches may reach loopback only, where the host serves the JWK Set.
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", http = (), service = "main")],
);

const suiteWorker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed ${text(basename(context.bundles.worker))})],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
  bindings = [
    (name = "FIXTURE", text = ${text(JSON.stringify(context.fixture))}),
    (name = "REMEM_AUTH_STATIC_TOKENS", text = ${text(context.fixture.staticToken)}),
    (name = "REMEM_AUTH_IDPS_JSON", text = ${text(context.fixture.idpsJson)}),
  ],
);
`;
}

// Polls until workerd responds: at most 50 attempts, 200 ms apart.
async function fetchJson(url: string): Promise<SuiteResult | undefined> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });
      return (await response.json()) as SuiteResult;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return undefined;
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${String(error)}` });
    });
  });
}

async function stop(child: ChildProcess, exited: Promise<Exit>): Promise<Exit> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  const exit = await exited;
  clearTimeout(timer);
  return exit;
}
