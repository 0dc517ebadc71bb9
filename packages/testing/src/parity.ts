import { type FailureMode, type LocalIdp, type MintOptions, startLocalIdp } from './local-idp.js';
import { parityCases } from './parity-cases.js';

/** A running server under test, built by {@link ParityRunOptions.startServer}. */
export interface ParityServer {
  /** Base URL, for example `http://127.0.0.1:43121`, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** The response a parity case expects. */
export interface ParityExpectation {
  status: number;
  /**
   * Headers that must match exactly (names in lower case). `content-type` is compared by media
   * type only, because frameworks may add `; charset=utf-8`. A regular expression is tested with
   * `test`, so anchor it to match the whole value.
   */
  headers?: Record<string, string | RegExp>;
  /**
   * The exact body text of an error, or for a 200 the JSON object `{ subject, authMethod }`,
   * compared by value.
   */
  body: string | { subject: string; authMethod: string };
}

/**
 * One row of the parity table: the environment a server is built from, one request, and the
 * response the Python library `remem-auth` 0.2.0 gives for it.
 */
export interface ParityCase {
  name: string;
  /** `REMEM_AUTH_*` variables, or a function of the local IdP that the runner starts. */
  env: Record<string, string> | ((idp: LocalIdp) => Record<string, string>);
  /** `/protected` responds in the default format, `/openai/protected` in the OpenAI format. */
  path: '/protected' | '/openai/protected';
  /** Request headers. `{jwt}` in a value is replaced by a token minted with {@link jwt}. */
  headers?: Record<string, string>;
  /** How to mint the token that replaces `{jwt}`. */
  jwt?: MintOptions;
  /** Make the local IdP's JWK Set endpoint fail during this case. */
  idpFailure?: FailureMode;
  expected: ParityExpectation;
}

/** Options of {@link runParityCases}. */
export interface ParityRunOptions {
  /**
   * Starts the server under test, configured from `env` (pass it to `loadAuthConfig(env)`), on
   * loopback. It serves `GET /protected` in the default error format and
   * `GET /openai/protected` in the OpenAI format; both respond 200 with the JSON object
   * `{ subject, authMethod }` of the authenticated user.
   */
  startServer(env: Record<string, string>): Promise<ParityServer>;
  /** The cases to run; default {@link parityCases}. */
  cases?: readonly ParityCase[];
}

/** The outcome of one case. `differences` is empty when the case passed. */
export interface ParityResult {
  name: string;
  passed: boolean;
  differences: string[];
}

/**
 * Runs parity cases against a server: for each case it starts the server from the case's
 * environment, sends the request, compares status, headers and body, and closes the server. JWT
 * cases use a local IdP on loopback that the runner starts and closes.
 *
 * @example
 * ```ts
 * const results = await runParityCases({
 *   startServer: async (env) => {
 *     const app = createApp(loadAuthConfig(env));
 *     const url = await app.listen({ host: '127.0.0.1', port: 0 });
 *     return { url, close: () => app.close() };
 *   },
 * });
 * expect(results.filter((result) => !result.passed)).toEqual([]);
 * ```
 */
export async function runParityCases(options: ParityRunOptions): Promise<ParityResult[]> {
  const idp = await startLocalIdp({ algorithms: ['RS256', 'ES256'] });
  const results: ParityResult[] = [];
  try {
    for (const parityCase of options.cases ?? parityCases) {
      results.push(await runCase(parityCase, idp, options));
    }
  } finally {
    await idp.close();
  }
  return results;
}

async function runCase(
  parityCase: ParityCase,
  idp: LocalIdp,
  options: ParityRunOptions,
): Promise<ParityResult> {
  const env = typeof parityCase.env === 'function' ? parityCase.env(idp) : parityCase.env;
  const token = parityCase.jwt === undefined ? undefined : await idp.mintToken(parityCase.jwt);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parityCase.headers ?? {})) {
    headers[name] = token === undefined ? value : value.replaceAll('{jwt}', token);
  }

  const server = await options.startServer(env);
  if (parityCase.idpFailure !== undefined) idp.fail(parityCase.idpFailure);
  try {
    const response = await fetch(`${server.url}${parityCase.path}`, { headers });
    const body = await response.text();
    const differences = compare(parityCase.expected, response, body);
    return { name: parityCase.name, passed: differences.length === 0, differences };
  } finally {
    idp.recover();
    await server.close();
  }
}

function compare(expected: ParityExpectation, response: Response, body: string): string[] {
  const differences: string[] = [];
  if (response.status !== expected.status) {
    differences.push(`status: expected ${expected.status}, received ${response.status}`);
  }
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    let received = response.headers.get(name);
    if (name === 'content-type' && received !== null) received = received.split(';')[0]!.trim();
    const matches =
      typeof value === 'string' ? received === value : received !== null && value.test(received);
    if (!matches) {
      const expectedText = typeof value === 'string' ? JSON.stringify(value) : String(value);
      differences.push(
        `header ${name}: expected ${expectedText}, received ${JSON.stringify(received)}`,
      );
    }
  }
  if (typeof expected.body === 'string') {
    if (body !== expected.body) {
      differences.push(`body: expected ${expected.body}, received ${body}`);
    }
  } else if (!sameUser(expected.body, body)) {
    differences.push(`body: expected ${JSON.stringify(expected.body)}, received ${body}`);
  }
  return differences;
}

function sameUser(expected: { subject: string; authMethod: string }, body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const user = parsed as Record<string, unknown>;
  return user['subject'] === expected.subject && user['authMethod'] === expected.authMethod;
}
