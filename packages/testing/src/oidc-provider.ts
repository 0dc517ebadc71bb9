import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** Options of {@link startOidcProvider}. */
export interface OidcProviderOptions {
  /** Resource (audience) of issued access tokens. Default `"api://remem-demo"`. */
  resource?: string;
  /** Scopes the client may request. Default `["notes:read", "notes:write"]`. */
  scopes?: readonly string[];
  /** Client id for the client-credentials grant. Default `"demo-client"`. */
  clientId?: string;
  /** Client secret. Default `"demo-secret"`. */
  clientSecret?: string;
  /** Access-token lifetime in seconds. Default 300. */
  accessTokenTtl?: number;
}

/** Options of {@link OidcProviderHandle.getAccessToken}. */
export interface AccessTokenRequest {
  /** Space-separated scopes to request; default all the client may have. */
  scope?: string;
  /** Resource to request, which becomes the token's `aud`; default the provider's resource. */
  resource?: string;
}

/** A running `oidc-provider` on loopback. */
export interface OidcProviderHandle {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  resource: string;
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
  /** Obtains an access token (JWT, `typ: at+jwt`) with the client-credentials grant. */
  getAccessToken(request?: AccessTokenRequest): Promise<string>;
  /** The `REMEM_AUTH_IDPS_JSON` value that trusts this provider for its resource. */
  idpsJson(overrides?: Record<string, unknown>): string;
  close(): Promise<void>;
}

/**
 * Starts `oidc-provider`, a certified OpenID provider, on a random loopback port, with one
 * client allowed the client-credentials grant and a resource server that receives JWT access
 * tokens signed with RS256.
 *
 * @example
 * ```ts
 * const provider = await startOidcProvider();
 * const token = await provider.getAccessToken({ scope: 'notes:read' });
 * ```
 */
export async function startOidcProvider(
  options: OidcProviderOptions = {},
): Promise<OidcProviderHandle> {
  const resource = options.resource ?? 'api://remem-demo';
  const scopes = options.scopes ?? ['notes:read', 'notes:write'];
  const clientId = options.clientId ?? 'demo-client';
  const clientSecret = options.clientSecret ?? 'demo-secret';
  const ttl = options.accessTokenTtl ?? 300;

  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: 'oidc-provider-rs256',
    use: 'sig',
    alg: 'RS256',
  };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
    ],
    jwks: { keys: [signingKey] },
    scopes: [...scopes],
    // Set explicitly, otherwise oidc-provider prints a notice on stdout at the first token.
    ttl: { ClientCredentials: ttl },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        // The requested resource indicator becomes the audience, so a test can obtain a token
        // meant for another API from the same provider.
        getResourceServerInfo: (_context, resourceIndicator) => ({
          scope: scopes.join(' '),
          audience: resourceIndicator,
          accessTokenTTL: ttl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  server.on('request', provider.callback());

  const tokenEndpoint = `${issuer}/token`;
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    tokenEndpoint,
    resource,
    clientId,
    clientSecret,
    scopes,
    async getAccessToken(request = {}) {
      const body = new URLSearchParams({
        grant_type: 'client_credentials',
        resource: request.resource ?? resource,
        scope: request.scope ?? scopes.join(' '),
      });
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`)}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      });
      const result = (await response.json()) as {
        access_token?: string;
        error?: string;
        error_description?: string;
      };
      if (!response.ok || typeof result.access_token !== 'string') {
        throw new Error(
          `The OIDC provider refused the token request: HTTP ${response.status} ${result.error ?? ''} ${result.error_description ?? ''}`.trim(),
        );
      }
      return result.access_token;
    },
    idpsJson(overrides = {}) {
      return JSON.stringify([
        {
          name: 'oidc-provider',
          issuer,
          jwks_uri: `${issuer}/jwks`,
          audience: resource,
          algorithms: ['RS256'],
          ...overrides,
        },
      ]);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
