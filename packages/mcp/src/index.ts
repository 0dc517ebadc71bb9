// The MCP SDKs' bearer middleware
export type { McpAuthInfo } from './auth-info.js';
export { getUser, STATIC_TOKEN_EXPIRES_IN_SECONDS } from './auth-info.js';
// Gates that send failure responses themselves
export type { FastMcpAuthenticate } from './fastmcp.js';
export { fastMcpAuthenticate } from './fastmcp.js';
export type { McpFetchAuth, McpFetchAuthOptions } from './fetch-gate.js';
export { mcpFetchAuth } from './fetch-gate.js';
export type { McpGateOptions } from './gate-options.js';
export type {
  McpBearerAuthMiddleware,
  McpBearerAuthOptions,
  RequestWithAuth,
} from './node-gate.js';
export { mcpBearerAuth } from './node-gate.js';
// RFC 9728 protected-resource metadata
export type {
  ProtectedResourceMetadata,
  ProtectedResourceMetadataHandler,
  ProtectedResourceMetadataOptions,
} from './resource-metadata.js';
export {
  buildProtectedResourceMetadata,
  protectedResourceMetadataFetchHandler,
  protectedResourceMetadataHandler,
  protectedResourceMetadataUrl,
} from './resource-metadata.js';
export type {
  McpSdkErrors,
  SdkErrorFactory,
  SdkV1ErrorClasses,
  SdkV2ErrorClasses,
} from './sdk-errors.js';
export type { McpTokenVerifier, McpTokenVerifierOptions } from './token-verifier.js';
export { createTokenVerifier } from './token-verifier.js';
