import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';

/** A private signing key, in the form the runtime's crypto API uses. */
export type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** Algorithms the local IdP signs with. */
export type SigningAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA';

/** A key pair of the local IdP. `publicJwk` is what its JWK Set publishes. */
export interface LocalKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: PrivateKey;
  publicJwk: JWK;
}

/** How the JWKS and discovery endpoints misbehave until {@link LocalIdp.recover} is called. */
export interface FailureMode {
  /** Respond with this status. */
  status?: number;
  /** Delay before the response, in milliseconds. */
  delayMs?: number;
  /** Respond with this body instead of the real document. */
  body?: string;
  /** Content type of `body`; default `application/json`. */
  contentType?: string;
  /** Answer 302 with this `Location`. */
  redirectTo?: string;
  /** Drop the connection without an answer. */
  hangUp?: boolean;
  /** Fail only the next N requests; default every request. */
  times?: number;
}

/** Options of {@link startLocalIdp}. */
export interface LocalIdpOptions {
  /** Keys to create, one per algorithm. Default `["RS256"]`. */
  algorithms?: readonly SigningAlgorithm[];
  /** `iss` of minted tokens; default the server's own URL, `http://127.0.0.1:<port>`. */
  issuer?: string;
  /** Default `aud` of minted tokens. Default `"api://remem-test"`. */
  audience?: string;
  /** Publish `alg` on each JWK (Entra does not). Default true. */
  publishAlg?: boolean;
  /** Host to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on. Default 0, a free port. */
  port?: number;
  /**
   * Serve `POST /token`, which mints a token from form fields `sub`, `scope`, `aud`, `email`,
   * `name` and `expires_in` (seconds). Default false.
   */
  mintEndpoint?: boolean;
}

/** Options of {@link LocalIdp.mintToken}. */
export interface MintOptions {
  /** Claims to set or override; `undefined` values remove a default claim. */
  claims?: Record<string, unknown>;
  /** Header members to set or override; `undefined` values remove a default member. */
  header?: Record<string, unknown>;
  /** Sign with the key of this algorithm. Default the first key's. */
  alg?: SigningAlgorithm;
  /** Sign with this key instead of one the IdP publishes. */
  key?: LocalKey;
  /** Seconds from now until `exp`. Default 300. */
  expiresIn?: number;
}

/** A request the local IdP received. */
export interface ReceivedRequest {
  method: string;
  path: string;
}

/**
 * An OpenID provider on loopback for tests: it serves a discovery document and a JWK Set, mints
 * tokens with any claims, rotates keys, and fails on request.
 */
export class LocalIdp {
  readonly url: string;
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
  /** Every request received, oldest first. */
  readonly requests: ReceivedRequest[] = [];
  /** Requests whose client closed the connection before the answer was sent. */
  abortedRequests = 0;

  readonly #server: Server;
  readonly #publishAlg: boolean;
  readonly #mintEndpoint: boolean;
  #keys: LocalKey[];
  #failure: FailureMode | undefined;

  /** @internal Use {@link startLocalIdp}. */
  constructor(server: Server, url: string, keys: LocalKey[], options: LocalIdpOptions) {
    this.#server = server;
    this.url = url;
    this.issuer = options.issuer ?? url;
    this.audience = options.audience ?? 'api://remem-test';
    this.jwksUri = `${url}/jwks`;
    this.#publishAlg = options.publishAlg ?? true;
    this.#mintEndpoint = options.mintEndpoint ?? false;
    this.#keys = keys;
  }

  /** The keys currently published, newest last. */
  get keys(): readonly LocalKey[] {
    return this.#keys;
  }

  /**
   * An IdP entry for `AuthConfig.idps` that trusts this IdP, with any field overridden.
   */
  idpConfig(overrides: Record<string, unknown> = {}): {
    name: string;
    issuer: string;
    jwksUri: string;
    audience: string;
    algorithms: SigningAlgorithm[];
  } {
    return {
      name: 'local',
      issuer: this.issuer,
      jwksUri: this.jwksUri,
      audience: this.audience,
      algorithms: [...new Set(this.#keys.map((key) => key.alg))],
      ...overrides,
    };
  }

  /** The `REMEM_AUTH_IDPS_JSON` value that trusts this IdP, with the Python library's keys. */
  idpsJson(overrides: Record<string, unknown> = {}): string {
    const { jwksUri, ...rest } = this.idpConfig();
    return JSON.stringify([{ ...rest, jwks_uri: jwksUri, ...overrides }]);
  }

  /** Requests made to the JWK Set endpoint so far. */
  get jwksRequestCount(): number {
    return this.requests.filter((request) => request.path === '/jwks').length;
  }

  /** The JWK Set document as currently served. */
  jwks(): { keys: JWK[] } {
    return {
      keys: this.#keys.map(({ publicJwk, alg }) => {
        const { alg: _omitted, ...rest } = publicJwk;
        return this.#publishAlg ? { ...rest, alg } : rest;
      }),
    };
  }

  /**
   * Signs a token with one of the published keys (or `options.key`). Defaults: `iss` this IdP,
   * `aud` its audience, `sub` `"user-1"`, `iat` now, `exp` in 300 seconds, header `kid` of the key.
   */
  async mintToken(options: MintOptions = {}): Promise<string> {
    const key = options.key ?? this.#keyFor(options.alg);
    const now = Math.floor(Date.now() / 1000);
    const claims = dropUndefined({
      iss: this.issuer,
      aud: this.audience,
      sub: 'user-1',
      iat: now,
      exp: now + (options.expiresIn ?? 300),
      ...options.claims,
    });
    const header = dropUndefined({ alg: key.alg, typ: 'JWT', kid: key.kid, ...options.header });
    return signRaw(header, claims, key.privateKey);
  }

