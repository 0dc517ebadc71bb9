import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBinary } from './run-binary.js';

let idp: LocalIdp;
let env: Record<string, string>;

beforeAll(async () => {
  idp = await startLocalIdp();
  env = { REMEM_AUTH_IDPS_JSON: idp.idpsJson(), REMEM_AUTH_CLOCK_TOLERANCE_SECONDS: '0' };
});

afterAll(async () => {
  await idp.close();
});

describe('remem-auth verify', () => {
  it('accepts a token from the argument', async () => {
    const token = await idp.mintToken({
      claims: { sub: 'alice', email: 'alice@example.com', scope: 'notes:read notes:write' },
    });

    const { status, stdout, stderr } = await runBinary(['verify', token], { env });

    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('Token accepted.');
    expect(stdout).toContain('  method   jwt');
    expect(stdout).toContain('  idp      local');
    expect(stdout).toContain('  subject  alice');
    expect(stdout).toContain('  email    alice@example.com');
    expect(stdout).toContain('  scopes   notes:read notes:write');
    expect(stdout).toMatch(/ {2}expires {2}\d{4}-.*Z \(in \d+ s\)/);
    expect(stdout).not.toContain(token);
  });

  it('reads the token from stdin without "Bearer "', async () => {
    const token = await idp.mintToken({ claims: { sub: 'bob' } });

    const { status, stdout } = await runBinary(['verify'], { env, stdin: `Bearer ${token}\n` });

    expect(status).toBe(0);
    expect(stdout).toContain('  subject  bob');
    expect(stdout).not.toContain(token);
  });

  it('accepts a static token', async () => {
    const { status, stdout } = await runBinary(['verify'], {
      env: { REMEM_AUTH_STATIC_TOKENS: 'first-secret,second-secret' },
      stdin: 'second-secret',
    });

    expect(status).toBe(0);
    expect(stdout).toContain('  method   static');
    expect(stdout).toContain('  subject  static-token-2');
    expect(stdout).not.toContain('second-secret');
  });

  it.each([
    {
      case: 'another audience',
      mint: { claims: { aud: 'api://billing' } },
      lines: [
        'Token rejected: The token is not meant for this service (audience mismatch).',
        '  code      invalid_audience (HTTP 401)',
        '  idp       local',
        '  expected  api://remem-test',
        '  actual    api://billing',
      ],
    },
    {
      case: 'an expired token',
      mint: { expiresIn: -10 },
      lines: ['Token rejected: The token has expired.', '  code      token_expired (HTTP 401)'],
    },
  ])('rejects $case', async ({ mint, lines }) => {
    const token = await idp.mintToken(mint);

    const { status, stdout } = await runBinary(['verify', token], { env });

    expect(status).toBe(1);
    for (const line of lines) {
      expect(stdout).toContain(line);
    }
    expect(stdout).toContain('  next      ');
    expect(stdout).not.toContain(token);
  });

  it('names the trusted issuers for an unknown one', async () => {
    const token = await idp.mintToken({ claims: { iss: 'https://evil.example' } });

    const { status, stdout } = await runBinary(['verify', token], { env });

    expect(status).toBe(1);
    expect(stdout).toContain('  code      untrusted_issuer (HTTP 401)');
    expect(stdout).toContain(`  expected  ${idp.issuer}`);
    expect(stdout).toContain('  actual    https://evil.example');
  });

  it('shows expected and actual expiry times', async () => {
    const token = await idp.mintToken({ expiresIn: -10 });

    const { stdout } = await runBinary(['verify', token], { env });

    expect(stdout).toMatch(/ {2}expected {2}exp after \d{4}-\d\d-\d\dT/);
    expect(stdout).toMatch(/ {2}actual {4}\d{4}-\d\d-\d\dT/);
  });

  it('rejects a token without a required scope', async () => {
    const token = await idp.mintToken({ claims: { scope: 'notes:read' } });

    const { status, stdout } = await runBinary(['verify', token, '--scope', 'notes:write'], {
      env,
    });

    expect(status).toBe(1);
    expect(stdout).toContain('  code      insufficient_scope (HTTP 403)');
    expect(stdout).toContain('  expected  notes:write');
    expect(stdout).toContain('  actual    notes:read');
  });

  it('prints JSON with --json', async () => {
    const token = await idp.mintToken({ claims: { aud: 'api://billing' } });

    const { status, stdout } = await runBinary(['verify', '--json', token], { env });

    expect(status).toBe(1);
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('invalid_audience');
    expect(result.error.expected).toEqual(['api://remem-test']);
    expect(result.error.actual).toEqual(['api://billing']);
  });

  it('prints verified claims only with --claims', async () => {
    const token = await idp.mintToken({ claims: { sub: 'carol', tenant: 'blue' } });

    const without = await runBinary(['verify', token], { env });
    const withClaims = await runBinary(['verify', token, '--claims'], { env });

    expect(without.stdout).not.toContain('"tenant"');
    expect(withClaims.stdout).toContain('"tenant": "blue"');
  });

  it('fails when nothing enables authentication', async () => {
    const { status, stderr } = await runBinary(['verify', 'anything']);

    expect(status).toBe(1);
    expect(stderr).toContain('Authentication is disabled');
  });

  it('fails on an empty stdin', async () => {
    const { status, stderr } = await runBinary(['verify'], { env, stdin: '' });

    expect(status).toBe(2);
    expect(stderr).toContain('remem-auth verify: The token is empty.');
    expect(stderr).toContain('Run "remem-auth verify --help" for usage.');
  });
});
