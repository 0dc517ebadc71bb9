import { randomUUID } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import type { LocalIdp } from '@remem/auth-testing';
import { describe, expect, it } from 'vitest';
import { type AuthConfig, AuthVerifier } from '../src/index.js';
import { localIdp, recordingLogger, rejection } from './helpers.js';

/** A clock the test moves by hand. */
function manualClock(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

function setup(idp: LocalIdp, config: AuthConfig = {}, clock = manualClock()) {
  const logger = recordingLogger();
  const verifier = new AuthVerifier(
    { idps: [idp.idpConfig() as never], logger, verifyExp: false, ...config },
    { now: clock.now },
  );
  return { verifier, logger, clock };
}

describe('RemoteKeySet caching', () => {
  it('shares one fetch between concurrent misses', async () => {
    const idp = await localIdp();
    idp.fail({ delayMs: 200 });
    const { verifier } = setup(idp);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => idp.mintToken()));
    await Promise.all(tokens.map((token) => verifier.verifyToken(token)));
    expect(idp.jwksRequestCount).toBe(1);
  });

  it('refetches for an unknown kid at most once per cooldown', async () => {
    const idp = await localIdp();
    const { verifier, clock } = setup(idp, { jwks: { cooldownSeconds: 30 } });
    await verifier.verifyToken(await idp.mintToken());
    expect(idp.jwksRequestCount).toBe(1);

    clock.advance(31);
    const flood = await Promise.all(
      Array.from({ length: 200 }, async () =>
        rejection(async () =>
          verifier.verifyToken(await idp.mintToken({ header: { kid: randomUUID() } })),
        ),
      ),
    );
    expect(new Set(flood.map((error) => error.code))).toEqual(new Set(['unknown_key']));
    expect(idp.jwksRequestCount).toBe(2);

    clock.advance(10);
    await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ header: { kid: randomUUID() } })),
    );
    expect(idp.jwksRequestCount).toBe(2);
  });

  it('accepts a genuine new key within one cooldown of a flood', async () => {
    const idp = await localIdp();
    const { verifier, clock } = setup(idp, { jwks: { cooldownSeconds: 30 } });
    await verifier.verifyToken(await idp.mintToken());
    clock.advance(31);
    await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ header: { kid: 'random-1' } })),
    );

    const rotated = await idp.addKey('RS256');
    const token = await idp.mintToken({ key: rotated });
    expect((await rejection(() => verifier.verifyToken(token))).code).toBe('unknown_key');

    clock.advance(30);
    expect((await verifier.verifyToken(token)).subject).toBe('user-1');
    expect(idp.jwksRequestCount).toBe(3);
  });

  it('stops accepting a key that left the JWK Set after a refresh', async () => {
    const idp = await localIdp();
    const { verifier, clock } = setup(idp, { jwks: { refreshSeconds: 60 } });
    const oldToken = await idp.mintToken();
    await verifier.verifyToken(oldToken);
    await idp.rotateKeys();
    clock.advance(61);
    expect((await rejection(() => verifier.verifyToken(oldToken))).code).toBe('unknown_key');
    expect((await verifier.verifyToken(await idp.mintToken())).subject).toBe('user-1');
  });
});

