import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuthenticatedUser, scopesFromClaims } from '../src/index.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.c2lnbmF0dXJl';

function user() {
  return new AuthenticatedUser({
    subject: 'alice',
    email: 'alice@example.test',
    authMethod: 'jwt',
    idpName: 'local',
    claims: { sub: 'alice', scp: 'notes:read notes:write', roles: ['admin', 'notes:read'] },
    token: TOKEN,
  });
}

describe('AuthenticatedUser token privacy', () => {
  it('keeps the token readable', () => {
    expect(user().token).toBe(TOKEN);
  });

  it.each([
    ['JSON.stringify', () => JSON.stringify(user())],
    ['util.inspect', () => inspect(user(), { showHidden: true, depth: 10, getters: true })],
    ['String()', () => String(user())],
    ['a spread copy', () => JSON.stringify({ ...user() })],
    ['Object.entries', () => JSON.stringify(Object.entries(user()))],
  ])('hides the token from %s', (_, render) => {
    expect(render()).not.toContain(TOKEN);
  });

  it('serialises every other field', () => {
    expect(JSON.parse(JSON.stringify(user()))).toEqual({
      subject: 'alice',
      email: 'alice@example.test',
      name: null,
      authMethod: 'jwt',
      idpName: 'local',
      claims: { sub: 'alice', scp: 'notes:read notes:write', roles: ['admin', 'notes:read'] },
      scopes: ['notes:read', 'notes:write', 'admin'],
    });
  });
});

describe('AuthenticatedUser scopes', () => {
  it('merges scope, scp and roles without duplicates', () => {
    expect(scopesFromClaims({ scope: 'a b  c', scp: ['c', 'd'], roles: ['e', 5, ''] })).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });

  it('checks all of and any of', () => {
    const alice = user();
    expect(alice.hasScopes('notes:read', 'admin')).toBe(true);
    expect(alice.hasScopes('notes:read', 'billing')).toBe(false);
    expect(alice.hasAnyScope('billing', 'admin')).toBe(true);
    expect(alice.hasAnyScope('billing')).toBe(false);
    expect(alice.missingScopes(['billing', 'admin'])).toEqual(['billing']);
  });

  it('freezes claims and scopes', () => {
    const alice = user();
    expect(Object.isFrozen(alice.claims)).toBe(true);
    expect(Object.isFrozen(alice.scopes)).toBe(true);
  });
});
