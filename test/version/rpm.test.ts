import assert from 'node:assert/strict';
import { test } from 'node:test';
import { versionScheme } from '../../src/version/index.ts';
import { compareRpmSegments, parseRpmVersion } from '../../src/version/rpm.ts';
import type { Comparison } from '../../src/version/types.ts';
import { type ComparisonRow, checkRows, loadRows, outcome, pairKey } from './corpus.ts';
import { goCompare, rpmCompare } from './oracles.ts';
import { rpmVersion, seededRandom, versionPairs } from './random-versions.ts';

const rpm = versionScheme('rpm');
const flip = (order: unknown) => (order === 1 ? -1 : order === -1 ? 1 : order);

test('rpm.json (rpm rpmvercmp.at and go-rpm-version): every pair, in both directions', () => {
  const rows = loadRows<ComparisonRow>('rpm.json');
  // `rpmvercmp` rows compare one field as rpmvercmp does; `evr` rows compare whole [epoch:]version-release strings.
  const compare = (row: ComparisonRow, a: string, b: string): unknown =>
    row.kind === 'rpmvercmp' ? compareRpmSegments(a, b) : outcome(rpm.compare(a, b));
  const result = checkRows(
    rows,
    (row) => `${row.kind}: ${pairKey(row)}`,
    (row) => ({ expected: [row.cmp, flip(row.cmp)], actual: [compare(row, row.a, row.b), compare(row, row.b, row.a)] }),
  );
  assert.equal(result.checked, 4656);
});

test('rpm.parse.json: epoch, version and release as go-rpm-version splits them', () => {
  const rows = loadRows<{ input: string; epoch: number; version: string; release: string }>('rpm.parse.json');
  checkRows(
    rows,
    (row) => JSON.stringify(row.input),
    (row) => {
      const parsed = parseRpmVersion(row.input);
      return {
        expected: { epoch: row.epoch, version: row.version, release: row.release },
        actual: parsed.ok ? parsed.value : parsed.error,
      };
    },
  );
});

test('random RPM versions with ~ and ^: the order rpm.vercmp gives', () => {
  const pairs = versionPairs(seededRandom(4242), 3000, (random) => rpmVersion(random, true), '0123456789.~^_+aZ');
  // rpm splits the release at the last `-`, go-rpm-version (Trivy) at the first; rpm also keeps an
  // empty release apart from none, and reads a non-numeric "epoch" as part of the version where
  // go-rpm-version reads it as epoch 0. Mutations that create such shapes are not comparable here.
  const comparable = pairs.filter(([a, b]) =>
    [a, b].every((v) => (v.match(/-/g) ?? []).length <= 1 && !v.endsWith('-') && /^([0-9]+:)?[^:]*$/.test(v)),
  );
  const answers = rpmCompare(comparable);
  const checked = comparable
    .map(([a, b], i) => ({ a, b, rpm: answers[i], ours: outcome(rpm.compare(a, b)) }))
    .filter((row) => row.rpm !== 'error');
  assert.ok(checked.length > 2500, `enough pairs rpm could compare (${checked.length})`);
  assert.deepEqual(
    checked.filter((row) => row.rpm !== row.ours),
    [],
  );
});

test("random RPM versions: the order of Trivy's go-rpm-version", () => {
  // Debian packages go-rpm-version from before `^` support, so carets are left out.
  const pairs = versionPairs(seededRandom(99), 3000, (random) => rpmVersion(random, false), '0123456789.~_+-:aZ');
  const answers = goCompare('rpm', pairs);
  const disagreements = pairs
    .map(([a, b], i) => ({ a, b, go: answers[i], ours: outcome(rpm.compare(a, b)) }))
    .filter((row) => row.go !== row.ours);
  assert.deepEqual(disagreements, []);
});

test('^ sorts after the end of a version and before anything else (rpm 4.15+)', () => {
  const ordered = ['1.0~rc1', '1.0', '1.0^', '1.0^git1', '1.0^git2', '1.0.1'];
  for (let i = 0; i + 1 < ordered.length; i++) {
    const [a, b] = [ordered[i] as string, ordered[i + 1] as string];
    assert.deepEqual(rpm.compare(a, b), { ok: true, value: -1 as Comparison }, `${a} < ${b}`);
  }
  assert.deepEqual(
    rpmCompare(ordered.slice(1).map((b, i) => [ordered[i] as string, b] as const)),
    [-1, -1, -1, -1, -1],
  );
});

test('an empty version satisfies no constraint, while any string is a comparable RPM version', () => {
  assert.deepEqual(rpm.compare('', '1.0'), { ok: true, value: -1 });
  assert.equal(rpm.satisfies('', '>=1.0').ok, false);
});
