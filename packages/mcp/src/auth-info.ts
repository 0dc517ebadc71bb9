import type { AuthenticatedUser, TokenVerifier } from '@remem/auth-core';

/**
 * The MCP SDK's `AuthInfo`, declared here by shape so this package loads neither SDK. It
 * matches `AuthInfo` of `@modelcontextprotocol/sdk` 1.x and of `@modelcontextprotocol/server`
 * 2.x, so either SDK accepts it where it expects its own. It is a type alias, not an interface,
 * so that it is assignable to `Record<string, unknown>`, which FastMCP requires of a session.
 */
export type McpAuthInfo = {
  /** The raw access token. */
  token: string;
  /** The OAuth client: `azp`, else `client_id`, else Entra's `appid`, else the user's subject. */
  clientId: string;
  /** The user's scopes, from `scope`, `scp` and `roles`. */
  scopes: string[];
  /**
   * Expiry in seconds since the epoch: the token's `exp`, or for a token without one (a static
   * token, or a JWT when `verifyExp` is false) {@link STATIC_TOKEN_EXPIRES_IN_SECONDS} after
   * verification, because both SDKs reject an `AuthInfo` without `expiresAt`.
   */
  expiresAt: number;
  /** The RFC 8707 resource: the token audience that matched this server's, when it is a URL. */
  resource?: URL;
  /** The RFC 9728 metadata URL of this resource (an SDK 2.x field), when configured. */
  resourceMetadataUrl?: string;
  /** `user`: the {@link AuthenticatedUser} that the core verifier returned. */
  extra: { user: AuthenticatedUser } & Record<string, unknown>;
};

/**
 * Lifetime given to a token that carries no expiry, in seconds. The SDKs' bearer middleware
 * only checks that `expiresAt` lies ahead, and the value is computed anew on every request, so
 * a static token keeps working. It stays valid until it is removed from the configuration.
 */
export const STATIC_TOKEN_EXPIRES_IN_SECONDS = 3600;

/** Builds the {@link McpAuthInfo} of a verified user. */
export type AuthInfoFactory = (user: AuthenticatedUser) => McpAuthInfo;

/**
 * Creates the function that turns a verified user into {@link McpAuthInfo}. The audiences of
 * each IdP are read once from `verifier.describeIdps()`, when the verifier has it, so `resource`
 * names only an audience that the verifier checked.
 */
export function authInfoFactory(
  verifier: TokenVerifier,
  options: { resourceMetadataUrl?: string | undefined; now?: () => number } = {},
): AuthInfoFactory {
  const audiencesByIdp = checkedAudiences(verifier);
  const now = options.now ?? Date.now;

  return (user) => {
    const claims = user.claims;
    const exp = claims.exp;
    const authInfo: McpAuthInfo = {
      token: user.token,
      clientId: clientIdOf(user),
      scopes: [...user.scopes],
      expiresAt:
        typeof exp === 'number' && Number.isFinite(exp)
          ? exp
          : Math.floor(now() / 1000) + STATIC_TOKEN_EXPIRES_IN_SECONDS,
      extra: { user },
    };
    const resource = resourceOf(claims.aud, audiencesByIdp.get(user.idpName ?? ''));
    if (resource !== undefined) authInfo.resource = resource;
    if (options.resourceMetadataUrl !== undefined) {
      authInfo.resourceMetadataUrl = options.resourceMetadataUrl;
    }
    return authInfo;
  };
}

/**
 * Returns the {@link AuthenticatedUser} stored in an `AuthInfo` by this package, or `undefined`
 * for an `AuthInfo` from elsewhere (or none).
 *
 * @example
 * ```ts
 * server.registerTool('whoami', { description: 'Who am I?' }, async (_args, extra) => {
 *   const user = getUser(extra.authInfo);
 *   return { content: [{ type: 'text', text: user?.subject ?? 'nobody' }] };
 * });
 * ```
 */
export function getUser(
  authInfo: { extra?: Record<string, unknown> } | null | undefined,
): AuthenticatedUser | undefined {
  const user = authInfo?.extra?.user;
  if (typeof user !== 'object' || user === null) return undefined;
  return typeof (user as AuthenticatedUser).hasScopes === 'function'
    ? (user as AuthenticatedUser)
    : undefined;
}

function clientIdOf(user: AuthenticatedUser): string {
  for (const claim of ['azp', 'client_id', 'appid']) {
    const value = user.claims[claim];
    if (typeof value === 'string' && value !== '') return value;
  }
  return user.subject;
}

// Audiences per IdP name, only for IdPs whose audience the verifier checks. An IdP that accepts
// any audience, or a verifier that does not check audiences, reports no resource, so an SDK's
// `expectedResource` check fails closed.
function checkedAudiences(verifier: TokenVerifier): Map<string, readonly string[]> {
  const audiences = new Map<string, readonly string[]>();
  const described = verifier as Partial<{
    config: { verifyAud?: boolean };
    describeIdps(): { name: string; audiences: readonly string[] | null }[];
  }>;
  if (typeof described.describeIdps !== 'function') return audiences;
  if (described.config?.verifyAud === false) return audiences;
  for (const idp of described.describeIdps()) {
    if (idp.audiences !== null) audiences.set(idp.name, idp.audiences);
  }
  return audiences;
}

function resourceOf(aud: unknown, accepted: readonly string[] | undefined): URL | undefined {
  if (accepted === undefined) return undefined;
  const values = Array.isArray(aud) ? aud : [aud];
  for (const value of values) {
    if (typeof value !== 'string' || !accepted.includes(value)) continue;
    if (URL.canParse(value)) return new URL(value);
  }
  return undefined;
}
