import { type LocalIdp, type LocalIdpOptions, startLocalIdp } from '@remem/auth-testing';
import { afterEach } from 'vitest';
import { type AuthConfig, AuthVerifier, type Logger } from '../src/index.js';

/** A logger that keeps every line, so tests can assert on events and on what was never logged. */
export function recordingLogger(): Logger & {
  lines: { level: string; fields: Record<string, unknown>; message: string }[];
} {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const record = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields, message });
  };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

const started: LocalIdp[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((idp) => idp.close()));
});

/** Starts a local IdP that is closed after the current test. */
export async function localIdp(options: LocalIdpOptions = {}): Promise<LocalIdp> {
  const idp = await startLocalIdp(options);
  started.push(idp);
  return idp;
}

/** A verifier that trusts `idp`, with a recording logger. */
export function verifierFor(
  idp: LocalIdp,
  config: AuthConfig = {},
  idpOverrides: Record<string, unknown> = {},
) {
  const logger = recordingLogger();
  const verifier = new AuthVerifier({
    idps: [idp.idpConfig(idpOverrides) as never],
    logger,
    ...config,
  });
  return { verifier, logger };
}

/** Runs `action` and returns the error it rejects with. */
export async function rejection(
  action: () => Promise<unknown>,
): Promise<Record<string, unknown> & Error> {
  try {
    await action();
  } catch (error) {
    return error as Record<string, unknown> & Error;
  }
  throw new Error('expected a rejection, but the call succeeded');
}
