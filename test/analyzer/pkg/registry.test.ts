import assert from 'node:assert/strict';
import { test } from 'node:test';
import { osAnalyzers } from '../../../src/analyzer/os/index.ts';
import { pkgAnalyzers } from '../../../src/analyzer/pkg/index.ts';

test('OS and package analyzers are ready to register: unique types, installed-metadata scans only', () => {
  const all = [...osAnalyzers, ...pkgAnalyzers];
  assert.equal(osAnalyzers.length, 15);
  assert.deepEqual(
    pkgAnalyzers.map((analyzer) => analyzer.type),
    ['dpkg', 'apk', 'rpm'],
  );
  assert.equal(new Set(all.map((analyzer) => analyzer.type)).size, all.length);
  for (const analyzer of all) {
    assert.deepEqual(analyzer.scanKinds, ['rootfs', 'image'], analyzer.type);
    assert.ok(Number.isInteger(analyzer.version) && analyzer.version > 0, analyzer.type);
  }
  // Each database file is claimed by exactly one analyzer.
  const info = { size: 100, mode: 0o644 };
  for (const path of ['var/lib/dpkg/status', 'lib/apk/db/installed', 'var/lib/rpm/rpmdb.sqlite', 'etc/os-release']) {
    assert.equal(all.filter((analyzer) => analyzer.required(path, info)).length, 1, path);
  }
});
