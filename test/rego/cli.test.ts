import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runVigil } from '../helpers/run-vigil.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const CLI = fileURLToPath(new URL('../fixtures/rego/cli/', import.meta.url));

interface JsonTest {
  package: string;
  name: string;
  pass: boolean;
  skip?: boolean;
  error?: string;
  file: string;
  row: number;
}

describe('vigil rego test', () => {
  it('runs every test_* rule with Trivy builtins and data files, and exits 0 when all pass', async () => {
    const run = await runVigil(['rego', 'test', join(CLI, 'pass'), '--exit-zero-on-skipped']);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^PASS: 3\/4$/m);
    assert.match(run.stdout, /^SKIPPED: 1\/4$/m);
    assert.doesNotMatch(run.stdout, /FAIL/);
  });

  it('prints each failure and error, then the counts, and exits 1', async () => {
    const run = await runVigil(['rego', 'test', join(CLI, 'fail')]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^data\.user\.broken\.test_value_is_two: FAIL \(.*checks\.rego:7\)$/m);
    assert.match(run.stdout, /^data\.user\.broken\.test_conflict: ERROR /m);
    assert.match(run.stdout, /eval_conflict_error: complete rules must not produce multiple outputs/);
    assert.doesNotMatch(run.stdout, /test_value_is_one/);
    assert.match(run.stdout, /^PASS: 1\/3\nFAIL: 1\/3\nERROR: 1\/3\n$/m);
  });

  it('prints one JSON object per test with --format json', async () => {
    const run = await runVigil(['rego', 'test', join(CLI, 'fail'), join(CLI, 'pass'), '--format', 'json']);
    assert.equal(run.status, 1);
    const tests = JSON.parse(run.stdout) as JsonTest[];
    assert.equal(tests.length, 7);
    const byName = new Map(tests.map((t) => [t.name, t]));
    assert.deepEqual(
      { package: byName.get('test_sudo_denied')?.package, pass: byName.get('test_sudo_denied')?.pass },
      { package: 'user.dockerfile.no_sudo_test', pass: true },
    );
    assert.equal(byName.get('test_value_is_two')?.pass, false);
    assert.equal(byName.get('test_value_is_two')?.error, undefined);
    assert.match(byName.get('test_conflict')?.error ?? '', /eval_conflict_error/);
    assert.equal(byName.get('todo_test_later')?.skip, true);
  });

  it('selects tests with --run', async () => {
    const run = await runVigil(['rego', 'test', join(CLI, 'fail'), '--run', 'value_is_one$']);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, 'PASS: 1/1\n');
  });

  it('accepts Rego v0 files (as Trivy loads them) next to v1 files', async () => {
    const run = await runVigil(['rego', 'test', join(CLI, 'legacy'), join(CLI, 'pass'), '-z']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^PASS: 4\/5$/m);
  });

  it('counts skipped tests as not passed, and raises builtin errors with --strict-builtin-errors', async () => {
    const dir = tempDir();
    const policy = 'package strictness\n\ntest_lenient if not to_number("x") == 1\n\ntodo_test_later if false\n';
    writeFileSync(join(dir, 'strict_test.rego'), policy);
    const lenient = await runVigil(['rego', 'test', dir]);
    assert.equal(lenient.status, 1);
    assert.equal(lenient.stdout, 'PASS: 1/2\nSKIPPED: 1/2\n');
    const strict = await runVigil(['rego', 'test', dir, '--strict-builtin-errors', '-z']);
    assert.equal(strict.status, 1);
    assert.match(strict.stdout, /^data\.strictness\.test_lenient: ERROR /m);
    assert.match(strict.stdout, /eval_builtin_error: to_number: /);
  });

  it('skips data files with --ignore, so tests that read them fail', async () => {
    const run = await runVigil(['rego', 'test', join(CLI, 'pass'), '--ignore', '*.json']);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^data\.user\.dockerfile\.no_sudo_test\.test_limit_from_data: FAIL/m);
  });

  it('reports a parse error with file and line, and a missing path', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.rego'), 'package x\n\np := {\n');
    const bad = await runVigil(['rego', 'test', dir]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^error: .*bad\.rego:\d+: rego_parse_error: /m);
    const missing = await runVigil(['rego', 'test', join(dir, 'nope')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /does not exist/);
  });

  it('requires a path', async () => {
    const run = await runVigil(['rego', 'test']);
    assert.equal(run.status, 2);
  });
});
