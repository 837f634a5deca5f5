import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  type AdvisoryRanges,
  advisoryBucketPrefix,
  advisoryFixedVersion,
  isVulnerable,
  languageEcosystem,
  matchAdvisory,
  normalizePackageName,
  versionScheme,
} from '../../src/version/index.ts';
import type { MatchOptions, SchemeName } from '../../src/version/types.ts';
import { checkRows, loadRows } from './corpus.ts';

interface AdvisoryMatchRow {
  ecosystem: 'bitnami' | 'generic' | 'maven' | 'npm' | 'pep440' | 'rubygems';
  name: string;
  version: string;
  advisory: AdvisoryRanges;
  vulnerable: boolean | null;
  options?: { allowLocalSpecifier?: boolean };
}

/** Trivy's comparers as its compare tests build them: npm and PEP 440 with pre-releases included. */
const COMPARER_OPTIONS: Partial<Record<SchemeName, MatchOptions>> = {
  npm: { includePrerelease: true },
  pep440: { includePrerelease: true },
};

test("advisory-match.trivy.json: Trivy's compare.IsVulnerable tests for every comparer", () => {
  const rows = loadRows<AdvisoryMatchRow>('advisory-match.trivy.json');
  checkRows(
    rows,
    (row) => `${row.ecosystem}: ${row.name}`,
    (row) => {
      const options = { ...COMPARER_OPTIONS[row.ecosystem], allowLocalSpecifier: row.options?.allowLocalSpecifier };
      // A Go test case without `want` expects false.
      return {
        expected: row.vulnerable ?? false,
        actual: matchAdvisory(versionScheme(row.ecosystem), row.version, row.advisory, options).vulnerable,
      };
    },
  );
  assert.equal(rows.length, 56);
});

test('a range that does not parse gives "not vulnerable" with the reason', () => {
  const verdict = matchAdvisory(versionScheme('npm'), '1.2.4', { VulnerableVersions: ['!1.0.0'] });
  assert.equal(verdict.vulnerable, false);
  assert.match(verdict.error ?? '', /invalid npm range/);
  assert.deepEqual(
    matchAdvisory(versionScheme('generic'), '1.2..4', { VulnerableVersions: ['<1.0.0'] }).vulnerable,
    false,
  );
});

test('isVulnerable applies the ecosystem scheme and its options: npm and pip include pre-releases', () => {
  const lts = { VulnerableVersions: ['>=1.4.4-lts.1, <2.0.0'], PatchedVersions: ['2.0.0'] };
  assert.equal(isVulnerable('npm', '1.45.1-lts.1', lts).vulnerable, true);
  assert.equal(matchAdvisory(versionScheme('npm'), '1.45.1-lts.1', lts).vulnerable, false);
  assert.equal(isVulnerable('pip', '2.0a1', { VulnerableVersions: ['<2.0'] }).vulnerable, true);
  assert.equal(isVulnerable('cocoapods', '1.8.6', { PatchedVersions: ['~> 1.5.5', '>= 1.7.7'] }).vulnerable, false);
  assert.equal(isVulnerable('go', 'v1.13.1', { VulnerableVersions: ['<v1.13.2'] }).vulnerable, true);
  assert.equal(
    isVulnerable('pip', '4.2.8+sp1', { VulnerableVersions: ['== 4.2.8'] }, { allowLocalSpecifier: true }).vulnerable,
    false,
  );
});

test('advisoryFixedVersion: patched ranges, else the `<` bounds of the vulnerable ranges, without duplicates', () => {
  assert.equal(advisoryFixedVersion({ PatchedVersions: ['>= 4.2.2', '~> 4.1.11'] }), '>= 4.2.2, ~> 4.1.11');
  assert.equal(
    advisoryFixedVersion({ VulnerableVersions: ['>= 4.4.0, < 4.4.7', '<4.4.7', '<=5.0', '>=6, <6.1'] }),
    '4.4.7, 6.1',
  );
  assert.equal(advisoryFixedVersion({ PatchedVersions: ['1.2', '1.2'] }), '1.2');
  assert.equal(advisoryFixedVersion({}), '');
});

interface Bucket {
  bucket?: string;
  key?: string;
  value?: AdvisoryRanges & { VendorIDs?: string[] };
  pairs?: Bucket[];
}

interface DriverCase {
  name: string;
  libType: string;
  fixtures: string[];
  pkgName: string;
  pkgVer: string;
  want: { VulnerabilityID: string; InstalledVersion: string; FixedVersion: string; VendorIDs: string[] | null }[];
}

/** Trivy's `ftypes` constants the driver cases name, as Vigil's application types. */
const APPLICATION_TYPES: Readonly<Record<string, string>> = {
  Composer: 'composer',
  GoModule: 'gomod',
  GoBinary: 'gobinary',
  Julia: 'julia',
  Bundler: 'bundler',
  PythonPkg: 'python-pkg',
};

/**
 * Trivy's library driver over its own test DB (trivy pkg/detector/library/driver_test.go): bucket
 * prefix, name normalisation, matching and FixedVersion must give the expected findings. Supplier
 * cases (Seal) are the detector's and are left to its tests.
 */
test("Trivy's library driver cases: bucket prefix, name normalisation, matching and FixedVersion", () => {
  const directory = new URL('../fixtures/version/trivy-library/', import.meta.url);
  const cases = JSON.parse(readFileSync(new URL('driver-cases.json', directory), 'utf8')) as DriverCase[];
  checkRows(
    cases,
    (row) => row.name,
    (row) => {
      const ecosystem = languageEcosystem(APPLICATION_TYPES[row.libType] ?? '');
      assert.ok(ecosystem, row.libType);
      const roots = row.fixtures.flatMap(
        (file) => parseYaml(readFileSync(new URL(file, directory), 'utf8')) as Bucket[],
      );
      const prefix = advisoryBucketPrefix(ecosystem.ecosystem);
      const name = normalizePackageName(ecosystem.ecosystem, row.pkgName);
      // Buckets in byte order; a later bucket's advisory for the same ID wins (trivy-db forEach).
      const advisories = new Map<string, AdvisoryRanges & { VendorIDs?: string[] }>();
      for (const root of roots
        .filter((r) => r.bucket?.startsWith(prefix))
        .sort((a, b) => ((a.bucket ?? '') < (b.bucket ?? '') ? -1 : 1))) {
        for (const entry of root.pairs?.find((p) => p.bucket === name)?.pairs ?? []) {
          if (entry.key !== undefined && entry.value !== undefined) advisories.set(entry.key, entry.value);
        }
      }
      const found = [...advisories]
        .filter(([, ranges]) => isVulnerable(ecosystem.ecosystem, row.pkgVer, ranges).vulnerable)
        .map(([id, ranges]) => ({
          VulnerabilityID: id,
          InstalledVersion: row.pkgVer,
          FixedVersion: advisoryFixedVersion(ranges),
          VendorIDs: ranges.VendorIDs ?? null,
        }));
      return { expected: row.want, actual: found };
    },
  );
  assert.equal(cases.length, 9);
});
