import { createServer, type Server } from 'node:http';
import { requireBearerAuth as expressRequireBearerAuth } from '@modelcontextprotocol/express';
import {
  requireBearerAuth as fetchRequireBearerAuth,
  OAuthError,
} from '@modelcontextprotocol/server';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTokenVerifier, getUser, type McpAuthInfo } from '../src/index.js';
import { AUDIENCE, close, createVerifier, listen, STATIC_TOKEN } from './helpers.js';

const METADATA_URL = 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp';

let idp: LocalIdp;
let server: Server;
let url: string;
let fetchGate: ReturnType<typeof fetchRequireBearerAuth>;

beforeAll(async () => {
  idp = await startLocalIdp();
  const verifier = createTokenVerifier({ verifier: createVerifier(idp), errors: { OAuthError } });
  const options = {
    verifier,
    requiredScopes: ['mcp:tools'],
    resourceMetadataUrl: METADATA_URL,
    expectedResource: new URL(AUDIENCE),
  };
  fetchGate = fetchRequireBearerAuth(options);

  const app = express();
  app.get('/whoami', expressRequireBearerAuth(options), (request, response) => {
    const { auth } = request as { auth?: McpAuthInfo };
    response.json({ subject: getUser(auth)?.subject, clientId: auth?.clientId });
  });
  server = createServer(app);
  url = `${await listen(server)}/whoami`;
});

afterAll(async () => {
  await close(server);
  await idp.close();
});

type Call = (token: string | undefined) => Promise<{ status: number; challenge: string | null }>;

const HOSTS: { name: string; call: Call; subjectOf(token: string): Promise<unknown> }[] = [
  {
    name: '@modelcontextprotocol/express',
    async call(token) {
      const response = await fetch(url, { headers: authorization(token) });
      return { status: response.status, challenge: response.headers.get('www-authenticate') };
    },
    async subjectOf(token) {
      const response = await fetch(url, { headers: authorization(token) });
      return ((await response.json()) as { subject: string }).subject;
    },
  },
  {
    name: '@modelcontextprotocol/server fetch gate',
    async call(token) {
      const result = await fetchGate(new Request(url, { headers: authorization(token) }));
      if (!(result instanceof Response)) return { status: 200, challenge: null };
      return { status: result.status, challenge: result.headers.get('www-authenticate') };
    },
    async subjectOf(token) {
      const result = await fetchGate(new Request(url, { headers: authorization(token) }));
      return result instanceof Response ? result.status : getUser(result)?.subject;
    },
  },
];

function authorization(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

describe.each(HOSTS)('SDK 2.x $name', ({ call, subjectOf }) => {
  test('JWT gets subject', async () => {
    const token = await idp.mintToken({
      claims: { sub: 'alice', aud: AUDIENCE, scope: 'mcp:tools', azp: 'notes-app' },
    });

    expect(await subjectOf(token)).toBe('alice');
  });

  test('static token fails expectedResource', async () => {
    // A static token has no audience, so it names no resource and `expectedResource` fails
    // closed.
    expect(await call(STATIC_TOKEN)).toEqual({
      status: 401,
      challenge:
        'Bearer error="invalid_token", error_description="Token was not issued for this resource", ' +
        `scope="mcp:tools", resource_metadata="${METADATA_URL}"`,
    });
  });

  test('no token gets 401 challenge', async () => {
    expect(await call(undefined)).toEqual({
      status: 401,
      challenge:
        'Bearer error="invalid_token", error_description="Missing Authorization header", ' +
        `scope="mcp:tools", resource_metadata="${METADATA_URL}"`,
    });
  });

  test('expired JWT gets 401', async () => {
    const token = await idp.mintToken({
      claims: { sub: 'alice', aud: AUDIENCE, scope: 'mcp:tools' },
      expiresIn: -3600,
    });

    const result = await call(token);

    expect(result.status).toBe(401);
    expect(result.challenge).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"/);
  });

  test('JWT without scope gets 403', async () => {
    const token = await idp.mintToken({
      claims: { sub: 'alice', aud: AUDIENCE, scope: 'notes:read' },
    });

    expect(await call(token)).toEqual({
      status: 403,
      challenge:
        'Bearer error="insufficient_scope", error_description="Insufficient scope", ' +
        `scope="mcp:tools", resource_metadata="${METADATA_URL}"`,
    });
  });
});
