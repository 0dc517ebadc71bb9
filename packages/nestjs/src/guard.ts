import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import {
  type AuthenticatedUser,
  type AuthRequirement,
  authenticateRequest,
  type HeaderSource,
  isAuthenticationError,
  renderAuthError,
} from '@remem/auth-core';
import { OPTIONAL_KEY, PUBLIC_KEY, SCOPES_KEY } from './decorators.js';
import { RememAuthException } from './exception.js';
import { setResponseHeaders } from './http-response.js';
import type { RememAuthSettings } from './options.js';
import { REMEM_AUTH_SETTINGS } from './tokens.js';
import { storeAuthenticatedUser } from './user.js';

/** A request the guard can authenticate: its headers, and Node's raw header list if known. */
export interface AuthenticatableRequest {
  headers: HeaderSource;
  rawHeaders?: readonly string[];
}

/**
 * Authenticates each request to the routes it guards, and stores the user for `@CurrentUser()`
 * and on `request.rememAuth` (the `userProperty` option). `@Public()`, `@OptionalAuth()` and
 * `@RequireScopes()` on the handler or the controller set what a route requires. A failure
 * throws a {@link RememAuthException} carrying the status, `WWW-Authenticate` header and body
 * that the core renders.
 *
 * Apply it to every route with the module's `globalGuard: true`, or per controller or handler
 * with `@UseGuards(RememAuthGuard)`. Outside HTTP, extend it and override
 * {@link RememAuthGuard.getRequest}.
 *
 * @example
 * ```ts
 * @UseGuards(RememAuthGuard)
 * @Controller('notes')
 * class NotesController {
 *   @RequireScopes('notes:read')
 *   @Get()
 *   list(@CurrentUser() user: AuthenticatedUser) {
 *     return notesOf(user.subject);
 *   }
 * }
 * ```
 */
@Injectable()
export class RememAuthGuard implements CanActivate {
  constructor(@Inject(REMEM_AUTH_SETTINGS) protected readonly settings: RememAuthSettings) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.readFirst<boolean>(context, PUBLIC_KEY) === true) return true;

    const request = this.getRequest(context);
    if (request === undefined) {
      throw new Error(
        `RememAuthGuard cannot read a request in a "${context.getType()}" context; extend the guard and override getRequest(), or mark the handler @Public().`,
      );
    }
    if (isPreflight(request)) return true;

    let user: AuthenticatedUser | undefined;
    try {
      user = await authenticateRequest(this.settings.verifier, tokenSource(request), {
        optional: this.readFirst<boolean>(context, OPTIONAL_KEY) ?? this.settings.optional,
        scopes: this.requiredScopes(context),
      } satisfies AuthRequirement);
    } catch (error) {
      if (!isAuthenticationError(error)) throw error;
      const rendered = renderAuthError(error, this.settings.render);
      if (context.getType() === 'http') {
        setResponseHeaders(context.switchToHttp().getResponse<object>(), rendered.headers);
      }
      throw new RememAuthException(error, rendered);
    }
    storeAuthenticatedUser(request, this.settings.userProperty, user);
    return true;
  }

  /**
   * Returns the request to authenticate in `context`, which must carry the request's headers.
   * The guard stores the user on it. The default reads the HTTP request and returns `undefined`
   * for other context types, which the guard rejects. Override it for GraphQL, WebSockets or
   * microservices.
   *
   * @example
   * ```ts
   * @Injectable()
   * class GqlAuthGuard extends RememAuthGuard {
   *   protected override getRequest(context: ExecutionContext) {
   *     return GqlExecutionContext.create(context).getContext().req;
   *   }
   * }
   * ```
   */
  protected getRequest(context: ExecutionContext): AuthenticatableRequest | undefined {
    if (context.getType() !== 'http') return undefined;
    return context.switchToHttp().getRequest<AuthenticatableRequest>();
  }

  private readFirst<T>(context: ExecutionContext, key: string): T | undefined {
    return (
      (Reflect.getMetadata(key, context.getHandler()) as T | undefined) ??
      (Reflect.getMetadata(key, context.getClass()) as T | undefined)
    );
  }

  private requiredScopes(context: ExecutionContext): readonly string[] {
    const ofClass: readonly string[] = Reflect.getMetadata(SCOPES_KEY, context.getClass()) ?? [];
    const ofHandler: readonly string[] =
      Reflect.getMetadata(SCOPES_KEY, context.getHandler()) ?? [];
    if (ofClass.length === 0 && ofHandler.length === 0) return this.settings.scopes;
    return [...new Set([...this.settings.scopes, ...ofClass, ...ofHandler])];
  }
}

// Fastify's request keeps Node's `rawHeaders` on `request.raw`. The core needs them to reject an
// Authorization header sent twice, because Node's parsed headers keep only the first.
function tokenSource(request: AuthenticatableRequest): AuthenticatableRequest {
  const raw = (request as { raw?: AuthenticatableRequest }).raw;
  if (request.rawHeaders === undefined && raw?.rawHeaders !== undefined) return raw;
  return request;
}

// A browser sends a CORS preflight without credentials, so it must never be challenged.
function isPreflight(request: AuthenticatableRequest): boolean {
  const { method, headers } = request as { method?: string; headers: Record<string, unknown> };
  return method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
}
