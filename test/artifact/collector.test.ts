import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Analyzer, CollectedFiles } from '../../src/analyzer/types.ts';
import { FileCollector } from '../../src/artifact/collector.ts';
import { NO_SKIPS } from '../../src/artifact/path-filter.ts';
import { silentLogger } from '../../src/log/index.ts';

const context = { scanKind: 'image' as const, includeDevDeps: false };

/** An analyzer that records how it was called: which paths each call saw. */
function recording(independentFiles: boolean): Analyzer & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    type: independentFiles ? 'standalone' : 'grouped',
    version: 1,
    scanKinds: ['image'],
    independentFiles,
    calls,
    required: (path) => path.endsWith('.bin'),
    analyze: async (files: CollectedFiles) => {
      calls.push([...files.paths()]);
      const bytes = await Promise.all(files.paths().map((path) => files.read(path)));
      return {
        Applications: files.paths().map((path, index) => ({
          Type: 'x',
          FilePath: path,
          Packages: [{ Name: path, Version: String(bytes[index]?.length) }],
        })),
      };
    },
  };
}

describe('collecting files for analyzers', () => {
  it('analyzes standalone files as they arrive and groups the rest at the end of the layer', async () => {
    const standalone = recording(true);
    const grouped = recording(false);
    const collector = new FileCollector([standalone, grouped], NO_SKIPS, context, silentLogger);
    for (const name of ['a.bin', 'b.bin', 'c.txt']) {
      const info = { size: 3, mode: 0o755 };
      if (collector.wants(name, info)) await collector.file(name, info, Buffer.from('abc'));
    }
    assert.deepEqual(standalone.calls, [['a.bin'], ['b.bin']], 'one call per file, during the walk');
    assert.deepEqual(grouped.calls, []);
    const result = await collector.analyze();
    assert.deepEqual(grouped.calls, [['a.bin', 'b.bin']]);
    assert.equal(result.Applications?.length, 4);
  });

  it('turns one analyzer failure into a warning and keeps the others', async () => {
    const failing: Analyzer = {
      type: 'broken',
      version: 1,
      scanKinds: ['image'],
      required: () => true,
      analyze: async () => {
        throw new Error('bad input');
      },
    };
    const grouped = recording(false);
    const collector = new FileCollector([failing, grouped], NO_SKIPS, context, silentLogger);
    const info = { size: 1, mode: 0o644 };
    collector.wants('x.bin', info);
    await collector.file('x.bin', info, Buffer.from('x'));
    const result = await collector.analyze();
    assert.equal(result.Applications?.length, 1);
    assert.match(result.Warnings?.[0] ?? '', /analyzer broken failed on x\.bin: bad input/);
  });
});
