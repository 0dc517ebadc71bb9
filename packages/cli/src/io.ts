import { text } from 'node:stream/consumers';

/** Input and output of a command; {@link processIo} returns the real ones. */
export interface CliIo {
  /** The environment the command reads `REMEM_AUTH_*` variables from. */
  env: Record<string, string | undefined>;
  /** Writes one line to standard output. */
  out(line?: string): void;
  /** Writes one line to standard error. */
  err(line?: string): void;
  /** Reads standard input to its end, or returns `undefined` when it is a terminal. */
  readStdin(): Promise<string | undefined>;
  /** Resolves when the user asks a long-running command to stop (SIGINT or SIGTERM). */
  waitForStop(): Promise<void>;
}

/** Exit statuses of the `remem-auth` command. */
export const EXIT = {
  ok: 0,
  /** A check failed: invalid configuration, an unreachable JWKS, a rejected token. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
} as const;

/** A mistake on the command line; the CLI prints its message and the command's usage line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Returns the {@link CliIo} of this process: `process.env`, stdout, stderr, stdin and signals.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 * ```
 */
export function processIo(): CliIo {
  return {
    env: process.env,
    out: (line = '') => process.stdout.write(`${line}\n`),
    err: (line = '') => process.stderr.write(`${line}\n`),
    async readStdin() {
      if (process.stdin.isTTY) return undefined;
      return text(process.stdin);
    },
    waitForStop() {
      return new Promise((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    },
  };
}
