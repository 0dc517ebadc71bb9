#!/usr/bin/env node
import { runCli } from './cli.js';
import { processIo } from './io.js';

try {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
} catch (error) {
  // An unexpected failure: print it without a stack trace and exit like a failed check.
  console.error(`remem-auth: ${(error as Error).message ?? String(error)}`);
  process.exitCode = 1;
}
