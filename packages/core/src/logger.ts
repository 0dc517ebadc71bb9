/**
 * A logging function in pino's style: an object of fields first, then the message.
 */
export type LogFunction = (fields: Record<string, unknown>, message: string) => void;

/**
 * The logger this library writes to. A pino or bunyan logger fits as it is; so does any object
 * with these four methods. Fields never hold a token, a key or full claims.
 */
export interface Logger {
  debug: LogFunction;
  info: LogFunction;
  warn: LogFunction;
  error: LogFunction;
}

function writeToStderr(level: string): LogFunction {
  return (fields, message) => {
    // NOTE: this is the only place the library writes to the console.
    console.error(`[remem-auth] ${level}: ${message}`, JSON.stringify(fields));
  };
}

const ignore: LogFunction = () => {};

/** The default logger: drops debug and info, and writes warnings and errors to stderr. */
export const defaultLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: writeToStderr('warn'),
  error: writeToStderr('error'),
};

/** A logger that drops everything, for tests and for services that log elsewhere. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
