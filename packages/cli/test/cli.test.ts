import { describe, expect, it } from 'vitest';
import { runBinary } from './run-binary.js';

describe('remem-auth command line', () => {
  it('lists the commands with --help', async () => {
    const { status, stdout } = await runBinary(['--help']);

    expect(status).toBe(0);
    for (const name of ['doctor', 'verify', 'dev-idp', 'demo']) {
      expect(stdout).toMatch(new RegExp(`^ {2}${name} +\\S`, 'm'));
    }
  });

  it('prints usage to stderr without a command', async () => {
    const { status, stdout, stderr } = await runBinary([]);

    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: remem-auth <command> [options]');
  });

  it.each([
    ['doctor', []],
    ['verify', ['--scope', '--claims', '--json']],
    [
      'dev-idp',
      [
        '--port',
        '--audience',
        '--alg',
        '--token',
        '--url',
        '--sub',
        '--scope',
        '--email',
        '--name',
        '--expires-in',
      ],
    ],
    ['demo', []],
  ])('documents every option of %s', async (name, options) => {
    const { status, stdout } = await runBinary([name, '--help']);

    expect(status).toBe(0);
    expect(stdout).toContain(`Usage: remem-auth ${name}`);
    for (const option of [...options, '--help']) {
      expect(stdout).toMatch(new RegExp(`^ +(-h, )?${option}\\b.* \\S+`, 'm'));
    }
  });

  it('rejects an unknown command', async () => {
    const { status, stderr } = await runBinary(['doctr']);

    expect(status).toBe(2);
    expect(stderr).toContain('Unknown command "doctr". Commands: doctor, verify, dev-idp, demo.');
  });

  it('rejects an unknown option', async () => {
    const { status, stderr } = await runBinary(['doctor', '--verbose']);

    expect(status).toBe(2);
    expect(stderr).toContain("remem-auth doctor: Unknown option '--verbose'.");
    expect(stderr).toContain('Run "remem-auth doctor --help" for usage.');
  });

  it('rejects an extra argument', async () => {
    const { status, stderr } = await runBinary(['verify', 'a', 'b']);

    expect(status).toBe(2);
    expect(stderr).toContain('remem-auth verify: Unexpected argument(s): b.');
  });
});
