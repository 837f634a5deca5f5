import { usageError } from '../../errors/index.ts';
import type { RegoTestResult } from '../../rego/index.ts';
import type { CommandContext, CommandDefinition } from '../command.ts';
import { defineOption } from '../option-spec.ts';

const GROUP = 'Test Options:';

const formatOption = defineOption({
  name: 'format',
  short: 'f',
  kind: 'string',
  valueName: 'FORMAT',
  description: 'output format',
  choices: ['table', 'json'],
  defaultValue: () => 'table',
  group: GROUP,
});

const runOption = defineOption({
  name: 'run',
  kind: 'string',
  valueName: 'REGEX',
  description: 'run only the tests whose name (data.<package>.<test>) matches',
  group: GROUP,
});

const ignoreOption = defineOption({
  name: 'ignore',
  kind: 'list',
  valueName: 'GLOB',
  description: "skip files and directories whose name matches (e.g. '*.yaml')",
  group: GROUP,
});

const exitZeroOnSkippedOption = defineOption({
  name: 'exit-zero-on-skipped',
  short: 'z',
  kind: 'boolean',
  description: 'exit 0 when the only tests that did not pass are skipped (todo_test_*)',
  defaultValue: () => false,
  group: GROUP,
});

const strictOption = defineOption({
  name: 'strict-builtin-errors',
  kind: 'boolean',
  description: 'a builtin error (e.g. a bad argument type) errors the test instead of making the expression undefined',
  defaultValue: () => false,
  group: GROUP,
});

const RULE = '-'.repeat(80);

function label(r: RegoTestResult): string {
  return `data.${r.package}.${r.name}`;
}

function textReport(results: readonly RegoTestResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.pass || r.skip) continue;
    lines.push(`${label(r)}: ${r.error !== undefined ? 'ERROR' : 'FAIL'} (${r.file}:${r.row})`);
    if (r.error !== undefined) lines.push(`  ${r.error}`);
    for (const out of r.output) lines.push(`  ${out}`);
  }
  const total = results.length;
  const count = (fn: (r: RegoTestResult) => boolean) => results.filter(fn).length;
  const failed = count((r) => !r.pass && !r.skip && r.error === undefined);
  const errored = count((r) => r.error !== undefined);
  const skipped = count((r) => r.skip);
  if (lines.length > 0) lines.push(RULE);
  lines.push(`PASS: ${count((r) => r.pass)}/${total}`);
  if (failed > 0) lines.push(`FAIL: ${failed}/${total}`);
  if (errored > 0) lines.push(`ERROR: ${errored}/${total}`);
  if (skipped > 0) lines.push(`SKIPPED: ${skipped}/${total}`);
  return `${lines.join('\n')}\n`;
}

function jsonReport(results: readonly RegoTestResult[]): string {
  const objects = results.map((r) => ({
    package: r.package,
    name: r.name,
    pass: r.pass,
    ...(r.skip ? { skip: true } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    file: r.file,
    row: r.row,
    ...(r.output.length > 0 ? { output: r.output } : {}),
  }));
  return `${JSON.stringify(objects, null, 2)}\n`;
}

async function runRegoTest(context: CommandContext): Promise<number> {
  const paths = context.args;
  if (paths.length === 0) throw usageError('no PATH given', 'vigil rego test checks/');
  let run: RegExp | undefined;
  const pattern = context.options.get(runOption);
  if (pattern !== undefined) {
    try {
      run = new RegExp(pattern);
    } catch (error) {
      throw usageError(`--run: invalid regular expression: ${(error as Error).message}`);
    }
  }
  // The engine loads only when this command runs, so other commands do not pay for it.
  const { loadRegoFiles, Policy, parseWithFallback, runRegoTests } = await import('../../rego/index.ts');
  const loaded = loadRegoFiles(paths, { ignore: context.options.get(ignoreOption) ?? [] });
  const modules = loaded.modules.map(parseWithFallback);
  const policy = Policy.fromModules(modules, { data: loaded.data });
  const results = runRegoTests(policy, {
    run,
    strict: context.options.require(strictOption),
    signal: context.signal,
    now: context.io.now,
    env: context.io.env,
  });
  const format = context.options.require(formatOption);
  context.io.stdout.write(format === 'json' ? jsonReport(results) : textReport(results));
  const zeroOnSkipped = context.options.require(exitZeroOnSkippedOption);
  return results.every((r) => r.pass || (r.skip && zeroOnSkipped)) ? 0 : 1;
}

export const regoCommand: CommandDefinition = {
  name: 'rego',
  summary: 'work with Rego checks',
  subcommands: [
    {
      name: 'test',
      summary: 'run the test_* rules in Rego files, like opa test',
      description:
        'Load every .rego file under the paths (and .json/.yaml files as data, under the path of their ' +
        'directory, as opa test does), then evaluate every rule named test_*: a test passes when it is true. ' +
        "Trivy's custom builtins (result.new, isManaged, sh.parse_commands, cidr.*, squealer.scan_string) " +
        'are available. Prints each failure and PASS: N/M; exits 0 only when every test passes ' +
        '(skipped todo_test_* rules count as not passed unless --exit-zero-on-skipped).',
      arguments: [{ name: 'PATH', required: true, variadic: true, description: 'files or directories' }],
      options: [formatOption, runOption, ignoreOption, exitZeroOnSkippedOption, strictOption],
      examples: [
        'vigil rego test checks/',
        "vigil rego test lib/ checks/ --ignore '*.yaml'",
        'vigil rego test checks/ --run DS002 --format json',
      ],
      run: runRegoTest,
    },
  ],
};
