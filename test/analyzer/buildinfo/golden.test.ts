import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildDockerfileAnalyzer, contentManifestAnalyzer } from '../../../src/analyzer/buildinfo/index.ts';
import type { Analyzer, BuildInfo } from '../../../src/analyzer/types.ts';
import { goldenCases, imageContext, memoryFiles } from './layer-files.ts';

/**
 * Trivy's own tables for its two build-information analyzers
 * (pkg/fanal/analyzer/buildinfo/{content_manifest,dockerfile}_test.go), over its testdata.
 */

const fixtures = fileURLToPath(new URL('../../fixtures/analyzer-buildinfo/', import.meta.url));

interface AnalyzeCase {
  name: string;
  input?: string;
  inputFile?: string;
  want?: { BuildInfo: BuildInfo } | null;
  wantErr?: string;
}

interface RequiredCase {
  name: string;
  filePath: string;
  want: boolean;
}

/** The upstream test hands the analyzer a testdata path; an image holds the same file under `layerDir`. */
async function analyzeCase(analyzer: Analyzer, testCase: AnalyzeCase, layerDir: string) {
  const input = (testCase.input ?? testCase.inputFile) as string;
  const name = input.slice(input.lastIndexOf('/') + 1);
  const bytes = readFileSync(`${fixtures}trivy/${input.slice('testdata/'.length)}`);
  return analyzer.analyze(memoryFiles({ [`${layerDir}${name}`]: bytes }), imageContext);
}

const tables = [
  {
    analyzer: contentManifestAnalyzer,
    expected: 'content_manifest_test',
    analyzeFunc: 'Test_contentManifestAnalyzer_Analyze',
    requiredFunc: 'Test_contentManifestAnalyzer_Required',
    layerDir: 'root/buildinfo/content_manifests/',
  },
  {
    analyzer: buildDockerfileAnalyzer,
    expected: 'dockerfile_test',
    analyzeFunc: 'Test_dockerfileAnalyzer_Analyze',
    requiredFunc: 'Test_dockerfileAnalyzer_Required',
    layerDir: 'root/buildinfo/',
  },
];

for (const table of tables) {
  const golden = `${fixtures}expected/${table.expected}.expected.json`;
  describe(`${table.analyzer.type} against Trivy's ${table.expected}.go`, () => {
    const analyzeCases = goldenCases<AnalyzeCase>(golden, table.analyzeFunc);
    it('has the upstream cases', () => assert.ok(analyzeCases.length >= 3));
    for (const testCase of analyzeCases) {
      it(`Analyze: ${testCase.name}`, async () => {
        const result = await analyzeCase(table.analyzer, testCase, table.layerDir);
        if (testCase.wantErr !== undefined) {
          // Trivy fails the file; Vigil skips it with a warning naming the same cause.
          assert.equal(result.BuildInfo, undefined);
          assert.equal(result.Warnings?.length, 1);
          assert.match(result.Warnings?.[0] ?? '', new RegExp(testCase.wantErr));
          return;
        }
        assert.equal(result.Warnings, undefined);
        assert.deepEqual(result.BuildInfo, testCase.want?.BuildInfo);
      });
    }
    const requiredCases = goldenCases<RequiredCase>(golden, table.requiredFunc);
    it('has the upstream path cases', () => assert.ok(requiredCases.length >= 2));
    for (const testCase of requiredCases) {
      it(`Required: ${testCase.name}`, () => {
        assert.equal(table.analyzer.required(testCase.filePath, { size: 100, mode: 0o644 }), testCase.want);
      });
    }
  });
}
