/**
 * The one error type Vigil raises for anything a user can act on. The CLI prints
 * `error: <message>` and, when present, `hint: <hint>`; stack traces only with --debug.
 */
export interface VigilErrorOptions {
  /** The command or action that fixes the problem. */
  hint?: string;
  /** Process exit status: 1 for errors, 2 for usage errors. */
  exitCode?: 1 | 2;
  cause?: unknown;
}

export class VigilError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: 1 | 2;

  constructor(code: string, message: string, options: VigilErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VigilError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** A mistake in how Vigil was invoked: bad flag, bad value, missing argument. Exit status 2. */
export function usageError(message: string, hint?: string): VigilError {
  return new VigilError('USAGE', message, { hint, exitCode: 2 });
}

export function isVigilError(value: unknown): value is VigilError {
  return value instanceof VigilError;
}

/** A one-line description of any thrown value, for messages that wrap a lower-level failure. */
export function describeError(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as NodeJS.ErrnoException).code;
    const first = value.message.split('\n')[0] ?? '';
    return code && !first.includes(code) ? `${first} (${code})` : first;
  }
  return String(value);
}
