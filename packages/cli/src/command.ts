import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type CliIo, UsageError } from './io.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Parsed option values, as `node:util` `parseArgs` returns them. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One `remem-auth` subcommand. */
export interface Command {
  name: string;
  /** One line for the command list of `remem-auth --help`. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  options: OptionsConfig;
  /** How many positional arguments the command takes at most. */
  maxPositionals: number;
  /** Runs the command and returns its exit status. */
  run(values: OptionValues, positionals: string[], io: CliIo): Promise<number>;
}

/**
 * Parses a command's arguments with `node:util` `parseArgs` in strict mode.
 *
 * @throws {UsageError} for an unknown option, a missing option value or extra arguments.
 */
export function parseCommandArgs(
  command: Command,
  args: string[],
): { values: OptionValues; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > command.maxPositionals) {
    const extra = parsed.positionals.slice(command.maxPositionals).join(' ');
    throw new UsageError(`Unexpected argument(s): ${extra}.`);
  }
  return { values: parsed.values as OptionValues, positionals: parsed.positionals };
}

/** Reads a whole-number option such as a port or a number of seconds. */
export function integerOption(
  values: OptionValues,
  name: string,
  fallback: number,
  range: { min: number; max: number },
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(
      `--${name} must be a whole number from ${range.min} to ${range.max}, got "${String(raw)}".`,
    );
  }
  return value;
}

/** Reads a string option. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** Reads a repeatable string option; each occurrence may hold several space-separated words. */
export function listOption(values: OptionValues, name: string): string[] {
  const raw = values[name];
  let items: (string | boolean)[] = [];
  if (Array.isArray(raw)) items = raw;
  else if (raw !== undefined) items = [raw];
  return items.flatMap((item) => String(item).split(/\s+/)).filter((item) => item !== '');
}
