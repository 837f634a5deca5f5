import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../src/log/index.ts';
import { collectRegoFiles } from '../../src/misconf/check-files.ts';
import { buildCheckSet } from '../../src/misconf/check-set.ts';
import { EMBEDDED_CHECKS_DIR } from '../../src/misconf/checks-bundle.ts';
import { loadRegoFiles, Policy, parseWithFallback, runRegoTests } from '../../src/rego/index.ts';

test('every test_* rule of the embedded checks passes (the vigil rego test runner)', () => {
  const { modules, data } = loadRegoFiles([EMBEDDED_CHECKS_DIR]);
  const policy = Policy.fromModules(modules.map(parseWithFallback), { data });
  const results = runRegoTests(policy);
  const failed = results.filter((r) => !r.pass).map((r) => `${r.package}.${r.name}${r.error ? `: ${r.error}` : ''}`);
  assert.deepEqual(failed, []);
  assert.ok(results.length > 150, `only ${results.length} test rules`);
});

test('the embedded bundle has at least 15 Dockerfile and 25 Kubernetes checks, each fully described', async () => {
  const files = await collectRegoFiles([EMBEDDED_CHECKS_DIR], 'embedded');
  assert.ok(
    files.every((f) => !f.path.endsWith('_test.rego')),
    'test modules are not loaded for scans',
  );
  const { checks } = buildCheckSet(files, { logger: silentLogger });
  const docker = checks.filter((c) => c.metadata.selectors[0]?.type === 'dockerfile');
  const kubernetes = checks.filter((c) => c.metadata.selectors[0]?.type === 'kubernetes');
  assert.ok(docker.length >= 15, `${docker.length} Dockerfile checks`);
  assert.ok(kubernetes.length >= 25, `${kubernetes.length} Kubernetes checks`);
  const ids = new Set<string>();
  for (const check of checks) {
    const meta = check.metadata;
    assert.match(meta.id, /^VGL-(DF|K8S)-\d{3}$/, check.namespace);
    assert.ok(!ids.has(meta.id), `duplicate id ${meta.id}`);
    ids.add(meta.id);
    assert.ok(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(meta.severity), `${meta.id} severity`);
    for (const field of ['title', 'description', 'recommendedActions'] as const) {
      assert.ok(meta[field].length > 10, `${meta.id} ${field}`);
    }
    assert.ok(meta.references.length > 0 && meta.references.every((r) => r.startsWith('https://')), `${meta.id} refs`);
    assert.equal(check.namespace, `builtin.vigil.${meta.selectors[0]?.type}.${meta.id.replaceAll('-', '_')}`);
  }
});

test('each embedded check has a test module with a failing and a passing case', () => {
  for (const kind of ['dockerfile', 'kubernetes']) {
    const dir = join(EMBEDDED_CHECKS_DIR, kind);
    const checks = readdirSync(dir).filter((name) => name.endsWith('.rego') && !name.endsWith('_test.rego'));
    for (const name of checks) {
      const source = readFileSync(join(dir, name.replace('.rego', '_test.rego')), 'utf8');
      assert.match(source, /count\(r\) == [1-9]/, `${name} has no case that fails the check`);
      assert.match(source, /count\(r\) == 0/, `${name} has no case that passes the check`);
    }
  }
});
