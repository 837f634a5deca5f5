import assert from 'node:assert/strict';
import { test } from 'node:test';
import { versionScheme } from '../../src/version/index.ts';

const bitnami = versionScheme('bitnami');

// The rules github.com/bitnami/go-version documents in its README, which Trivy matches Bitnami advisories with.
test('a Bitnami revision sorts after the bare version and by number', () => {
  assert.deepEqual(bitnami.compare('1.2.3-1', '1.2.3'), { ok: true, value: 1 });
  assert.deepEqual(bitnami.compare('1.2.3-2', '1.2.3-10'), { ok: true, value: -1 });
  assert.deepEqual(bitnami.compare('1.2.4', '1.2.3-99'), { ok: true, value: 1 });
  assert.deepEqual(bitnami.satisfies('2.0.0', '>2.0.0-2'), { ok: true, value: false });
  assert.deepEqual(bitnami.satisfies('2.0.0-1', '>2.0.0'), { ok: true, value: true });
});

test('missing components mean any, or 0 with zeroPadding', () => {
  assert.deepEqual(bitnami.satisfies('3.1.3', '= 3'), { ok: true, value: true });
  assert.deepEqual(bitnami.satisfies('2.2.3', '> 2'), { ok: true, value: false });
  assert.deepEqual(bitnami.satisfies('3.3.9', '= 3.3'), { ok: true, value: true });
  assert.deepEqual(bitnami.satisfies('2.3.4', '= 2', { zeroPadding: true }), { ok: true, value: false });
});

test('comma for AND, || for OR, ^ and ~ ranges', () => {
  assert.deepEqual(bitnami.satisfies('2.1.0', '>= 1.0, < 1.4 || > 2.0'), { ok: true, value: true });
  assert.deepEqual(bitnami.satisfies('1.5.0', '>= 1.0, < 1.4 || > 2.0'), { ok: true, value: false });
  assert.deepEqual(bitnami.satisfies('1.9.0-3', '^1.2.3'), { ok: true, value: true });
  assert.deepEqual(bitnami.satisfies('1.3.0', '~1.2.3'), { ok: true, value: false });
  assert.equal(bitnami.satisfies('1.2.3', '>= bar').ok, false);
  assert.equal(bitnami.isValid('1.2'), false);
});
