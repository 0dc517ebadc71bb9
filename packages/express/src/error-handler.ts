import {
  AuthConfigError,
  type ChallengeOptions,
  checkRenderOptions,
  type ErrorFormat,
  isAuthenticationError,
  type RenderOptions,
  renderAuthError,
} from '@remem/auth-core';
import type { ErrorRequestHandler } from 'express';
import { readState } from './request-state.js';

/** Options of {@link authErrorHandler} and {@link install}. */
export interface AuthErrorHandlerOptions extends ChallengeOptions {
  /**
   * Body shape of failures whose middleware sets no `format`. Default `default`
   * (`{"detail":"..."}`); `openai` sends the OpenAI error object.
   */
  format?: ErrorFormat;
}

const OPTION_NAMES = new Set(['format', 'realm', 'resourceMetadata']);

/**
 * Builds an Express error handler that sends an `AuthenticationError` as the core renders it:
 * its status, `WWW-Authenticate` (and `Retry-After` on a 503), and the body of the `default` or
 * `openai` format. Every other error goes on to the next error handler.
 *
 * The format, realm and resource metadata set on the `rememAuth` middleware that failed win over
 * this handler's options. Mount it after the routes, as Express runs error handlers in order.
 *
 * @throws {AuthConfigError} at creation, for an invalid option.
 *
 * @example
 * ```ts
 * app.post('/v1/chat/completions', rememAuth({ verifier }), chat);
 * app.use(authErrorHandler({ format: 'openai' }));
 * ```
 */
export function authErrorHandler(options: AuthErrorHandlerOptions = {}): ErrorRequestHandler {
  const defaults = resolveHandlerOptions(options);

  return function rememAuthErrorHandler(error, request, response, next) {
    if (!isAuthenticationError(error) || response.headersSent) {
      next(error);
      return;
    }
    const render = { ...defaults, ...readState(request)?.render };
    const { status, headers, body } = renderAuthError(error, render);
    // Node's own `setHeader` and `end` send the core's `content-type` exactly, where Express's
    // `set` and `send` would append a charset and an ETag.
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.status(status).end(body);
  };
}

/**
 * Mounts {@link authErrorHandler} on `app`, as the Python library's `install(app)` does, and
 * returns `app`. Call it after the routes are added.
 *
 * NOTE: Express runs error handlers in the order they are added, so an error handler added before
 * this one receives authentication errors first.
 *
 * @example
 * ```ts
 * const app = express();
 * app.get('/v1/models', rememAuth({ verifier }), listModels);
 * install(app, { format: 'openai' });
 * ```
 */
export function install<App extends { use(handler: ErrorRequestHandler): unknown }>(
  app: App,
  options: AuthErrorHandlerOptions = {},
): App {
  app.use(authErrorHandler(options));
  return app;
}

function resolveHandlerOptions(options: AuthErrorHandlerOptions): RenderOptions {
  const input = options as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of Object.keys(input)) {
    if (!OPTION_NAMES.has(name)) {
      problems.push(
        `Unknown option "${name}" of authErrorHandler(); use "format", "realm" or "resourceMetadata".`,
      );
    }
  }
  checkRenderOptions(input, problems);
  if (problems.length > 0) throw new AuthConfigError(problems);

  const render: RenderOptions = { format: options.format ?? 'default' };
  if (options.realm !== undefined) render.realm = options.realm;
  if (options.resourceMetadata !== undefined) render.resourceMetadata = options.resourceMetadata;
  return render;
}
