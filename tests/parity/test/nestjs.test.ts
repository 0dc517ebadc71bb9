// The parity table against @remem/auth-nestjs on the Express and the Fastify platform. The error
// format is set per module, so one application serves each format and a Node server routes
// between them.
import 'reflect-metadata';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type INestApplication, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
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

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface Platform {
  name: 'express' | 'fastify';
  /** Builds an application on this platform and returns it with its request handler. */
  start(module: new () => object): Promise<{ app: INestApplication; handler: Handler }>;
}

const PLATFORMS: readonly Platform[] = [
  {
    name: 'express',
    async start(module) {
      const app = await NestFactory.create(module, new ExpressAdapter(), { logger: false });
      await app.init();
      return { app, handler: app.getHttpAdapter().getInstance() as Handler };
    },
  },
  {
    name: 'fastify',
    async start(module) {
      const app = await NestFactory.create(module, new FastifyAdapter(), { logger: false });
      await app.init();
      const instance = app.getHttpAdapter().getInstance() as {
        ready(): Promise<unknown>;
        routing: Handler;
      };
      await instance.ready();
      return { app, handler: (request, response) => instance.routing(request, response) };
    },
  },
];

function parityModule(verifier: AuthVerifier, format: ErrorFormat): new () => object {
  @Module({
    imports: [RememAuthModule.forRoot({ verifier, format, isGlobal: true, globalGuard: true })],
    controllers: [ProtectedController],
  })
  class ParityModule {}
  return ParityModule;
}

async function startNestServer(
  platform: Platform,
  env: Record<string, string>,
): Promise<ParityServer> {
  const verifier = new AuthVerifier({
    ...loadAuthConfig(env, { logger: silentLogger }),
    logger: silentLogger,
  });
  const byDefault = await platform.start(parityModule(verifier, 'default'));
  const openai = await platform.start(parityModule(verifier, 'openai'));
  const server = createServer((request, response) => {
    const target = request.url?.startsWith('/openai/') ? openai : byDefault;
    target.handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([byDefault.app.close(), openai.app.close()]);
    },
  };
}

describe.each(PLATFORMS)('parity table on @remem/auth-nestjs ($name)', (platform) => {
  it.each(parityCases.map((parityCase) => [parityCase.name, parityCase] as const))(
    '%s',
    async (_name, parityCase) => {
      const [result] = await runParityCases({
        startServer: (env) => startNestServer(platform, env),
        cases: [parityCase],
      });
      expect(result?.differences).toEqual([]);
      expect(result?.passed).toBe(true);
    },
  );
});
