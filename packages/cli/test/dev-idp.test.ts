import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BINARY, cleanEnv, collect, runBinary } from './run-binary.js';

// Starts `remem-auth dev-idp` and reads its stdout until the "Stop with Ctrl+C." line.
async function startDevIdp(args: string[] = []) {
  const child = spawn(process.execPath, [BINARY, 'dev-idp', '--port', '0', ...args], {
    env: cleanEnv(),
  });
  const exited = collect(child);
  let stdout = '';
  for await (const chunk of child.stdout) {
    stdout += String(chunk);
    if (stdout.includes('Stop with Ctrl+C.')) break;
  }
  const idpsJson = /export REMEM_AUTH_IDPS_JSON='(.*)'/.exec(stdout)?.[1];
  const url = /Dev IdP listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  const token = /valid \d+ s:\n {2}(\S+)\n/.exec(stdout)?.[1];
  if (idpsJson === undefined || url === undefined || token === undefined) {
    child.kill('SIGTERM');
    throw new Error(`Unexpected dev-idp output:\n${stdout}`);
  }
  return { child, exited, stdout, idpsJson, url, token };
}

describe('remem-auth dev-idp', () => {
  it('prints an export and a token that verify accepts', async () => {
    const devIdp = await startDevIdp(['--sub', 'dev-alice', '--scope', 'notes:read']);
    try {
      expect(JSON.parse(devIdp.idpsJson)).toEqual([
        {
          name: 'dev-idp',
          issuer: devIdp.url,
          jwks_uri: `${devIdp.url}/jwks`,
          audience: 'api://remem-dev',
          algorithms: ['RS256'],
        },
      ]);
      const env = { REMEM_AUTH_IDPS_JSON: devIdp.idpsJson };

      const { status, stdout } = await runBinary(['verify'], { env, stdin: devIdp.token });

      expect(status).toBe(0);
      expect(stdout).toContain('  subject  dev-alice');
      expect(stdout).toContain('  scopes   notes:read');
    } finally {
      devIdp.child.kill('SIGTERM');
    }
    const { status, stderr } = await devIdp.exited;
    expect(status).toBe(0);
    expect(stderr).toContain('Dev IdP stopped.');
  });

  it('mints more tokens with --token', async () => {
    const devIdp = await startDevIdp(['--alg', 'ES256', '--audience', 'api://notes']);
    try {
      const minted = await runBinary([
        'dev-idp',
        '--token',
        '--url',
        devIdp.url,
        '--sub',
        'bob',
        '--scope',
        'notes:read',
        '--scope',
        'notes:write',
        '--email',
        'bob@example.com',
      ]);
      expect(minted.status).toBe(0);
      const token = minted.stdout.trim();
      expect(token.split('.')).toHaveLength(3);

      const env = { REMEM_AUTH_IDPS_JSON: devIdp.idpsJson };
      const { status, stdout } = await runBinary(['verify', token], { env });

      expect(status).toBe(0);
      expect(stdout).toContain('  subject  bob');
      expect(stdout).toContain('  email    bob@example.com');
      expect(stdout).toContain('  scopes   notes:read notes:write');
    } finally {
      devIdp.child.kill('SIGTERM');
      await devIdp.exited;
    }
  });

  it('explains a --token request with no dev IdP', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));

    const { status, stdout, stderr } = await runBinary([
      'dev-idp',
      '--token',
      '--port',
      String(port),
    ]);

    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `Minting a token at http://127.0.0.1:${port}/token failed: ECONNREFUSED`,
    );
    expect(stderr).toContain('Start a dev IdP in another terminal with "remem-auth dev-idp"');
  });

  it('explains a port in use', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    try {
      const { status, stderr } = await runBinary(['dev-idp', '--port', String(port)]);

      expect(status).toBe(1);
      expect(stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    [['--port', 'abc'], '--port must be a whole number from 0 to 65535, got "abc".'],
    [['--alg', 'HS256'], '--alg must be one of RS256, PS256, ES256, ES384, EdDSA, got "HS256".'],
    [['--expires-in', '0'], '--expires-in must be a whole number from 1 to 31536000, got "0".'],
  ])('rejects %j', async (args, message) => {
    const { status, stderr } = await runBinary(['dev-idp', ...args]);

    expect(status).toBe(2);
    expect(stderr).toContain(`remem-auth dev-idp: ${message}`);
  });
});
