import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built `remem-auth` binary. */
export const BINARY = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Returns the parent's environment without any REMEM_AUTH_* variable, plus `env`. */
export function cleanEnv(env: Record<string, string> = {}): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        !entry[0].startsWith('REMEM_AUTH_') && entry[1] !== undefined,
    ),
  );
  return { ...base, ...env };
}

/** Runs `remem-auth` to completion with `stdin` as its standard input. */
export function runBinary(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<RunResult> {
  const child = spawn(process.execPath, [BINARY, ...args], { env: cleanEnv(options.env) });
  child.stdin.end(options.stdin ?? '');
  return collect(child);
}

/** Collects a child's output until it exits. */
export function collect(child: ChildProcess): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
