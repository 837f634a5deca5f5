import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type SchemeName, satisfiesConstraint } from '../../src/version/index.ts';

/**
 * go-version's constraint grammar, as the schemes built on it read it: an alternative without a
 * term is an improper constraint (go-version's constraint regexp matches no empty alternative),
 * except in strict SemVer, where it means any version.
 */
test('an empty alternative is an improper constraint in generic, RubyGems and Maven operator constraints', () => {
  for (const scheme of ['generic', 'rubygems', 'maven'] as const satisfies readonly SchemeName[]) {
    for (const constraint of ['>= 1.0 ||', '|| < 2', '>= 1.0 || || < 2']) {
      const result = satisfiesConstraint(scheme, '1.5', constraint);
      assert.ok(!result.ok && result.error.includes(`improper constraint: ${constraint}`), `${scheme}: ${constraint}`);
    }
    assert.deepEqual(satisfiesConstraint(scheme, '1.5', '>= 1.0, < 2 || > 3'), { ok: true, value: true }, scheme);
  }
  assert.deepEqual(satisfiesConstraint('semver', '1.5.0', '>= 2.0.0 ||'), { ok: true, value: true });
});
