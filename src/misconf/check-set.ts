import { VigilError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import { type Module, Policy, parseModule, RegoError, toJS } from '../rego/index.ts';
import type { CheckOrigin, RegoFile } from './check-files.ts';
import {
  applyCustomFields,
  type CheckMetadata,
  defaultMetadata,
  metadataFromAnnotation,
  packageAnnotation,
  parseSelectors,
} from './check-metadata.ts';

/** Top-level packages Trivy evaluates without being asked (`--check-namespaces` adds more). */
export const BUILTIN_NAMESPACES: readonly string[] = ['builtin', 'defsec', 'appshield'];

export interface Check {
  /** `builtin.vigil.dockerfile.VGL_DF_001`, as Trivy's `Namespace`. */
  readonly namespace: string;
  readonly packagePath: readonly string[];
  /** `deny` and `deny_*` rules, in source order. */
  readonly rules: readonly string[];
  readonly metadata: CheckMetadata;
  readonly origin: CheckOrigin;
  readonly file: string;
}

/** Compiled modules (checks and their libraries) plus the checks to evaluate. */
export interface CheckSet {
  readonly policy: Policy;
  readonly checks: readonly Check[];
}

export interface CheckSetOptions {
  /** Extra top-level namespaces (`--check-namespaces`). */
  readonly namespaces?: readonly string[];
  /** Base documents from `--config-data`; `namespaces` is added as Trivy does. */
  readonly data?: Record<string, unknown>;
  readonly logger: Logger;
}

/** Trivy parses in Rego v0 mode (where `import rego.v1` opts in); plain v1 files are accepted too. */
function parseCheckModule(file: RegoFile): Module {
  try {
    return parseModule(file.source, file.path, { version: 'v0' });
  } catch (v0Error) {
    try {
      return parseModule(file.source, file.path, { version: 'v1' });
    } catch {
      throw v0Error;
    }
  }
}

const isEnforcedRule = (name: string) => name === 'deny' || name.startsWith('deny_');

/** Compiles, dropping modules that fail (Trivy prunes them and recompiles) with a warning each. */
function compileWithPruning(
  modules: Module[],
  data: Record<string, unknown>,
  origins: Map<string, CheckOrigin>,
  logger: Logger,
): { policy: Policy; modules: Module[] } {
  let remaining = modules;
  for (;;) {
    try {
      return { policy: Policy.fromModules(remaining, { data }), modules: remaining };
    } catch (error) {
      const file = error instanceof RegoError ? error.location?.file : undefined;
      if (file === undefined || !remaining.some((m) => m.file === file)) {
        throw new VigilError('CHECKS_COMPILE', `the checks do not compile: ${(error as Error).message}`, {
          hint: 'fix or remove the failing module; run vigil rego test on your checks',
        });
      }
      logger.warn(`skipping ${origins.get(file) ?? 'check'} module ${file}: ${(error as Error).message}`);
      remaining = remaining.filter((m) => m.file !== file);
    }
  }
}

function legacyMetadata(policy: Policy, module: Module): CheckMetadata {
  const meta = defaultMetadata(module.packagePath);
  const read = (rule: string): unknown => {
    try {
      const value = policy.evalPath([...module.packagePath, rule]);
      return value === undefined ? undefined : toJS(value);
    } catch {
      return undefined;
    }
  };
  const fields = read('__rego_metadata__');
  if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) {
    applyCustomFields(meta, fields as Record<string, unknown>);
  }
  meta.selectors = parseSelectors(read('__rego_input__'));
  return meta;
}

/**
 * Parses and compiles check modules. User modules that do not parse are an error (as in Trivy);
 * bundle and embedded ones are skipped with a warning. Modules whose top-level package is not an
 * evaluated namespace are libraries.
 */
export function buildCheckSet(files: readonly RegoFile[], options: CheckSetOptions): CheckSet {
  const origins = new Map<string, CheckOrigin>();
  const modules: Module[] = [];
  for (const file of files) {
    origins.set(file.path, file.origin);
    try {
      modules.push(parseCheckModule(file));
    } catch (error) {
      if (file.origin === 'user') {
        throw new VigilError('CHECK_PARSE', `cannot parse the check ${file.path}: ${(error as Error).message}`, {
          hint: 'fix the Rego syntax; vigil rego test shows the same error',
        });
      }
      options.logger.warn(`skipping ${file.origin} module ${file.path}: ${(error as Error).message}`);
    }
  }
  const namespaceList = [...new Set(modules.map((m) => m.packagePath.join('.')))].sort();
  const data = { ...(options.data ?? {}), namespaces: namespaceList };
  const { policy, modules: compiled } = compileWithPruning(modules, data, origins, options.logger);
  const evaluated = new Set([...BUILTIN_NAMESPACES, ...(options.namespaces ?? [])]);
  const checks: Check[] = [];
  for (const module of compiled) {
    if (!evaluated.has(module.packagePath[0] ?? '')) continue;
    const annotation = packageAnnotation(module);
    const metadata = annotation ? metadataFromAnnotation(module, annotation) : legacyMetadata(policy, module);
    const rules = [...new Set(module.rules.map((r) => ruleName(r.ref[0])).filter(isEnforcedRule))];
    if (rules.length === 0) continue;
    checks.push({
      namespace: module.packagePath.join('.'),
      packagePath: module.packagePath,
      rules,
      metadata,
      origin: origins.get(module.file) ?? 'user',
      file: module.file,
    });
  }
  return { policy, checks };
}

function ruleName(term: Module['rules'][number]['ref'][number] | undefined): string {
  if (term === undefined) return '';
  if (term.type === 'var') return term.name;
  if (term.type === 'scalar' && typeof term.value === 'string') return term.value;
  return '';
}
