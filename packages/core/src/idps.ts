import type { JwsAlgorithm } from './algorithms.js';
import { type ClaimCheck, GUID_PATTERN, type ResolvedAuthConfig } from './config.js';
import { AuthenticationError } from './errors.js';
import type { FetchLimits } from './jwks-fetch.js';
import { type KeySetTiming, RemoteKeySet } from './key-set.js';
import type { Logger } from './logger.js';

/** One IdP's rules, ready to verify its tokens. */
export interface TrustedIdp {
  name: string;
  kind: 'azure' | 'google' | 'oidc';
  /** Accepted audiences, or `null` to accept any. */
  audiences: readonly string[] | null;
  algorithms: ReadonlySet<JwsAlgorithm>;
  keys: RemoteKeySet;
  typ: string | undefined;
  requiredClaims: readonly string[];
  requiredScopes: readonly string[];
  claimCheck: ClaimCheck | undefined;
}

/** Shared settings for building each IdP's key set. */
export interface KeySetSettings {
  limits: FetchLimits;
  timing: KeySetTiming;
  logger: Logger;
  now?: () => number;
}

const AZURE_V2_ISSUER = /^https:\/\/login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0$/;
const AZURE_V1_ISSUER = /^https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\/$/;
const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/**
 * Picks the IdP for a token by its exact `iss`. It reads the unverified payload only to route;
 * an unknown issuer is rejected here, before any network call.
 */
export class IssuerRouter {
  readonly idps: readonly TrustedIdp[];
  readonly #byIssuer = new Map<string, TrustedIdp>();
  readonly #azureMultiTenant:
    | { idp: TrustedIdp; allowedTenants: ReadonlySet<string> | null }
    | undefined;

  constructor(config: ResolvedAuthConfig, settings: KeySetSettings) {
    const idps: TrustedIdp[] = [];
    const keySet = (name: string, jwksUri: string | undefined, discoveryIssuer: string) =>
      new RemoteKeySet({
        idpName: name,
        location: jwksUri === undefined ? { discoveryIssuer } : { jwksUri },
        ...settings,
      });

    if (config.azure !== null) {
      const { tenantId, clientId, allowedTenants, jwksUri } = config.azure;
      const idp = standardIdp(
        'azure',
        'azure',
        [clientId, `api://${clientId}`],
        keySet('azure', jwksUri, ''),
      );
      idps.push(idp);
      if (GUID_PATTERN.test(tenantId)) {
        this.#byIssuer.set(`https://login.microsoftonline.com/${tenantId}/v2.0`, idp);
        this.#byIssuer.set(`https://sts.windows.net/${tenantId}/`, idp);
      } else {
        this.#azureMultiTenant = {
          idp,
          allowedTenants: allowedTenants.length > 0 ? new Set(allowedTenants) : null,
        };
      }
    }
    if (config.google !== null) {
      const { clientId, jwksUri } = config.google;
      const idp = standardIdp('google', 'google', [clientId], keySet('google', jwksUri, ''));
      idps.push(idp);
      for (const issuer of GOOGLE_ISSUERS) this.#byIssuer.set(issuer, idp);
    }
    for (const entry of config.idps) {
      const idp: TrustedIdp = {
        name: entry.name,
        kind: 'oidc',
        audiences: entry.audience,
        algorithms: new Set(entry.algorithms),
        keys: keySet(entry.name, entry.jwksUri, entry.issuer),
        typ: entry.typ,
        requiredClaims: entry.requiredClaims,
        requiredScopes: entry.requiredScopes,
        claimCheck: entry.claimCheck,
      };
      idps.push(idp);
      this.#byIssuer.set(entry.issuer, idp);
    }
    this.idps = idps;
  }

  /**
   * Returns the IdP that issued a token with these unverified claims.
   *
   * @throws {AuthenticationError} `untrusted_issuer` for an issuer no IdP claims.
   */
  route(payload: Record<string, unknown>): TrustedIdp {
    const issuer = payload.iss;
    if (typeof issuer !== 'string') {
      throw new AuthenticationError('malformed_token', 'The token has no "iss" claim.');
    }
    const exact = this.#byIssuer.get(issuer);
    if (exact !== undefined) return exact;
    const azure = this.#routeAzureMultiTenant(issuer, payload.tid);
    if (azure !== undefined) return azure;
    throw new AuthenticationError(
      'untrusted_issuer',
      'The token issuer is not trusted by this service.',
      {
        actual: issuer,
      },
    );
  }

  // A multi-tenant Entra token is accepted only when `iss` is the issuer template filled with
  // the token's own GUID `tid`, and that tenant is allowed.
  #routeAzureMultiTenant(issuer: string, tid: unknown): TrustedIdp | undefined {
    if (this.#azureMultiTenant === undefined) return undefined;
    const match = AZURE_V2_ISSUER.exec(issuer) ?? AZURE_V1_ISSUER.exec(issuer);
    if (match === null) return undefined;
    if (typeof tid !== 'string' || !GUID_PATTERN.test(tid) || match[1] !== tid) {
      throw new AuthenticationError(
        'untrusted_issuer',
        'The token issuer does not match its "tid" claim.',
        { idpName: 'azure', actual: issuer },
      );
    }
    const allowed = this.#azureMultiTenant.allowedTenants;
    if (allowed !== null && !allowed.has(tid.toLowerCase())) {
      throw new AuthenticationError(
        'untrusted_issuer',
        'The token tenant is not allowed by this service.',
        {
          idpName: 'azure',
          actual: tid,
        },
      );
    }
    return this.#azureMultiTenant.idp;
  }
}

function standardIdp(
  name: string,
  kind: TrustedIdp['kind'],
  audiences: readonly string[],
  keys: RemoteKeySet,
): TrustedIdp {
  return {
    name,
    kind,
    audiences,
    algorithms: new Set<JwsAlgorithm>(['RS256']),
    keys,
    typ: undefined,
    requiredClaims: [],
    requiredScopes: [],
    claimCheck: undefined,
  };
}
