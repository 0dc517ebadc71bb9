import { AuthVerifier, loadAuthConfig, type TokenVerifier } from '@remem/auth-core';
import { getUser, install, rememAuth, requireScopes, requireUser } from '@remem/auth-express';
import express, { type Express } from 'express';

const NOTES = [{ id: 1, text: 'Buy milk' }];

/**
 * Builds the example service. One verifier, and so one key cache, serves every route:
 * - `GET /health` is public.
 * - `GET /me` needs any valid token, `GET /notes` a token with scope `notes:read` and
 *   `POST /notes` one with `notes:write`. Their failures are `{"detail":...}`.
 * - `GET /hello` works with or without a token.
 * - `GET /v1/models` and `POST /v1/chat/completions` send failures in the OpenAI error format,
 *   so OpenAI clients raise their own `AuthenticationError`.
 */
export function createApp(verifier: TokenVerifier): Express {
  const app = express();

  app.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });

  app.get('/me', rememAuth({ verifier }), (request, response) => {
    const user = requireUser(request);
    response.json({ subject: user.subject, email: user.email, authMethod: user.authMethod });
  });
  app.get('/notes', rememAuth({ verifier, scopes: ['notes:read'] }), (_request, response) => {
    response.json(NOTES);
  });
  app.post(
    '/notes',
    rememAuth({ verifier }),
    requireScopes('notes:write'),
    (_request, response) => {
      response.status(201).json({ id: NOTES.length + 1 });
    },
  );
  app.get('/hello', rememAuth({ verifier, optional: true }), (request, response) => {
    response.json({ message: `Hello, ${getUser(request)?.subject ?? 'guest'}.` });
  });

  app.use('/v1', openAiRouter(verifier));
  // Renders every authentication failure above; the /v1 middleware sets the OpenAI format.
  install(app);
  return app;
}

/**
 * Builds the service from the `REMEM_AUTH_*` variables in `env`, as every service of the fleet
 * is configured.
 *
 * @throws {AuthConfigError} for a missing or broken configuration.
 */
export function createAppFromEnv(env: Record<string, string | undefined> = process.env) {
  const verifier = new AuthVerifier(loadAuthConfig(env));
  return { app: createApp(verifier), verifier };
}

function openAiRouter(verifier: TokenVerifier): express.Router {
  const router = express.Router();
  // Authentication runs before the body parser, so an unauthenticated body is never parsed.
  router.use(rememAuth({ verifier, format: 'openai' }), express.json());

  router.get('/models', (request, response) => {
    response.json({
      object: 'list',
      data: [
        { id: 'example', object: 'model', created: 0, owned_by: requireUser(request).subject },
      ],
    });
  });
  router.post('/chat/completions', (request, response) => {
    response.json({
      id: 'chatcmpl-example',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: String(request.body?.model ?? 'example'),
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', content: `Hello, ${requireUser(request).subject}.` },
        },
      ],
    });
  });
  return router;
}
