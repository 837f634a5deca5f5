import { VigilError } from '../errors/index.ts';

/** OPA's error codes, so messages read as OPA's do (`file:row: code: message`). */
export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'rego_type_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_internal_error'
  | 'eval_cancel_error';

export interface Location {
  readonly file: string;
  readonly row: number;
  readonly col: number;
}

export function formatLocation(loc: Location | undefined): string {
  return loc === undefined ? '' : `${loc.file}:${loc.row}`;
}

/** A parse, compile or evaluation error. `detail` is the message without location and code. */
export class RegoError extends VigilError {
  readonly regoCode: RegoErrorCode;
  readonly detail: string;
  readonly location: Location | undefined;

  constructor(code: RegoErrorCode, detail: string, location?: Location) {
    const where = formatLocation(location);
    super(code, `${where ? `${where}: ` : ''}${code}: ${detail}`);
    this.name = 'RegoError';
    this.regoCode = code;
    this.detail = detail;
    this.location = location;
  }
}

/** Thrown by builtins; the evaluator adds the builtin name and location, and honours strict mode. */
export class BuiltinError extends Error {
  readonly typeError: boolean;

  constructor(message: string, typeError = false) {
    super(message);
    this.name = 'BuiltinError';
    this.typeError = typeError;
  }
}

/** Raised by `halt`-like conditions that must stop evaluation even in non-strict mode. */
export class HaltError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HaltError';
  }
}
