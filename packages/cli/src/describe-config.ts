import type { AuthVerifier, ResolvedAuthConfig } from '@remem/auth-core';

/** One trusted IdP as `remem-auth doctor` lists it. */
export interface IdpSummary {
  name: string;
  kind: 'azure' | 'google' | 'oidc';
  issuers: readonly string[];
  jwksUri: string;
  audiences: readonly string[] | null;
  algorithms: readonly string[];
}

const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Lists the IdPs a verifier trusts, with the issuers it accepts and the JWKS URL it fetches.
 * Audiences and algorithms come from the verifier itself.
 */
export function summarizeIdps(verifier: AuthVerifier): IdpSummary[] {
  return verifier.describeIdps().map((idp) => ({
    name: idp.name,
    kind: idp.kind,
    ...locate(verifier.config, idp.kind, idp.name),
    audiences: idp.audiences,
    algorithms: idp.algorithms,
  }));
}

function locate(
  config: ResolvedAuthConfig,
  kind: IdpSummary['kind'],
  name: string,
): { issuers: readonly string[]; jwksUri: string } {
  if (kind === 'azure' && config.azure !== null) {
    const { tenantId, allowedTenants, jwksUri } = config.azure;
    if (GUID.test(tenantId)) {
      return {
        issuers: [
          `https://login.microsoftonline.com/${tenantId}/v2.0`,
          `https://sts.windows.net/${tenantId}/`,
        ],
        jwksUri,
      };
    }
    const tenants = allowedTenants.length > 0 ? allowedTenants.join(', ') : 'any tenant';
    return {
      issuers: [
        `https://login.microsoftonline.com/{tid}/v2.0 and https://sts.windows.net/{tid}/, where {tid} is the token's "tid" (${tenants})`,
      ],
      jwksUri,
    };
  }
  if (kind === 'google' && config.google !== null) {
    return { issuers: GOOGLE_ISSUERS, jwksUri: config.google.jwksUri };
  }
  const idp = config.idps.find((candidate) => candidate.name === name);
  if (idp === undefined) return { issuers: [], jwksUri: '(unknown)' };
  const discovery = `${idp.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  return { issuers: [idp.issuer], jwksUri: idp.jwksUri ?? `read from ${discovery}` };
}

/** Formats a diagnostic value (`expected`, `actual`) of an error on one line. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(not given)';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => formatValue(item)).join(', ');
  return JSON.stringify(value);
}
