import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  advisoryBucketPrefix,
  formatPackageVersion,
  isAlpineVulnerable,
  isOlderThanFixed,
  languageEcosystem,
  normalizePackageName,
  osVersionScheme,
  UNCHECKED_APPLICATION_TYPES,
} from '../../src/version/index.ts';
import { checkRows } from './corpus.ts';

test('application types map to the ecosystem and comparer of Trivy driver.go NewDriver', () => {
  const expected: Record<string, [string, string]> = {
    bundler: ['rubygems', 'rubygems'],
    gemspec: ['rubygems', 'rubygems'],
    rustbinary: ['cargo', 'generic'],
    cargo: ['cargo', 'generic'],
    composer: ['composer', 'generic'],
    'composer-vendor': ['composer', 'generic'],
    gobinary: ['go', 'generic'],
    gomod: ['go', 'generic'],
    jar: ['maven', 'maven'],
    pom: ['maven', 'maven'],
    gradle: ['maven', 'maven'],
    sbt: ['maven', 'maven'],
    npm: ['npm', 'npm'],
    yarn: ['npm', 'npm'],
    pnpm: ['npm', 'npm'],
    bun: ['npm', 'npm'],
    'node-pkg': ['npm', 'npm'],
    javascript: ['npm', 'npm'],
    nuget: ['nuget', 'generic'],
    'dotnet-core': ['nuget', 'generic'],
    'packages-props': ['nuget', 'generic'],
    pipenv: ['pip', 'pep440'],
    poetry: ['pip', 'pep440'],
    pip: ['pip', 'pep440'],
    'python-pkg': ['pip', 'pep440'],
    uv: ['pip', 'pep440'],
    pub: ['pub', 'generic'],
    hex: ['erlang', 'generic'],
    conan: ['conan', 'generic'],
    swift: ['swift', 'generic'],
    cocoapods: ['cocoapods', 'rubygems'],
    bitnami: ['bitnami', 'bitnami'],
    kubernetes: ['k8s', 'generic'],
    julia: ['julia', 'generic'],
  };
  for (const [type, [ecosystem, scheme]] of Object.entries(expected)) {
    const found = languageEcosystem(type);
    assert.deepEqual([found?.ecosystem, found?.scheme], [ecosystem, scheme], type);
    assert.equal(advisoryBucketPrefix(found?.ecosystem ?? 'npm'), `${ecosystem}::`);
  }
  assert.deepEqual(languageEcosystem('npm')?.matchOptions, { includePrerelease: true });
  assert.deepEqual(languageEcosystem('poetry')?.matchOptions, { includePrerelease: true });
  assert.deepEqual(languageEcosystem('jar')?.matchOptions, {});
  for (const type of ['conda-pkg', 'conda-environment', 'unknown', 'toString'])
    assert.equal(languageEcosystem(type), undefined);
  assert.ok(UNCHECKED_APPLICATION_TYPES.has('conda-pkg'));
});

test('package names as trivy-db keys them', () => {
  checkRows(
    [
      ['pip', 'Django_Rest-Framework', 'django-rest-framework'],
      ['nuget', 'Newtonsoft.Json', 'newtonsoft.json'],
      ['npm', '@Babel/Core', '@babel/core'],
      ['maven', 'org.Apache.Logging.Log4j:Log4j-Core', 'org.apache.logging.log4j:log4j-core'],
      ['go', 'github.com/Masterminds/vcs', 'github.com/Masterminds/vcs'],
      ['cocoapods', 'SwiftNIO', 'SwiftNIO'],
      ['julia', 'HTTP', 'HTTP'],
      ['swift', 'https://git.example.com/Apple/swift-nio.git', 'git.example.com/Apple/swift-nio'],
      ['rubygems', 'ActiveSupport', 'activesupport'],
      ['composer', 'Symfony/Symfony', 'symfony/symfony'],
    ] as const,
    ([ecosystem, name]) => `${ecosystem}: ${name}`,
    ([ecosystem, name, expected]) => ({ expected, actual: normalizePackageName(ecosystem, name) }),
  );
});

test('OS families map to the order Trivy compares their packages in', () => {
  const expected: Record<string, string | undefined> = {
    debian: 'deb',
    ubuntu: 'deb',
    amazon: 'deb',
    echo: 'deb',
    redhat: 'rpm',
    centos: 'rpm',
    rocky: 'rpm',
    alma: 'rpm',
    oracle: 'rpm',
    fedora: 'rpm',
    sles: 'rpm',
    'opensuse-leap': 'rpm',
    photon: 'rpm',
    'cbl-mariner': 'rpm',
    azurelinux: 'rpm',
    alpine: 'apk',
    wolfi: 'apk',
    chainguard: 'apk',
    minimos: 'apk',
    bottlerocket: undefined,
    windows: undefined,
  };
  for (const [family, scheme] of Object.entries(expected)) assert.equal(osVersionScheme(family), scheme, family);
});

test('formatPackageVersion writes [epoch:]version[-release] as Trivy prints installed versions', () => {
  assert.equal(formatPackageVersion(0, '1.2.3', '4.el8'), '1.2.3-4.el8');
  assert.equal(formatPackageVersion(2, '1.2.3', ''), '2:1.2.3');
  assert.equal(formatPackageVersion(undefined, '1.0', undefined), '1.0');
  assert.deepEqual(isOlderThanFixed('rpm', formatPackageVersion(1, '1.0', '1'), '1:1.0-2'), { ok: true, value: true });
  assert.equal(isOlderThanFixed('deb', 'invalid', '1.0').ok, false);
});

interface AlpineCase {
  name: string;
  packages: { SrcName: string; SrcVersion: string; SrcRelease: string | null; SrcEpoch: number | null }[];
  want: { VulnerabilityID: string; FixedVersion: string }[];
}

interface AlpineBucket {
  bucket: string;
  pairs: { bucket: string; pairs: { key: string; value: { FixedVersion?: string; AffectedVersion?: string } }[] }[];
}

test("Trivy's Alpine detector cases: fixed versions, unfixed advisories, affected lower bounds, invalid versions", () => {
  const directory = new URL('../fixtures/version/trivy-alpine/', import.meta.url);
  const buckets = parseYaml(readFileSync(new URL('alpine.yaml', directory), 'utf8')) as AlpineBucket[];
  const advisories = buckets.find((b) => b.bucket === 'alpine 3.10')?.pairs ?? [];
  const cases = JSON.parse(readFileSync(new URL('detect-cases.json', directory), 'utf8')) as AlpineCase[];
  checkRows(
    cases,
    (row) => row.name,
    (row) => ({
      expected: row.want,
      actual: row.packages.flatMap((pkg) => {
        const installed = formatPackageVersion(pkg.SrcEpoch ?? 0, pkg.SrcVersion, pkg.SrcRelease ?? '');
        const entries = advisories.find((p) => p.bucket === pkg.SrcName)?.pairs ?? [];
        return entries
          .filter(({ value }) => {
            const verdict = isAlpineVulnerable(installed, value);
            return verdict.ok && verdict.value;
          })
          .map(({ key, value }) => ({ VulnerabilityID: key, FixedVersion: value.FixedVersion ?? '' }));
      }),
    }),
  );
  assert.deepEqual(isAlpineVulnerable('2.6.4', { AffectedVersion: '2.6.5' }), { ok: true, value: false });
  assert.deepEqual(isAlpineVulnerable('2.6.5', { AffectedVersion: '2.6.5' }), { ok: true, value: true });
  assert.equal(isAlpineVulnerable('invalid', {}).ok, false);
});
