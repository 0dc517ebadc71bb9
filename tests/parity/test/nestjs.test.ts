// The parity table against @remem/auth-nestjs on the Express platform. The error format is set
// per module, so one application serves each format and a Node server routes between them.
import 'reflect-metadata';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type INestApplication, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import {
  type AuthenticatedUser,
  AuthVerifier,
  type ErrorFormat,
  loadAuthConfig,
  silentLogger,
} from '@remem/auth-core';
import { CurrentUser, RememAuthModule } from '@remem/auth-nestjs';
import { type ParityServer, parityCases, runParityCases } from '@remem/auth-testing';
import { describe, expect, it } from 'vitest';

Logger.overrideLogger(false);

@Controller()
class ProtectedController {
  @Get(['protected', 'openai/protected'])
  describe(@CurrentUser() user: AuthenticatedUser | undefined) {
    return { subject: user?.subject, authMethod: user?.authMethod };
  }
}

async function startNestApp(
  verifier: AuthVerifier,
  format: ErrorFormat,
): Promise<INestApplication> {
  @Module({
    imports: [RememAuthModule.forRoot({ verifier, format, isGlobal: true, globalGuard: true })],
    controllers: [ProtectedController],
  })
  class ParityModule {}

  const app = await NestFactory.create(ParityModule, new ExpressAdapter(), { logger: false });
  await app.init();
  return app;
}

async function startNestServer(env: Record<string, string>): Promise<ParityServer> {
  const verifier = new AuthVerifier({
    ...loadAuthConfig(env, { logger: silentLogger }),
    logger: silentLogger,
  });
  const apps = [await startNestApp(verifier, 'default'), await startNestApp(verifier, 'openai')];
  const [defaultHandler, openaiHandler] = apps.map(
    (app) =>
      app.getHttpAdapter().getInstance() as (
        request: IncomingMessage,
        response: ServerResponse,
      ) => void,
  );
  const server = createServer((request, response) => {
    const handler = request.url?.startsWith('/openai/') ? openaiHandler : defaultHandler;
    handler?.(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await Promise.all(apps.map((app) => app.close()));
    },
  };
}

describe('parity table on @remem/auth-nestjs', () => {
  it.each(parityCases.map((parityCase) => [parityCase.name, parityCase] as const))(
    '%s',
    async (_name, parityCase) => {
      const [result] = await runParityCases({ startServer: startNestServer, cases: [parityCase] });
      expect(result?.differences).toEqual([]);
      expect(result?.passed).toBe(true);
    },
  );
});
