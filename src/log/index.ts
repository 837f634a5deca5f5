/**
 * Logs go to stderr, never stdout (stdout carries results). Levels: debug < info < warn < error.
 * `--quiet` keeps only errors; `--debug` adds debug lines.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const LABEL: Record<LogLevel, string> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };
const COLOUR: Record<LogLevel, string> = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  enabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  level: LogLevel;
  write: (line: string) => void;
  colour?: boolean;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? (() => new Date());
  const threshold = RANK[options.level];
  const emit = (level: LogLevel, message: string): void => {
    if (RANK[level] < threshold) return;
    const stamp = now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const label = options.colour ? `${COLOUR[level]}${LABEL[level]}\x1b[0m` : LABEL[level];
    options.write(`${stamp}\t${label}\t${message}\n`);
  };
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
    enabled: (level) => RANK[level] >= threshold,
  };
}

/** A logger that drops everything; for library callers and tests that do not care. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  enabled: () => false,
};
