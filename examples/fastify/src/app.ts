import type { TokenVerifier } from '@remem/auth-core';
import { rememAuth } from '@remem/auth-fastify';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

const NOTES = [{ id: 1, text: 'Buy milk' }];

/**
 * Builds the example service. One verifier, and so one key cache, serves two contexts:
 * - `/health` is public.
 * - `/me` and `/notes` send failures as `{"detail":...}`, and `/notes` requires `notes:read`.
 * - `/v1/chat/completions` sends failures in the OpenAI error format, so OpenAI clients raise
 *   their own `AuthenticationError`.
 */
export async function buildApp(
  verifier: TokenVerifier,
  options: FastifyServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify(options);

  app.get('/health', async () => ({ status: 'ok' }));

  await app.register(async (api) => {
    await api.register(rememAuth, { verifier, global: true });

    api.get('/me', async (request) => {
      const user = request.rememAuth!;
      return { subject: user.subject, email: user.email, authMethod: user.authMethod };
    });
    api.get('/notes', { config: { rememAuth: { scopes: ['notes:read'] } } }, async () => NOTES);
  });

  await app.register(async (openai) => {
    await openai.register(rememAuth, { verifier, global: true, format: 'openai' });

    openai.post('/v1/chat/completions', async (request) => ({
      id: 'chatcmpl-example',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'example',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', content: `Hello, ${request.rememAuth!.subject}.` },
        },
      ],
    }));
  });

  return app;
}
