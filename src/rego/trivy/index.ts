import { builtin, str } from '../builtins/operands.ts';
import { re2Test } from '../builtins/re2.ts';
import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { fromJS } from '../json.ts';
import { normalize } from '../number.ts';
import { countAddresses, isPublicCidr } from './cidr.ts';
import { createResult } from './result.ts';
import { parseShellCommands, ShellSyntaxError, shellHasPipes } from './shell.ts';
import { SQUEALER_STRING_RULES } from './squealer-rules.ts';

/** squealer's string scanner: the first rule whose pattern matches decides. */
export function scanSecrets(text: string): { transgressionFound: boolean; description: string } {
  for (const rule of SQUEALER_STRING_RULES) {
    if (re2Test(rule.pattern, text)) return { transgressionFound: true, description: rule.description };
  }
  return { transgressionFound: false, description: '' };
}

function shell<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ShellSyntaxError) throw new BuiltinError(`parse command sequence error: ${error.message}`);
    throw error;
  }
}

/** Trivy's custom builtins (trivy pkg/iac/rego/custom.go and trivy-checks internal/rego). */
export const trivyBuiltins: BuiltinDefinition[] = [
  builtin('result.new', 2, ([msg, cause]) => createResult(msg ?? null, cause ?? null, true)),
  builtin('isManaged', 1, ([x]) => {
    const r = createResult('', x ?? null, true);
    return r.get('managed') ?? true;
  }),
  builtin('sh.parse_commands', 1, (args) => {
    const source = str(args, 0);
    return shell(() => parseShellCommands(source));
  }),
  builtin('sh.has_pipes', 1, (args) => {
    const source = str(args, 0);
    return shell(() => shellHasPipes(source));
  }),
  builtin('cidr.is_public', 1, (args) => isPublicCidr(str(args, 0))),
  builtin('cidr.count_addresses', 1, (args) => normalize(countAddresses(str(args, 0)))),
  builtin('squealer.scan_string', 1, (args) => fromJS(scanSecrets(str(args, 0)))),
];
