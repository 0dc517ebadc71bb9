import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthConfigError } from '@remem/auth-core';

/** Options of {@link buildProtectedResourceMetadata}. */
export interface ProtectedResourceMetadataOptions {
  /**
   * This MCP server's resource identifier: the URL clients connect to, such as
   * `https://mcp.example.com/mcp`. `http` is accepted only for loopback hosts.
   */
  resource: string | URL;
  /** Issuer identifiers of the authorization servers that issue tokens for this resource. */
  authorizationServers: readonly string[];
  /** Scopes a client may request for this resource. */
  scopesSupported?: readonly string[];
  /** A human-readable name of this resource. */
  resourceName?: string;
  /** URL of documentation for developers. */
  resourceDocumentation?: string;
  /** Further RFC 9728 members, such as `jwks_uri`; they cannot replace the members above. */
  additionalMetadata?: Record<string, unknown>;
}

/** An RFC 9728 protected-resource metadata document. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
  scopes_supported?: string[];
  resource_name?: string;
  resource_documentation?: string;
  [member: string]: unknown;
}

const WELL_KNOWN = '/.well-known/oauth-protected-resource';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Builds the RFC 9728 protected-resource metadata document of an MCP server, which lists for an
 * MCP client the authorization servers that issue its tokens. Bearer tokens are accepted in the
 * `Authorization` header only, so `bearer_methods_supported` is `["header"]`.
 *
 * @throws {AuthConfigError} for a resource or authorization server that is not an absolute
 * `https` URL (or `http` on loopback), or a resource with a fragment.
 *
 * @example
 * ```ts
 * const metadata = buildProtectedResourceMetadata({
 *   resource: 'https://mcp.example.com/mcp',
 *   authorizationServers: ['https://login.example.com'],
 *   scopesSupported: ['mcp:tools'],
 * });
 * ```
 */
export function buildProtectedResourceMetadata(
  options: ProtectedResourceMetadataOptions,
): ProtectedResourceMetadata {
  const problems: string[] = [];
  const resource = checkUrl(options.resource, 'resource', problems);
  if (resource?.hash !== '' && resource !== undefined) {
    problems.push('Option "resource" must not contain a fragment (#...).');
  }
  const servers = options.authorizationServers;
  if (!Array.isArray(servers) || servers.length === 0) {
    problems.push(
      'Option "authorizationServers" must list at least one issuer URL, such as ["https://login.example.com"].',
    );
  } else {
    for (const server of servers) checkUrl(server, 'authorizationServers', problems);
  }
  if (problems.length > 0 || resource === undefined) throw new AuthConfigError(problems);

  const document: ProtectedResourceMetadata = {
    ...options.additionalMetadata,
    resource: String(options.resource),
    authorization_servers: [...servers],
    bearer_methods_supported: ['header'],
  };
  if (options.scopesSupported !== undefined) {
    document.scopes_supported = [...options.scopesSupported];
  }
  if (options.resourceName !== undefined) document.resource_name = options.resourceName;
  if (options.resourceDocumentation !== undefined) {
    document.resource_documentation = options.resourceDocumentation;
  }
  return document;
}

/**
 * Returns the URL of a resource's metadata document, as RFC 9728 section 3.1 forms it: the
 * well-known path goes between the host and the resource's path
 * (`https://mcp.example.com/mcp` gives
 * `https://mcp.example.com/.well-known/oauth-protected-resource/mcp`). Use it as the
 * `resourceMetadata` of a gate or the `resourceMetadataUrl` of the SDK's `requireBearerAuth`.
 *
 * @example
 * ```ts
 * const resourceMetadata = protectedResourceMetadataUrl('https://mcp.example.com/mcp');
 * ```
 */