describe('RemoteKeySet fetch limits', () => {
  const failures: [string, Parameters<LocalIdp['fail']>[0], string][] = [
    ['a 500', { status: 500 }, 'returned HTTP 500'],
    ['a 404', { status: 404 }, 'returned HTTP 404'],
    ['a 204', { status: 204, body: '' }, 'returned HTTP 204'],
    [
      'an HTML page',
      { body: '<html>login</html>', contentType: 'text/html' },
      'did not return JSON',
    ],
    ['JSON that is not a JWK Set', { body: '{"keys":"none"}' }, 'is not a JWK Set'],
    ['a JSON array', { body: '[]' }, 'is not a JWK Set'],
    [
      'an oversized body',
      { body: `{"keys":[],"pad":"${'x'.repeat(600_000)}"}` },
      'returned more than 524288 bytes',
    ],
    ['a dropped connection', { hangUp: true }, 'request to'],
  ];
  it.each(failures)('answers %s with idp_unavailable', async (_, mode, reason) => {
    const idp = await localIdp();
    idp.fail(mode);
    const { verifier, logger } = setup(idp);
    const error = await rejection(async () => verifier.verifyToken(await idp.mintToken()));
    expect(error.code).toBe('idp_unavailable');
    expect(error.status).toBe(503);
    expect(String(error.actual)).toContain(reason);
    expect(logger.lines.some((line) => line.fields.event === 'jwks_fetch_failed')).toBe(true);
  });

  // A raw TCP server that resets the first `resets` connections as soon as a request arrives,
  // then serves `body` as a JWK Set.
  async function resettingServer(resets: number, body: string) {
    const connections: Socket[] = [];
    const server = createServer((socket) => {
      connections.push(socket);
      const reset = connections.length <= resets;
      socket.once('data', () => {
        if (reset) {
          socket.resetAndDestroy();
          return;
        }
        socket.end(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      jwksUri: `http://127.0.0.1:${port}/jwks`,
      connections,
      close: () => new Promise((resolve) => server.close(resolve)),
    };
  }

  it('retries once after a connection reset', async () => {
    const idp = await localIdp();
    const server = await resettingServer(1, JSON.stringify(idp.jwks()));
    const verifier = new AuthVerifier({
      idps: [idp.idpConfig({ jwksUri: server.jwksUri }) as never],
      logger: recordingLogger(),
    });
    const user = await verifier.verifyToken(await idp.mintToken());
    expect(user.authMethod).toBe('jwt');
    expect(server.connections).toHaveLength(2);
    await server.close();
  });

  it('gives up after a second connection reset', async () => {
    const idp = await localIdp();
    const server = await resettingServer(5, JSON.stringify(idp.jwks()));
    const verifier = new AuthVerifier({
      idps: [idp.idpConfig({ jwksUri: server.jwksUri }) as never],
      logger: recordingLogger(),
    });
    const error = await rejection(async () => verifier.verifyToken(await idp.mintToken()));
    expect(error.code).toBe('idp_unavailable');
    expect(String(error.actual)).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(server.connections).toHaveLength(2);
    await server.close();
  });

  it('does not follow a redirect', async () => {
    const idp = await localIdp();
    const target = await localIdp();
    idp.fail({ redirectTo: target.jwksUri });
    const { verifier } = setup(idp);
    const error = await rejection(async () => verifier.verifyToken(await idp.mintToken()));
    expect(error.code).toBe('idp_unavailable');
    expect(String(error.actual)).toContain('returned HTTP 302 (redirects are not followed)');
    expect(target.requests).toEqual([]);
  });

  it('aborts a fetch that exceeds the timeout', async () => {
    const idp = await localIdp();
    idp.fail({ delayMs: 3000, status: 200, body: JSON.stringify(idp.jwks()) });
    const { verifier } = setup(idp, { jwks: { timeoutSeconds: 0.3 } });
    const error = await rejection(async () => verifier.verifyToken(await idp.mintToken()));
    expect(error.code).toBe('idp_unavailable');
    expect(String(error.actual)).toContain('timed out after 300 ms');
    await expect.poll(() => idp.abortedRequests).toBe(1);
  });

  it('skips encryption keys and keys for other operations', async () => {
    const idp = await localIdp();
    const { publicJwk } = idp.keys[0]!;
    idp.fail({
      body: JSON.stringify({
        keys: [
          { ...publicJwk, use: 'enc' },
          { ...publicJwk, key_ops: ['encrypt'] },
        ],
      }),
    });
    const { verifier } = setup(idp);
    expect((await rejection(async () => verifier.verifyToken(await idp.mintToken()))).code).toBe(
      'unknown_key',
    );
  });

  it('takes the algorithm of a key without alg from the allow-list', async () => {
    const idp = await localIdp({ algorithms: ['ES256'], publishAlg: false });
    expect(idp.jwks().keys[0]!.alg).toBeUndefined();
    const { verifier } = setup(idp);
    expect((await verifier.verifyToken(await idp.mintToken())).subject).toBe('user-1');
  });
});

describe('RemoteKeySet outages', () => {
  it('retries a failed fetch with backoff', async () => {
    const idp = await localIdp();
    idp.fail({ status: 503, times: 1 });
    const { verifier, clock } = setup(idp);
    const token = await idp.mintToken();
    expect((await rejection(() => verifier.verifyToken(token))).code).toBe('idp_unavailable');
    expect((await rejection(() => verifier.verifyToken(token))).code).toBe('idp_unavailable');
    expect(idp.jwksRequestCount).toBe(1);

    clock.advance(1);
    expect((await verifier.verifyToken(token)).subject).toBe('user-1');
    expect(idp.jwksRequestCount).toBe(2);
  });

  it('serves known keys while stale, then fails', async () => {
    const idp = await localIdp();
    const { verifier, clock, logger } = setup(idp, {
      jwks: { refreshSeconds: 60, staleSeconds: 120 },
    });
    const token = await idp.mintToken();
    await verifier.verifyToken(token);

    idp.fail({ status: 500 });
    clock.advance(61);
    expect((await verifier.verifyToken(token)).subject).toBe('user-1');
    expect(logger.lines.filter((line) => line.fields.event === 'jwks_stale')).toHaveLength(1);

    clock.advance(120);
    const error = await rejection(() => verifier.verifyToken(token));
    expect(error.code).toBe('idp_unavailable');
    expect(error.status).toBe(503);
  });

  it('fails with 503 for a key never seen while the IdP is down', async () => {
    const idp = await localIdp();
    const { verifier, clock } = setup(idp);
    await verifier.verifyToken(await idp.mintToken());
    idp.fail({ status: 500 });
    clock.advance(31);
    const newKey = await idp.addKey('RS256');
    const error = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ key: newKey })),
    );
    expect(error.code).toBe('idp_unavailable');
  });
});

describe('AuthVerifier warmUp', () => {
  it('reports each IdP', async () => {
    const good = await localIdp({ algorithms: ['RS256', 'ES256'] });
    const bad = await localIdp();
    bad.fail({ status: 500 });
    const verifier = new AuthVerifier({
      idps: [good.idpConfig() as never, bad.idpConfig({ name: 'broken' }) as never],
      logger: recordingLogger(),
    });
    expect(await verifier.warmUp()).toEqual([
      { idpName: 'local', ok: true, keys: 2 },
      { idpName: 'broken', ok: false, error: `${bad.jwksUri} returned HTTP 500` },
    ]);
  });
});
