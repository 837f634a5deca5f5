import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as rubySemver from '@renovatebot/ruby-semver';
import { versionScheme } from '../../src/version/index.ts';
import { parseGemVersion } from '../../src/version/rubygems.ts';
import {
  ASSERTION_OPERATORS,
  type AssertionRow,
  type ComparisonRow,
  type ConstraintRow,
  checkRows,
  loadRows,
  outcome,
  pairKey,
  type ValidityRow,
} from './corpus.ts';
import { pick, seededRandom } from './random-versions.ts';

const gem = versionScheme('rubygems');

test('gem.json (rubygems and go-gem-version): every pair, in both directions', () => {
  checkRows(loadRows<ComparisonRow>('gem.json'), pairKey, (row) => ({
    expected: [row.cmp, -row.cmp || 0],
    actual: [outcome(gem.compare(row.a, row.b)), outcome(gem.compare(row.b, row.a))],
  }));
});

test('gem.assertions.json: equality, order and eql? (the same canonical text)', () => {
  checkRows(
    loadRows<AssertionRow>('gem.assertions.json'),
    (row) => `${row.a} ${row.op} ${row.b}`,
    (row) => {
      if (row.op === 'eql') {
        const [a, b] = [parseGemVersion(row.a), parseGemVersion(row.b)];
        return { expected: row.expect, actual: a.ok && b.ok && a.value.text === b.value.text };
      }
      const order = gem.compare(row.a, row.b);
      return { expected: row.expect, actual: order.ok && ASSERTION_OPERATORS[row.op]?.includes(order.value) };
    },
  );
});

test('gem.valid.json: validity', () => {
  checkRows(
    loadRows<ValidityRow>('gem.valid.json'),
    (row) => JSON.stringify(row.version),
    (row) => ({ expected: row.valid, actual: gem.isValid(row.version) }),
  );
});

test('gem.constraints.json (Gem::Requirement satisfied_by? and go-gem-version)', () => {
  const rows = loadRows<ConstraintRow>('gem.constraints.json');
  checkRows(
    rows,
    (row) => `${row.src.split(':')[0]}: ${JSON.stringify(row.version)} ~ ${JSON.stringify(row.constraint)}`,
    (row) => ({ expected: row.match, actual: outcome(gem.satisfies(row.version, row.constraint)) }),
  );
  assert.equal(rows.length, 222);
});

test('random versions order as @renovatebot/ruby-semver (a port of Gem::Version) orders them', () => {
  const random = seededRandom(1234);
  // Lower-case words only: ruby-semver orders `A` after `a`, where Ruby and go-gem-version compare
  // bytes (`A` < `a`); that case is checked on its own below.
  const piece = () => pick(random, ['0', '1', '2', '10', '01', 'a', 'b', 'pre', 'rc', 'beta', 'z']);
  const version = () => {
    let text = pick(random, ['0', '1', '2', '10']);
    const count = Math.floor(random() * 5);
    for (let i = 0; i < count; i++) text += `${pick(random, ['.', '.', '-'])}${piece()}`;
    return text;
  };
  const disagreements: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const [a, b] = [version(), version()];
    const ours = gem.compare(a, b);
    if (!rubySemver.valid(a) || !rubySemver.valid(b)) continue;
    const theirs = rubySemver.lt(a, b) ? -1 : rubySemver.eq(a, b) ? 0 : 1;
    if (outcome(ours) !== theirs) disagreements.push(`${a} vs ${b}: ${outcome(ours)} / ${theirs}`);
  }
  assert.deepEqual(disagreements, []);
});

test('words compare as bytes, as in Ruby and go-gem-version: 1.A < 1.a', () => {
  assert.deepEqual(gem.compare('1.A', '1.a'), { ok: true, value: -1 });
});

test("Trivy's RubyGems cases: platform suffixes read as pre-releases, `~>` bounds", () => {
  assert.deepEqual(gem.satisfies('1.9.25-x86-mingw32', '>=1.9.24'), { ok: true, value: true });
  assert.deepEqual(gem.satisfies('1.8.6-java', '~> 1.5.5 || ~> 1.6.8 || >= 1.7.7'), { ok: true, value: true });
  assert.deepEqual(gem.satisfies('1.6.9', '~> 1.5.5 || ~> 1.6.8'), { ok: true, value: true });
  assert.deepEqual(gem.satisfies('1.7.0', '~> 1.5.5 || ~> 1.6.8'), { ok: true, value: false });
  assert.deepEqual(gem.satisfies('4.1a', '< 4.2b1'), { ok: true, value: true });
  assert.equal(gem.satisfies('1.2.4', '!1.2.0').ok, false);
});
