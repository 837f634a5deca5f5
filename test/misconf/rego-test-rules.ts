import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Module, Policy, parseModule } from '../../src/rego/index.ts';

/** One `test_*` rule and whether it evaluated to true. */
export interface TestRuleResult {
  readonly module: string;
  readonly name: string;
  readonly pass: boolean;
  readonly error?: string;
}

function regoFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return regoFiles(full);
    return entry.name.endsWith('.rego') ? [full] : [];
  });
}

/**
 * Compiles every module under `dir` (checks, libraries and their `_test.rego` files) and evaluates
 * each `test_*` rule, as `opa test` does: a test passes when its rule is defined and true.
 */
export function runRegoTestRules(dir: string): TestRuleResult[] {
  const modules: Module[] = regoFiles(dir).map((file) => parseModule(readFileSync(file, 'utf8'), file));
  const policy = Policy.fromModules(modules);
  const results: TestRuleResult[] = [];
  for (const module of modules.filter((m) => m.file.endsWith('_test.rego'))) {
    const names = new Set<string>();
    for (const rule of module.rules) {
      const head = rule.ref[0];
      const name = head?.type === 'scalar' && typeof head.value === 'string' ? head.value : '';
      if (name.startsWith('test_')) names.add(name);
    }
    for (const name of names) {
      try {
        const value = policy.evalPath([...module.packagePath, name], { strict: true });
        results.push({ module: module.packagePath.join('.'), name, pass: value === true });
      } catch (error) {
        results.push({ module: module.packagePath.join('.'), name, pass: false, error: (error as Error).message });
      }
    }
  }
  return results;
}
