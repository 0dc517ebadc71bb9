import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/index.js';
import { runDemo } from '../src/index.js';
import { runBinary } from './run-binary.js';

// Any run of 40 or more base64url characters: a JWT part, or the 43-character static token.
const TOKEN_LIKE = /[A-Za-z0-9_-]{40,}/;

function captureIo(): { io: CliIo; lines: string[] } {
  const lines: string[] = [];
  const io: CliIo = {
    env: {},
    out: (line = '') => lines.push(line),
    err: (line = '') => lines.push(line),
    readStdin: async () => undefined,
    waitForStop: async () => {},
  };
  return { io, lines };
}

describe('remem-auth demo', () => {
  it('runs every call as expected and exits 0', async () => {
    const { status, stdout, stderr } = await runBinary(['demo']);

    expect(stderr).not.toContain('UNEXPECTED');
    expect(status).toBe(0);
    expect(stdout).toContain('All 7 calls returned the expected result. Servers stopped.');
    for (const line of [
      '[1/7] No token',
      '-> 401 {"detail":"No token provided"}',
      '-> 200 {"subject":"demo-client","method":"jwt","idp":"demo-idp","scopes":["notes:read"]}',
      '-> 200 {"subject":"static-token-1","method":"static","idp":null,"scopes":[]}',
      '-> 403 {"detail":"The token lacks the required scope(s): notes:read."}',
      '-> 401 {"detail":"The token is not meant for this service (audience mismatch)."}',
      '-> 401 {"detail":"The token has expired."}',
      '-> 401 {"error":{"message":"No token provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
      'WWW-Authenticate: Bearer error="invalid_token", error_description="The token has expired."',
    ]) {
      expect(stdout).toContain(line);
    }
    expect(stdout).not.toContain('UNEXPECTED');
  });

  it('prints no token', async () => {
    const { stdout, stderr } = await runBinary(['demo']);

    expect(stdout).not.toMatch(TOKEN_LIKE);
    expect(stderr).not.toMatch(TOKEN_LIKE);
  });

  it('exits 1 when a call returns something else', async () => {
    const { io, lines } = captureIo();

    const status = await runDemo(io, { serviceEnv: { REMEM_AUTH_VERIFY_AUD: 'false' } });

    expect(status).toBe(1);
    expect(lines).toContain('  UNEXPECTED: status 200, expected 401');
    expect(lines).toContain('1 of 7 calls returned an unexpected result. Servers stopped.');
  });
});
