import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PackageURL } from 'packageurl-js';
import { formatPurl, languagePurl, purlTypeOf } from '../../../src/analyzer/purl.ts';

// Language rows of Trivy's pkg/purl/purl_test.go TestNewPackageURL (aquasecurity/trivy, Apache-2.0),
// written as the strings packageurl-go v0.1.3 prints for those structs.
const TRIVY_CASES: {
  name: string;
  type: string;
  pkg: { Name: string; Version: string; ID?: string };
  want?: string;
}[] = [
  {
    name: 'maven',
    type: 'jar',
    pkg: { Name: 'org.springframework:spring-core', Version: '5.3.14' },
    want: 'pkg:maven/org.springframework/spring-core@5.3.14',
  },
  {
    name: 'gradle',
    type: 'gradle',
    pkg: { Name: 'org.springframework:spring-core', Version: '5.3.14' },
    want: 'pkg:maven/org.springframework/spring-core@5.3.14',
  },
  {
    name: 'sbt',
    type: 'sbt',
    pkg: { Name: 'org.typelevel:cats-core_2.12', Version: '2.9.0' },
    want: 'pkg:maven/org.typelevel/cats-core_2.12@2.9.0',
  },
  {
    name: 'yarn scoped',
    type: 'yarn',
    pkg: { Name: '@xtuc/ieee754', Version: '1.2.0' },
    want: 'pkg:npm/%40xtuc/ieee754@1.2.0',
  },
  { name: 'yarn', type: 'yarn', pkg: { Name: 'lodash', Version: '4.17.21' }, want: 'pkg:npm/lodash@4.17.21' },
  {
    name: 'pnpm scoped',
    type: 'pnpm',
    pkg: { Name: '@xtuc/ieee754', Version: '1.2.0' },
    want: 'pkg:npm/%40xtuc/ieee754@1.2.0',
  },
  {
    name: 'pypi',
    type: 'python-pkg',
    pkg: { Name: 'Django_test', Version: '1.2.0' },
    want: 'pkg:pypi/django-test@1.2.0',
  },
  { name: 'conda', type: 'conda-pkg', pkg: { Name: 'absl-py', Version: '0.4.1' }, want: 'pkg:conda/absl-py@0.4.1' },
  { name: 'conda env', type: 'conda-environment', pkg: { Name: 'blas', Version: '1.0' }, want: 'pkg:conda/blas@1.0' },
  {
    name: 'composer',
    type: 'composer',
    pkg: { Name: 'symfony/contracts', Version: 'v1.0.2' },
    want: 'pkg:composer/symfony/contracts@v1.0.2',
  },
  {
    name: 'golang',
    type: 'gomod',
    pkg: { Name: 'github.com/go-sql-driver/Mysql', Version: 'v1.5.0' },
    want: 'pkg:golang/github.com/go-sql-driver/mysql@v1.5.0',
  },
  {
    name: 'golang local path',
    type: 'gomod',
    pkg: { Name: './private_repos/cnrm.googlesource.com/cnrm/', Version: '' },
  },
  { name: 'hex', type: 'hex', pkg: { ID: 'bunt@0.2.0', Name: 'bunt', Version: '0.2.0' }, want: 'pkg:hex/bunt@0.2.0' },
  { name: 'dart', type: 'pub', pkg: { Name: 'http', Version: '0.13.2' }, want: 'pkg:pub/http@0.13.2' },
  {
    name: 'swift',
    type: 'swift',
    pkg: { Name: 'github.com/apple/swift-atomics', Version: '1.1.0' },
    want: 'pkg:swift/github.com/apple/swift-atomics@1.1.0',
  },
  {
    name: 'cocoapods subspec',
    type: 'cocoapods',
    pkg: { Name: 'GoogleUtilities/NSData+zlib', Version: '7.5.2' },
    want: 'pkg:cocoapods/GoogleUtilities@7.5.2#NSData+zlib',
  },
  {
    name: 'rust binary',
    type: 'rustbinary',
    pkg: { Name: 'abomination', Version: '0.7.3' },
    want: 'pkg:cargo/abomination@0.7.3',
  },
  {
    name: 'packages.props',
    type: 'packages-props',
    pkg: { Name: 'Newtonsoft.Json', Version: '9.0.1' },
    want: 'pkg:nuget/Newtonsoft.Json@9.0.1',
  },
  {
    name: 'julia',
    type: 'julia',
    pkg: { ID: 'ade2ca70-3891-5945-98fb-dc099432e06a', Name: 'Dates', Version: '1.9.0' },
    want: 'pkg:julia/Dates@1.9.0?uuid=ade2ca70-3891-5945-98fb-dc099432e06a',
  },
];

test('Trivy purl_test.go language cases', () => {
  for (const c of TRIVY_CASES) assert.equal(languagePurl(c.type, c.pkg), c.want, c.name);
});

test('escaping follows packageurl-go: + and : in versions are encoded, as in Trivy reports', () => {
  // Trivy's table output for a Go binary shows `pkg:golang/github.com/docker/docker@v28.3.3%2Bincompatible`.
  assert.equal(
    languagePurl('gobinary', { Name: 'github.com/docker/docker', Version: 'v28.3.3+incompatible' }),
    'pkg:golang/github.com/docker/docker@v28.3.3%2Bincompatible',
  );
  assert.equal(languagePurl('npm', { Name: 'a b', Version: '1:2' }), 'pkg:npm/a%20b@1%3A2');
  assert.equal(
    formatPurl({ type: 'generic', name: 'n', version: 'v', qualifiers: { z: 'a b/c', a: '1' }, subpath: "x y/'z'!" }),
    'pkg:generic/n@v?a=1&z=a+b%2Fc#x%20y/%27z%27!',
  );
  assert.equal(languagePurl('cargo', { Name: 'é', Version: '1' }), 'pkg:cargo/%C3%A9@1');
  assert.equal(languagePurl('npm', { Name: '', Version: '1' }), undefined);
});

test('types: every Trivy language type has its PURL type; unknown types pass through', () => {
  assert.equal(purlTypeOf('bun'), 'npm');
  assert.equal(purlTypeOf('uv'), 'pypi');
  assert.equal(purlTypeOf('composer-vendor'), 'composer');
  assert.equal(purlTypeOf('dotnet-core'), 'nuget');
  assert.equal(purlTypeOf('bitnami'), 'bitnami');
  assert.equal(purlTypeOf('constructor'), 'constructor');
  assert.equal(languagePurl('gemspec', { Name: 'rack', Version: '2.0.0' }), 'pkg:gem/rack@2.0.0');
  assert.equal(languagePurl('conan', { Name: 'zlib', Version: '1.2.13' }), 'pkg:conan/zlib@1.2.13');
});

test('packageurl-js reads every PURL back to the same parts', () => {
  for (const c of TRIVY_CASES) {
    const purl = languagePurl(c.type, c.pkg);
    if (!purl) continue;
    const parsed = PackageURL.fromString(purl);
    const rebuilt = formatPurl({
      type: parsed.type,
      namespace: parsed.namespace ?? '',
      name: parsed.name,
      version: parsed.version ?? '',
      qualifiers: (parsed.qualifiers ?? {}) as Record<string, string>,
      subpath: parsed.subpath ?? '',
    });
    assert.equal(rebuilt, purl, c.name);
  }
});
