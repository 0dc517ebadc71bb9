// The README's first example, made to run and exit by itself: it sets the static token in
// process.env, listens on port 0, checks the responses its README shows for /health, /me and
// /notes, and closes the app.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AuthenticatedUser } from '@remem/auth-core';
import { CurrentUser, Public, RememAuthModule, RequireScopes } from '@remem/auth-nestjs';

process.env.REMEM_AUTH_STATIC_TOKENS = 'dev-token-1';

@Controller()
class NotesController {
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser) {
    return { subject: user.subject };
  }

  @RequireScopes('notes:read')
  @Get('notes')
  notes() {
    return [];
  }
}

@Module({
  // Reads REMEM_AUTH_* from process.env, and guards every route.
  imports: [RememAuthModule.forRoot({ isGlobal: true, globalGuard: true })],
  controllers: [NotesController],
})
class AppModule {}

const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(0, '127.0.0.1');
const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

const health = await fetch(`${url}/health`);
assert.equal(health.status, 200);
assert.deepEqual(await health.json(), { status: 'ok' });

const me = await fetch(`${url}/me`, { headers: { authorization: 'Bearer dev-token-1' } });
assert.equal(me.status, 200);
assert.deepEqual(await me.json(), { subject: 'static-token-1' });

const rejected = await fetch(`${url}/me`);
assert.equal(rejected.status, 401);
assert.equal(rejected.headers.get('www-authenticate'), 'Bearer');
assert.equal(await rejected.text(), '{"detail":"No token provided"}');

const notes = await fetch(`${url}/notes`, { headers: { authorization: 'Bearer dev-token-1' } });
assert.equal(notes.status, 403);

await app.close();
console.log('nestjs example passed');
