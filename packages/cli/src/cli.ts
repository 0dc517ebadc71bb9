import { type Command, parseCommandArgs } from './command.js';
import { demoCommand } from './demo.js';
import { devIdpCommand } from './dev-idp.js';
import { doctorCommand } from './doctor.js';
import { type CliIo, EXIT, UsageError } from './io.js';
import { verifyCommand } from './verify.js';

const COMMANDS: readonly Command[] = [doctorCommand, verifyCommand, devIdpCommand, demoCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 2;
  const list = COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`);
  return [
    'Usage: remem-auth <command> [options]',
    '',
    'Checks and explains remem-auth bearer-token authentication. Every command reads the same',
    'REMEM_AUTH_* variables as a service that uses @remem/auth-core.',
    '',
    'Commands:',
    ...list,
    '',
    'Run "remem-auth <command> --help" for the options of a command.',
  ].join('\n');
}

/**
 * Runs the `remem-auth` command line and returns its exit status: 0 on success, 1 when a check
 * failed, 2 for a usage mistake.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['doctor'], processIo());
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.err(`Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`);
    io.err('Run "remem-auth --help" for what each does.');
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, args);
    if (values.help === true) {
      io.out(command.help);
      return EXIT.ok;
    }
    return await command.run(values, positionals, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`remem-auth ${command.name}: ${error.message}`);
    io.err(`Run "remem-auth ${command.name} --help" for usage.`);
    return EXIT.usage;
  }
}