export function protectedResourceMetadataUrl(resource: string | URL): string {
  const url = new URL(String(resource));
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${WELL_KNOWN}${path}${url.search}`;
}

// The document is served at both well-known URLs: the path-suffixed one of RFC 9728 and the
// root one, which MCP clients (spec 2025-06-18 and later) try when the first is not found.
interface MetadataRoute {
  paths: ReadonlySet<string>;
  body: string;
}

function metadataRoute(metadata: ProtectedResourceMetadata): MetadataRoute {
  const metadataPath = new URL(protectedResourceMetadataUrl(metadata.resource)).pathname;
  return { paths: new Set([metadataPath, WELL_KNOWN]), body: JSON.stringify(metadata) };
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-max-age': '86400',
};

interface MetadataAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function answer(
  route: MetadataRoute,
  method: string,
  requestedHeaders: string | null,
): MetadataAnswer {
  if (method === 'OPTIONS') {
    const headers: Record<string, string> = { ...CORS_HEADERS };
    if (requestedHeaders !== null) headers['access-control-allow-headers'] = requestedHeaders;
    return { status: 204, headers, body: '' };
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      status: 405,
      headers: {
        ...CORS_HEADERS,
        allow: 'GET, HEAD, OPTIONS',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ detail: `Method ${method} is not allowed; use GET.` }),
    };
  }
  return {
    status: 200,
    headers: {
      ...CORS_HEADERS,
      'content-type': 'application/json',
      'cache-control': 'public, max-age=3600',
    },
    body: method === 'HEAD' ? '' : route.body,
  };
}

/** A Node or Express handler; `next` runs for every other path (404 when it is absent). */
export type ProtectedResourceMetadataHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * Builds a Node and Express handler that serves the metadata document at
 * `/.well-known/oauth-protected-resource` and at the path-suffixed URL of the resource, with
 * permissive CORS. Mount it at the application root, before any authentication.
 *
 * @throws {AuthConfigError} as {@link buildProtectedResourceMetadata} does.
 *
 * @example
 * ```ts
 * app.use(protectedResourceMetadataHandler({
 *   resource: 'https://mcp.example.com/mcp',
 *   authorizationServers: ['https://login.example.com'],
 * }));
 * ```
 */
export function protectedResourceMetadataHandler(
  options: ProtectedResourceMetadataOptions,
): ProtectedResourceMetadataHandler {
  const route = metadataRoute(buildProtectedResourceMetadata(options));

  return function serveProtectedResourceMetadata(request, response, next) {
    // Express mounts rewrite `url`; `originalUrl` keeps the path the client sent.
    const url = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    if (!route.paths.has(path)) {
      if (next !== undefined) next();
      else
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"detail":"Not Found"}');
      return;
    }
    const requested = request.headers['access-control-request-headers'];
    const { status, headers, body } = answer(
      route,
      (request.method ?? 'GET').toUpperCase(),
      typeof requested === 'string' ? requested : null,
    );
    response.writeHead(status, headers).end(body);
  };
}

/**
 * Builds a Fetch handler for the metadata document: it returns the `Response` for a request to
 * either well-known URL, and `undefined` for any other path.
 *
 * @throws {AuthConfigError} as {@link buildProtectedResourceMetadata} does.
 *
 * @example
 * ```ts
 * const metadata = protectedResourceMetadataFetchHandler({ resource, authorizationServers });
 * export default {
 *   fetch: async (request: Request) => metadata(request) ?? handleMcp(request),
 * };
 * ```
 */
export function protectedResourceMetadataFetchHandler(
  options: ProtectedResourceMetadataOptions,
): (request: Request) => Response | undefined {
  const route = metadataRoute(buildProtectedResourceMetadata(options));

  return (request) => {
    if (!route.paths.has(new URL(request.url).pathname)) return undefined;
    const { status, headers, body } = answer(
      route,
      request.method.toUpperCase(),
      request.headers.get('access-control-request-headers'),
    );
    return new Response(status === 204 || body === '' ? null : body, { status, headers });
  };
}

function checkUrl(value: unknown, name: string, problems: string[]): URL | undefined {
  const text = typeof value === 'string' || value instanceof URL ? String(value) : undefined;
  if (text === undefined || !URL.canParse(text)) {
    problems.push(
      `Option "${name}" must contain absolute URLs; got ${JSON.stringify(String(value))}.`,
    );
    return undefined;
  }
  const url = new URL(text);
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(
      `Option "${name}" contains ${JSON.stringify(text)}; use an https URL (http is accepted only for 127.0.0.1, [::1] and localhost).`,
    );
    return undefined;
  }
  return url;
}
