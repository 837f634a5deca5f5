import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectedFiles } from '../../src/analyzer/types.ts';
import { silentLogger } from '../../src/log/index.ts';
import { collectRegoFiles } from '../../src/misconf/check-files.ts';
import { buildCheckSet } from '../../src/misconf/check-set.ts';
import { EMBEDDED_CHECKS_DIR } from '../../src/misconf/checks-bundle.ts';
import { misconfigAnalyzer } from '../../src/misconf/config-files.ts';
import { scanMisconfigurations } from '../../src/misconf/scan.ts';

/** The files a layer walker hands an analyzer, from memory. */
function layerFiles(files: Record<string, string>): CollectedFiles {
  return {
    paths: () => Object.keys(files),
    read: async (path) => Buffer.from(files[path] ?? ''),
    info: (path) => (path in files ? { size: Buffer.byteLength(files[path] ?? ''), mode: 0o644 } : undefined),
  };
}

describe('misconfig analyzer (--scanners misconfig in fs, rootfs and image scans)', () => {
  it('asks for Dockerfile names and YAML/JSON files only', () => {
    const info = { size: 10, mode: 0o644 };
    const wanted = [
      'Dockerfile',
      'build/Dockerfile.prod',
      'srv/app.dockerfile',
      'Containerfile',
      'k8s/deploy.yaml',
      'k8s/svc.YML',
      'x.json',
    ];
    for (const path of wanted) assert.equal(misconfigAnalyzer.required(path, info), true, path);
    for (const path of ['dockerfile', 'Dockerfile.prod.bak', 'README.md', 'app.py', 'Dockerfiles/x']) {
      assert.equal(misconfigAnalyzer.required(path, info), false, path);
    }
    assert.deepEqual(misconfigAnalyzer.scanKinds, ['fs', 'rootfs', 'image']);
  });

  it('keeps Dockerfiles and manifests, drops other YAML and JSON, and feeds the scan', async () => {
    const result = await misconfigAnalyzer.analyze(
      layerFiles({
        'app/Dockerfile': 'FROM alpine:3.20\nUSER root\n',
        'etc/app/config.yaml': 'server:\n  port: 8080\n',
        'usr/share/app/package.json': '{"name": "x", "version": "1.0.0"}',
        'opt/deploy/pod.yaml':
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox\n',
      }),
      { scanKind: 'image', includeDevDeps: false },
    );
    assert.deepEqual(
      (result as { ConfigFiles?: Array<{ path: string }> }).ConfigFiles?.map((f) => f.path),
      ['app/Dockerfile', 'opt/deploy/pod.yaml'],
    );
    const checks = buildCheckSet(await collectRegoFiles([EMBEDDED_CHECKS_DIR], 'embedded'), { logger: silentLogger });
    const files = (result as { ConfigFiles: Array<{ path: string; content: string }> }).ConfigFiles;
    const results = scanMisconfigurations(files, { checks, logger: silentLogger });
    assert.deepEqual(
      results.map((r) => [r.Target, r.Type]),
      [
        ['app/Dockerfile', 'dockerfile'],
        ['opt/deploy/pod.yaml', 'kubernetes'],
      ],
    );
    const root = results[0]?.Misconfigurations?.find((m) => m.ID === 'VGL-DF-001');
    assert.deepEqual([root?.Status, root?.CauseMetadata.StartLine], ['FAIL', 2]);
  });

  it('returns nothing for a layer without config files', async () => {
    assert.deepEqual(
      await misconfigAnalyzer.analyze(layerFiles({ 'a.json': '{}' }), { scanKind: 'fs', includeDevDeps: false }),
      {},
    );
  });
});
