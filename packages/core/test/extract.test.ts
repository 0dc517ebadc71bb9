import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type AuthenticationError, extractToken } from '../src/index.js';

function invalidRequest(action: () => unknown): AuthenticationError {
  try {
    action();
  } catch (error) {
    return error as AuthenticationError;
  }
  throw new Error('expected extractToken to throw');
}

describe('extractToken header shapes', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
  const shapes: [string, unknown][] = [
    ['a plain record', { authorization: `Bearer ${token}` }],
    ['a record with a capitalised name', { Authorization: `Bearer ${token}` }],
    ['a Fetch Headers', new Headers({ Authorization: `Bearer ${token}` })],
    ['a Map', new Map([['Authorization', `Bearer ${token}`]])],
    ['a request with headers', { headers: { authorization: `Bearer ${token}` } }],
    [
      'a Fetch Request',
      new Request('http://127.0.0.1/', { headers: { authorization: `Bearer ${token}` } }),
    ],
    ['a single-item array', { authorization: [`Bearer ${token}`] }],
  ];
  it.each(shapes)('reads %s', (_, source) => {
    expect(extractToken(source as never)).toBe(token);
  });
});

describe('extractToken Authorization parsing', () => {
  const cases: [string, string, string | undefined][] = [
    ['the Bearer scheme', 'Bearer abc.def.ghi', 'abc.def.ghi'],
    ['a lower-case scheme', 'bearer abc', 'abc'],
    ['an upper-case scheme', 'BEARER abc', 'abc'],
    ['several spaces', 'Bearer    abc', 'abc'],
    ['trailing spaces', 'Bearer abc  ', 'abc'],
    ['b64token characters', 'Bearer a-b_c.d~e+f/g==', 'a-b_c.d~e+f/g=='],
    ['a Bearer scheme with no token', 'Bearer', undefined],
    ['a Bearer scheme with only spaces', 'Bearer   ', undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz', undefined],
    ['a scheme glued to its token', 'Bearerabc', undefined],
  ];
  it.each(cases)('handles %s', (_, header, expected) => {
    expect(extractToken({ authorization: header })).toBe(expected);
  });

  const invalid: [string, string][] = [
    ['two tokens', 'Bearer abc def'],
    ['a comma-joined duplicate', 'Bearer abc, Bearer def'],
    ['a tab inside', 'Bearer abc\tdef'],
    ['a quote', 'Bearer "abc"'],
    ['non-ASCII', 'Bearer abcé'],
  ];
  it.each(invalid)('rejects %s with 400', (_, header) => {
    const error = invalidRequest(() => extractToken({ authorization: header }));
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.message).not.toContain('abc');
  });
});

describe('extractToken api-key', () => {
  it('falls back to api-key', () => {
    expect(extractToken({ 'api-key': 'sk-test-123' })).toBe('sk-test-123');
    expect(extractToken(new Headers({ 'Api-Key': ' sk-test-123 ' }))).toBe('sk-test-123');
  });

  it('prefers Authorization over api-key', () => {
    expect(extractToken({ authorization: 'Bearer first', 'api-key': 'second' })).toBe('first');
  });

  it('reads api-key when Authorization has another scheme', () => {
    expect(extractToken({ authorization: 'Basic dXNlcg==', 'api-key': 'second' })).toBe('second');
  });

  it('returns undefined without either header', () => {
    expect(extractToken({})).toBeUndefined();
    expect(extractToken(new Headers())).toBeUndefined();
    expect(extractToken({ 'api-key': '' })).toBeUndefined();
  });

  it('rejects a duplicated api-key', () => {
    expect(invalidRequest(() => extractToken({ 'api-key': ['a', 'b'] })).code).toBe(
      'invalid_request',
    );
    expect(
      invalidRequest(() =>
        extractToken(
          new Headers([
            ['api-key', 'a'],
            ['api-key', 'b'],
          ]),
        ),
      ).code,
    ).toBe('invalid_request');
  });
});

describe('extractToken duplicated headers', () => {
  it('rejects a Fetch Headers with two Authorization values', () => {
    const headers = new Headers();
    headers.append('Authorization', 'Bearer first');
    headers.append('Authorization', 'Bearer second');
    expect(headers.get('authorization')).toBe('Bearer first, Bearer second');
    expect(invalidRequest(() => extractToken(headers)).code).toBe('invalid_request');
  });

  it('rejects a record with two spellings of the name', () => {
    const error = invalidRequest(() =>
      extractToken({ authorization: 'Bearer first', Authorization: 'Bearer second' }),
    );
    expect(error.code).toBe('invalid_request');
  });

  it('rejects a Node request that repeated Authorization on the wire', async () => {
    const received = new Promise<IncomingMessage>((resolve) => {
      const server = createServer((request, response) => {
        resolve(request);
        response.end();
        server.close();
      }).listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        const socket = connect(port, '127.0.0.1', () => {
          socket.end(
            'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer first\r\nAuthorization: Bearer second\r\nConnection: close\r\n\r\n',
          );
        });
        socket.on('data', () => socket.destroy());
      });
    });
    const request = await received;
    // Node keeps only the first value in `headers`; the raw list shows both.
    expect(request.headers.authorization).toBe('Bearer first');
    const error = invalidRequest(() => extractToken(request));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe(
      'The Authorization header was sent more than once; send exactly one token.',
    );
  });

  it('reads a Node request, and a header a middleware set after parsing', () => {
    const rawHeaders = ['Host', '127.0.0.1', 'authorization', 'Bearer from-wire'];
    expect(
      extractToken({
        headers: { host: '127.0.0.1', authorization: 'Bearer from-wire' },
        rawHeaders,
      }),
    ).toBe('from-wire');
    // A middleware that turns a cookie into a header writes `headers` only.
    const copied = { headers: { Authorization: 'Bearer from-cookie' }, rawHeaders: ['Host', 'x'] };
    expect(extractToken(copied)).toBe('from-cookie');
  });

  it('ignores a header name inherited from a prototype', () => {
    const inherited = Object.create({ authorization: 'Bearer from-prototype' }) as object;
    expect(extractToken({ headers: inherited, rawHeaders: [] })).toBeUndefined();
    expect(extractToken(inherited as Record<string, unknown>)).toBeUndefined();
  });

  it('rejects two spellings beside rawHeaders', () => {
    const request = {
      headers: { authorization: 'Bearer first', Authorization: 'Bearer second' },
      rawHeaders: ['Authorization', 'Bearer first'],
    };
    expect(invalidRequest(() => extractToken(request)).message).toBe(
      'The Authorization header was sent more than once; send exactly one token.',
    );
  });
});
