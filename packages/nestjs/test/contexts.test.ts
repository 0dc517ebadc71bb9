import { type ArgumentsHost, type ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@remem/auth-core';
import { expect, test } from 'vitest';
import {
  type AuthenticatableRequest,
  getAuthenticatedUser,
  RememAuthException,
  RememAuthExceptionFilter,
  RememAuthGuard,
} from '../src/index.js';
import { resolveSettings } from '../src/options.js';
import { STATIC_TOKEN } from './helpers.js';

const settings = resolveSettings({ config: { staticTokens: [STATIC_TOKEN] } });

/** A guard for a message-based transport whose payload carries the headers. */
@Injectable()
class MessageGuard extends RememAuthGuard {
  protected override getRequest(context: ExecutionContext): AuthenticatableRequest {
    return context.switchToRpc().getData<AuthenticatableRequest>();
  }
}

class Handlers {
  handle() {}
}

// An RPC execution context as Nest's microservice transports build it, for one message.
function rpcContext(data: object): ExecutionContext {
  const args = [data, {}];
  return {
    getType: () => 'rpc',
    getClass: () => Handlers,
    getHandler: () => Handlers.prototype.handle,
    getArgs: () => args,
    getArgByIndex: (index: number) => args[index],
    switchToRpc: () => ({ getData: () => data, getContext: () => args[1] }),
    switchToHttp: () => {
      throw new Error('not an HTTP context');
    },
    switchToWs: () => {
      throw new Error('not a WebSocket context');
    },
  } as unknown as ExecutionContext;
}

test('extended guard authenticates an RPC message', async () => {
  const message = { headers: { authorization: `Bearer ${STATIC_TOKEN}` } };

  const allowed = await new MessageGuard(settings).canActivate(rpcContext(message));

  expect(allowed).toBe(true);
  expect(getAuthenticatedUser(message)?.subject).toBe('static-token-1');
  expect((message as { rememAuth?: AuthenticatedUser }).rememAuth?.authMethod).toBe('static');
});

test('extended guard rejects an RPC message without token', async () => {
  const rejection = new MessageGuard(settings).canActivate(rpcContext({ headers: {} }));

  await expect(rejection).rejects.toBeInstanceOf(RememAuthException);
  await expect(rejection).rejects.toMatchObject({ authError: { code: 'missing_token' } });
});

test('base guard rejects a context it cannot read', async () => {
  const rejection = new RememAuthGuard(settings).canActivate(rpcContext({ headers: {} }));

  await expect(rejection).rejects.toThrow(
    'RememAuthGuard cannot read a request in a "rpc" context; extend the guard and override getRequest(), or mark the handler @Public().',
  );
});

test('exception filter rethrows outside HTTP', async () => {
  const rejection = new MessageGuard(settings).canActivate(rpcContext({ headers: {} }));
  const exception = await rejection.then(
    () => undefined,
    (error: RememAuthException) => error,
  );
  const host = { getType: () => 'rpc' } as unknown as ArgumentsHost;

  expect(() => new RememAuthExceptionFilter().catch(exception!, host)).toThrow(exception);
});
