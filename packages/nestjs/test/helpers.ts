import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import {
  Controller,
  Get,
  type INestApplication,
  Logger,
  type ModuleMetadata,
  Post,
  Req,
} from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { type AuthenticatedUser, AuthVerifier, silentLogger } from '@remem/auth-core';
import type { LocalIdp } from '@remem/auth-testing';
import { afterEach } from 'vitest';
import { CurrentUser, OptionalAuth, Public, RequireScopes } from '../src/index.js';

export const STATIC_TOKEN = 'static-token-for-tests';

// Nest logs every module and route it sets up; the tests assert on responses instead.
Logger.overrideLogger(false);

/** The two HTTP platforms, so that every table of cases runs on both. */
export const PLATFORMS: readonly Platform[] = [
  { platform: 'express', adapter: () => new ExpressAdapter() },
  { platform: 'fastify', adapter: () => new FastifyAdapter() },
];

/** An HTTP platform: its name and a factory of its Nest adapter. */
export interface Platform {
  platform: 'express' | 'fastify';
  adapter: () => AbstractHttpAdapter;
}

/** Returns a verifier that trusts `idp` and {@link STATIC_TOKEN}, and logs nothing. */
export function verifierFor(idp: LocalIdp): AuthVerifier {
  return new AuthVerifier({
    idps: [idp.idpConfig() as never],
    staticTokens: [STATIC_TOKEN],
    logger: silentLogger,
  });
}

/** Returns the parts of a user that tests compare, or `{ user: null }`. */
export function describeUser(user: AuthenticatedUser | undefined): Record<string, unknown> {
  if (user === undefined) return { user: null };
  return { subject: user.subject, authMethod: user.authMethod };
}

/**
 * Routes for every case: `GET /me`, `GET /public`, `GET /optional`, `GET /notes` (scope
 * `notes:read`), `POST /notes` (scope `notes:write`), `GET /subject` and `GET /property`.
 */
@Controller()
export class NotesController {
  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser | undefined) {
    return describeUser(user);
  }

  @Public()
  @Get('public')
  open(@CurrentUser() user: AuthenticatedUser | undefined) {
    return { public: true, user: user ?? null };
  }

  @OptionalAuth()
  @Get('optional')
  optional(@CurrentUser() user: AuthenticatedUser | undefined) {
    return describeUser(user);
  }

  @RequireScopes('notes:read')
  @Get('notes')
  list() {
    return [];
  }

  @RequireScopes('notes:write')
  @Post('notes')
  create() {
    return { created: true };
  }

  @Get('subject')
  subject(@CurrentUser('subject') subject: string | undefined) {
    return { subject };
  }

  @Get('property')
  property(@Req() request: { rememAuth?: AuthenticatedUser; caller?: AuthenticatedUser }) {
    return { rememAuth: request.rememAuth?.subject, caller: request.caller?.subject };
  }
}

/** A listening application and the origin to call it on. */
export interface Served {
  app: INestApplication;
  origin: string;
}

const apps: INestApplication[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** Like {@link start}, but the application is closed after the current test. */
export async function serve(platform: Platform, metadata: ModuleMetadata): Promise<Served> {
  const served = await start(platform, metadata);
  apps.push(served.app);
  return served;
}

/**
 * Compiles a testing module from `metadata` and listens on a random loopback port. The caller
 * closes the application.
 */
export async function start(platform: Platform, metadata: ModuleMetadata): Promise<Served> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication(platform.adapter(), { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, origin: `http://127.0.0.1:${port}` };
}

/** Returns the default error body for a message, as the core renders it. */
export function defaultBody(_status: number, message: string): string {
  return JSON.stringify({ detail: message });
}

/** Returns the OpenAI error body for a message and status, as the core renders it. */
export function openAiBody(status: number, message: string): string {
  const mapping: Record<number, [string, string]> = {
    400: ['invalid_request_error', 'invalid_request'],
    401: ['invalid_request_error', 'invalid_api_key'],
    403: ['permission_error', 'insufficient_scope'],
    503: ['server_error', 'service_unavailable'],
  };
  const [type, code] = mapping[status]!;
  return JSON.stringify({ error: { message, type, param: null, code } });
}