  /**
   * Adds a key and publishes it. With `replace`, the old keys are unpublished (a rotation).
   */
  async addKey(
    alg: SigningAlgorithm = 'RS256',
    options: { replace?: boolean } = {},
  ): Promise<LocalKey> {
    const key = await createKey(alg);
    this.#keys = options.replace === true ? [key] : [...this.#keys, key];
    return key;
  }

  /** Replaces every key with a new one of the same algorithm. */
  async rotateKeys(): Promise<readonly LocalKey[]> {
    this.#keys = await Promise.all(this.#keys.map((key) => createKey(key.alg)));
    return this.#keys;
  }

  /** Unpublishes the key with this `kid`. */
  removeKey(kid: string): void {
    this.#keys = this.#keys.filter((key) => key.kid !== kid);
  }

  /** Makes the discovery and JWKS endpoints misbehave. */
  fail(mode: FailureMode): void {
    this.#failure = { ...mode };
  }

  /** Ends any failure mode. */
  recover(): void {
    this.#failure = undefined;
  }

  /** Stops the server and closes open connections. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** @internal */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', this.url).pathname;
    this.requests.push({ method: request.method ?? 'GET', path });
    response.on('close', () => {
      if (!response.writableFinished) this.abortedRequests += 1;
    });
    if (this.#mintEndpoint && path === '/token') {
      await this.#mintFromRequest(request, response);
      return;
    }
    const document = this.#document(path);
    if (document === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    if (this.#failure !== undefined && (await this.#misbehave(response))) return;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
  }

  #document(path: string): unknown {
    if (path === '/jwks') return this.jwks();
    if (path === '/.well-known/openid-configuration') {
      return {
        issuer: this.issuer,
        jwks_uri: this.jwksUri,
        id_token_signing_alg_values_supported: [...new Set(this.#keys.map((key) => key.alg))],
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
      };
    }
    return undefined;
  }

  async #mintFromRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) =>
      response
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(body));
    if (request.method !== 'POST') {
      reply(405, { error: 'invalid_request', error_description: 'Use POST.' });
      return;
    }
    const form = new URLSearchParams(await readBody(request, MAX_FORM_BYTES));
    const expiresIn = Number(form.get('expires_in') ?? 300);
    if (!Number.isInteger(expiresIn)) {
      reply(400, {
        error: 'invalid_request',
        error_description: '"expires_in" must be a whole number of seconds.',
      });
      return;
    }
    const claims: Record<string, unknown> = {};
    for (const name of ['sub', 'scope', 'aud', 'email', 'name']) {
      const value = form.get(name);
      if (value !== null && value !== '') claims[name] = value;
    }
    const token = await this.mintToken({ claims, expiresIn });
    reply(200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn });
  }

  async #misbehave(response: ServerResponse): Promise<boolean> {
    const failure = this.#failure!;
    if (failure.times !== undefined) {
      failure.times -= 1;
      if (failure.times <= 0) this.#failure = undefined;
    }
    if (failure.delayMs !== undefined)
      await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
    if (failure.hangUp === true) {
      response.socket?.destroy();
      return true;
    }
    if (failure.redirectTo !== undefined) {
      response.writeHead(302, { location: failure.redirectTo }).end();
      return true;
    }
    if (failure.status === undefined && failure.body === undefined) return false;
    response
      .writeHead(failure.status ?? 200, {
        'content-type': failure.contentType ?? 'application/json',
      })
      .end(failure.body ?? '{"error":"failure_injected"}');
    return true;
  }

  #keyFor(alg: SigningAlgorithm | undefined): LocalKey {
    const key =
      alg === undefined ? this.#keys[0] : this.#keys.find((candidate) => candidate.alg === alg);
    if (key === undefined) {
      throw new Error(
        `The local IdP has no ${alg ?? ''} key; pass it in "algorithms" or call addKey().`,
      );
    }
    return key;
  }
}

/**
 * Creates a key pair that the local IdP can publish, or that a test can sign with as an outsider.
 */
export async function createKey(alg: SigningAlgorithm = 'RS256'): Promise<LocalKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig' };
  return { kid, alg, privateKey, publicJwk };
}

/**
 * Signs any header and payload as a compact JWS, with no checks, so tests can build hostile
 * tokens. The header is used exactly as given.
 */
export async function signRaw(
  header: Record<string, unknown>,
  payload: JWTPayload | Record<string, unknown>,
  privateKey: PrivateKey,
): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return new CompactSign(bytes).setProtectedHeader(header as { alg: string }).sign(privateKey);
}

/**
 * Starts a local IdP on a random loopback port.
 *
 * @example
 * ```ts
 * const idp = await startLocalIdp({ algorithms: ['RS256', 'ES256'] });
 * const token = await idp.mintToken({ claims: { scope: 'notes:read' } });
 * // ... configure the verifier with idp.idpConfig(), then:
 * await idp.close();
 * ```
 */
export async function startLocalIdp(options: LocalIdpOptions = {}): Promise<LocalIdp> {
  const keys = await Promise.all((options.algorithms ?? ['RS256']).map((alg) => createKey(alg)));
  let idp: LocalIdp | undefined;
  const server = createServer((request, response) => {
    idp!.handle(request, response).catch(() => response.destroy());
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  idp = new LocalIdp(server, `http://${hostInUrl}:${port}`, keys, options);
  return idp;
}

const MAX_FORM_BYTES = 16 * 1024;

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > maxBytes)
      throw new Error(`The request body is larger than ${maxBytes} bytes.`);
  }
  return text;
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
