import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBinary } from './run-binary.js';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp({ algorithms: ['RS256', 'ES256'] });
});

afterAll(async () => {
  await idp.close();
});

describe('remem-auth doctor', () => {
  it('lists a working IdP and exits 0', async () => {
    idp.recover();
    const env = {
      REMEM_AUTH_IDPS_JSON: idp.idpsJson(),
      REMEM_AUTH_STATIC_TOKENS: 'secret-a,secret-b',
    };

    const { status, stdout, stderr } = await runBinary(['doctor'], { env });

    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('Variables set: REMEM_AUTH_STATIC_TOKENS, REMEM_AUTH_IDPS_JSON');
    expect(stdout).toContain('Static tokens: 2');
    expect(stdout).toContain('  local (oidc)');
    expect(stdout).toContain(`    issuer      ${idp.issuer}`);
    expect(stdout).toContain(`    JWKS URL    ${idp.jwksUri}`);
    expect(stdout).toContain('    audience    api://remem-test');
    expect(stdout).toContain('    algorithms  RS256, ES256');
    expect(stdout).toContain('    keys        2 key(s) fetched');
    expect(stdout).toContain('No problems found.');
    expect(stdout).not.toContain('secret-a');
  });

  it('reports a JWKS that fails with 503', async () => {
    idp.fail({ status: 503 });
    const env = { REMEM_AUTH_IDPS_JSON: idp.idpsJson() };

    const { status, stdout } = await runBinary(['doctor'], { env });
    idp.recover();

    expect(status).toBe(1);
    expect(stdout).toMatch(/ {4}keys {8}FAILED: .*503/);
    expect(stdout).toContain('1 problem(s) found:');
    expect(stdout).toContain('Check that the JWKS URL is right and reachable from this machine.');
  });

  it('reports a JWKS URL where nothing listens', async () => {
    const closed = await startLocalIdp();
    const env = { REMEM_AUTH_IDPS_JSON: closed.idpsJson() };
    await closed.close();

    const { status, stdout } = await runBinary(['doctor'], { env });

    expect(status).toBe(1);
    expect(stdout).toMatch(/keys {8}FAILED: /);
  });

  it.each([
    ['invalid JSON', { REMEM_AUTH_IDPS_JSON: '[{' }, 'REMEM_AUTH_IDPS_JSON is not valid JSON'],
    [
      'a bad boolean',
      { REMEM_AUTH_STATIC_TOKENS: 'a', REMEM_AUTH_VERIFY_EXP: 'maybe' },
      'REMEM_AUTH_VERIFY_EXP',
    ],
    [
      'a misspelt variable alone',
      { REMEM_AUTH_STATIC_TOKEN: 'a' },
      'did you mean REMEM_AUTH_STATIC_TOKENS?',
    ],
  ])('rejects %s', async (_case, env, message) => {
    const { status, stdout, stderr } = await runBinary(['doctor'], { env });

    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('The REMEM_AUTH_* configuration is invalid:');
    expect(stderr).toContain(message);
    expect(stderr).toContain('Fix the variables above, then run "remem-auth doctor" again.');
  });

  it('counts warnings as problems', async () => {
    const env = {
      REMEM_AUTH_STATIC_TOKENS: 'secret-a',
      REMEM_AUTH_VERIFY_AUD: 'false',
      REMEM_AUTH_STATIC_TOKEN: 'b',
    };

    const { status, stdout } = await runBinary(['doctor'], { env });

    expect(status).toBe(1);
    expect(stdout).toContain('Checks: exp on, aud OFF');
    expect(stdout).toContain('2 problem(s) found:');
    expect(stdout).toContain('did you mean REMEM_AUTH_STATIC_TOKENS?');
    expect(stdout).toContain('Token audience is not checked');
  });

  it('reports authentication disabled', async () => {
    const { status, stdout } = await runBinary(['doctor']);

    expect(status).toBe(1);
    expect(stdout).toContain('Variables set: none');
    expect(stdout).toContain('Authentication is disabled');
  });
});
