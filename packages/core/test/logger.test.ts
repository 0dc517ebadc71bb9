import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthVerifier, defaultLogger } from '../src/index.js';
import { localIdp, recordingLogger } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('defaultLogger', () => {
  it('drops debug and info and writes warnings and errors to stderr', () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    const stdout = vi.spyOn(console, 'log').mockImplementation(() => {});
    defaultLogger.debug({ event: 'a' }, 'debug line');
    defaultLogger.info({ event: 'b' }, 'info line');
    defaultLogger.warn({ event: 'c' }, 'warn line');
    defaultLogger.error({ event: 'd' }, 'error line');
    expect(stderr.mock.calls).toEqual([
      ['[remem-auth] warn: warn line', '{"event":"c"}'],
      ['[remem-auth] error: error line', '{"event":"d"}'],
    ]);
    expect(stdout).not.toHaveBeenCalled();
  });
});

describe('AuthVerifier events', () => {
  it('logs fetches and failures with a sanitised kid and no token', async () => {
    const idp = await localIdp();
    const logger = recordingLogger();
    const verifier = new AuthVerifier({ idps: [idp.idpConfig() as never], logger });
    const good = await idp.mintToken();
    await verifier.verifyToken(good);
    const bad = await idp.mintToken({ header: { kid: 'kid/../\n<script>' }, claims: { sub: 'x' } });
    await verifier.verifyToken(bad).catch(() => {});

    expect(logger.lines.map((line) => [line.level, line.fields.event])).toEqual([
      ['info', 'jwks_fetched'],
      ['info', 'jwks_cooldown'],
      ['info', 'verification_failed'],
    ]);
    expect(logger.lines[2]!.fields).toEqual({
      event: 'verification_failed',
      code: 'unknown_key',
      idp: 'local',
      kid: 'kid?..???script?',
    });
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain(good);
    expect(logged).not.toContain(bad);
  });
});
