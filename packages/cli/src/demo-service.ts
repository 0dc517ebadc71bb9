import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthVerifier,
  authenticateRequest,
  type ErrorFormat,
  isAuthenticationError,
  loadAuthConfig,
  renderAuthError,
} from '@remem/auth-core';

/** A running {@link startDemoService}. */
export interface DemoService {
  url: string;
  close(): Promise<void>;
}

interface Route {
  format: ErrorFormat;
  scopes: readonly string[];
  respond(user: {
    subject: string;
    method: string;
    idp: string | null;
    scopes: readonly string[];
  }): unknown;
}

// `/me` accepts any authenticated caller and `/notes` needs `notes:read`; both respond in the
// default format. `/v1/models` responds like the OpenAI API, so OpenAI clients raise their own
// authentication error.
const ROUTES: Record<string, Route> = {
  '/me': {
    format: 'default',
    scopes: [],
    respond: (user) => user,
  },
  '/notes': {
    format: 'default',
    scopes: ['notes:read'],
    respond: (user) => user,
  },
  '/v1/models': {
    format: 'openai',
    scopes: [],
    respond: () => ({
      object: 'list',
      data: [{ id: 'demo-model', object: 'model', owned_by: 'remem' }],
    }),
  },
};

/**
 * Starts the demo's protected service on a free loopback port. It is configured only by the
 * `REMEM_AUTH_*` variables in `env`, as a deployed service would be.
 *
 * @example
 * ```ts
 * const service = await startDemoService({ REMEM_AUTH_STATIC_TOKENS: 'dev-token-1' });
 * await fetch(`${service.url}/notes`, { headers: { authorization: 'Bearer dev-token-1' } });
 * await service.close();
 * ```
 */
export async function startDemoService(
  env: Record<string, string | undefined>,
): Promise<DemoService> {
  const verifier = new AuthVerifier(loadAuthConfig(env));
  const server = createServer((request, response) => {
    handle(verifier, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"detail":"Internal server error"}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  verifier: AuthVerifier,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const route = ROUTES[new URL(request.url ?? '/', 'http://localhost').pathname];
  if (route === undefined) {
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
    return;
  }
  try {
    const user = await authenticateRequest(verifier, request, { scopes: route.scopes });
    const body = route.respond({
      subject: user?.subject ?? 'anonymous',
      method: user?.authMethod ?? 'none',
      idp: user?.idpName ?? null,
      scopes: user?.scopes ?? [],
    });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  } catch (error) {
    if (!isAuthenticationError(error)) throw error;
    const { status, headers, body } = renderAuthError(error, { format: route.format });
    response.writeHead(status, headers).end(body);
  }
}
