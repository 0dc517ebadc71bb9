import { AuthVerifier, silentLogger } from '@remem/auth-core';
import type { Express } from 'express';
import OpenAI from 'openai';
import { describe, expect, test } from 'vitest';
import { getUser, install, rememAuth } from '../src/index.js';
import { EXPRESS_VERSIONS, STATIC_TOKEN, serve } from './helpers.js';

const verifier = new AuthVerifier({ staticTokens: [STATIC_TOKEN], logger: silentLogger });

// An OpenAI-compatible `GET /v1/models`, enough for `client.models.list()`.
function addModelsRoute(app: Express): void {
  app.get('/v1/models', rememAuth({ verifier }), (request, response) => {
    response.json({
      object: 'list',
      data: [{ id: 'example', object: 'model', created: 0, owned_by: getUser(request)!.subject }],
    });
  });
  install(app, { format: 'openai' });
}

async function listModels(origin: string, apiKey: string) {
  const client = new OpenAI({ apiKey, baseURL: `${origin}/v1`, maxRetries: 0 });
  const models = [];
  for await (const model of client.models.list()) models.push(model);
  return models;
}

describe.each(EXPRESS_VERSIONS)('$name', ({ create }) => {
  test('wrong key raises invalid_api_key', async () => {
    const app = create();
    addModelsRoute(app);
    const { origin } = await serve(app);

    const error = await listModels(origin, 'wrong-key').then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const authError = error as InstanceType<typeof OpenAI.AuthenticationError>;
    expect(authError.status).toBe(401);
    expect(authError.code).toBe('invalid_api_key');
    expect(authError.type).toBe('invalid_request_error');
    expect(authError.message).toBe(
      '401 The token is not a JWT: expected three dot-separated parts, got 1.',
    );
  });

  test('static token lists models', async () => {
    const app = create();
    addModelsRoute(app);
    const { origin } = await serve(app);

    const models = await listModels(origin, STATIC_TOKEN);

    expect(models).toEqual([
      { id: 'example', object: 'model', created: 0, owned_by: 'static-token-1' },
    ]);
  });
});
