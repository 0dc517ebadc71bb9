import { describe, expect, it } from 'vitest';
import { checkAdapterOptions, checkScopes } from '../src/index.js';

function problemsOf(input: Record<string, unknown>, configMayBeFunction = false): string[] {
  const problems: string[] = [];
  checkAdapterOptions(input, problems, { configMayBeFunction });
  return problems;
}

describe('checkAdapterOptions', () => {
  it('accepts valid options', () => {
    const verifier = { authEnabled: true, verifyToken: async () => undefined as never };
    expect(
      problemsOf({ verifier, optional: true, scopes: ['notes:read'], format: 'openai' }),
    ).toEqual([]);
  });

  it('lists every problem in order', () => {
    expect(
      problemsOf({
        config: 'x',
        verifier: {},
        optional: 'yes',
        scopes: ['a b'],
        format: 'xml',
        realm: 1,
      }),
    ).toEqual([
      'Options "config" and "verifier" are both set; give only one.',
      'Option "config" must be an AuthConfig object.',
      'Option "verifier" must have a verifyToken method, like an AuthVerifier.',
      'Option "optional" must be true or false.',
      'Option "scopes" contains "a b", which is not a scope token; give one scope per entry, without spaces or quotes.',
      'Option "format" must be one of "default", "openai".',
      'Option "realm" must be a string.',
    ]);
  });

  it('accepts a config function when allowed', () => {
    const config = () => ({});
    expect(problemsOf({ config })).toEqual(['Option "config" must be an AuthConfig object.']);
    expect(problemsOf({ config }, true)).toEqual([]);
    expect(problemsOf({ config: 5 }, true)).toEqual([
      'Option "config" must be an AuthConfig object or a function of the context.',
    ]);
  });
});

describe('checkScopes', () => {
  it('rejects a value that is not a list', () => {
    const problems: string[] = [];
    checkScopes('notes:read', 'Option "scopes"', problems);
    expect(problems).toEqual([
      'Option "scopes" must be an array of scope strings, such as ["notes:read"].',
    ]);
  });
});
