import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MAX_ALIAS_NODES } from '../../src/misconf/kubernetes/manifest-node.ts';
import {
  looksLikeKubernetes,
  ManifestSyntaxError,
  parseKubernetesManifests,
} from '../../src/misconf/kubernetes/parse.ts';

const goldens = JSON.parse(
  readFileSync(new URL('../fixtures/misconf/trivy-kubernetes-parser.json', import.meta.url), 'utf8'),
);

type Mapping = Record<string, unknown> & { __defsec_metadata: { startline: number; endline: number } };
const lines = (value: unknown) => {
  const meta = (value as Mapping).__defsec_metadata;
  return [meta.startline, meta.endline];
};

describe('Kubernetes manifests: Trivy parser goldens', () => {
  it('reads a JSON manifest with the lines of every mapping (TestJsonManifestToRego)', () => {
    const { path, src, expected } = goldens.json_manifest;
    assert.deepEqual(JSON.parse(JSON.stringify(parseKubernetesManifests(src, path))), [expected]);
  });

  for (const golden of goldens.tags) {
    it(`converts ${golden.name} as Trivy does (TestManifestToRego)`, () => {
      const [doc] = parseKubernetesManifests(golden.src, 'x.yaml') as Mapping[];
      assert.deepEqual(doc?.field, golden.field);
      assert.deepEqual(lines(doc), [1, 1]);
    });
  }

  for (const golden of goldens.documents) {
    it(`splits documents: ${golden.name} (TestParse)`, () => {
      const docs = parseKubernetesManifests(golden.src, 'test.yaml') as Mapping[];
      assert.deepEqual(
        docs.map((d) => d.__defsec_metadata.startline),
        golden.firstLines,
      );
    });
  }
});

describe('Kubernetes manifests: YAML as go-yaml and Trivy read it', () => {
  const manifest = [
    'apiVersion: v1', // 1
    'kind: Pod', // 2
    'metadata:', // 3
    '  # a comment before the first key', // 4
    '  name: web', // 5
    '  annotations: {a: "1"}', // 6
    '  missing:', // 7
    'spec:', // 8
    '  containers:', // 9
    '    - name: app', // 10
    '      image: nginx:1.27', // 11
    '      args:', // 12
    '        - |', // 13
    '          multi', // 14
    '          line', // 15
    '      ports: [{containerPort: 0644}]', // 16
    '      env: &env', // 17
    '        - name: A', // 18
    '          value: "yes"', // 19
    '    - name: sidecar', // 20
    '      env: *env', // 21
    '      enabled: yes', // 22
    '      ratio: .5', // 23
    '      when: 2001-12-14 21:59:43.10', // 24
    '      nothing: null', // 25
  ].join('\n');

  it('starts a mapping at its first key and ends it at the last line of its values', () => {
    const pod = parseKubernetesManifests(manifest, 'pod.yaml')[0] as Mapping;
    const metadata = pod.metadata as Mapping;
    assert.deepEqual(lines(pod), [1, 24]);
    assert.deepEqual(lines(metadata), [5, 6]);
    assert.deepEqual(lines(metadata.annotations), [6, 6]);
    const [app, sidecar] = (pod.spec as Mapping).containers as [Mapping, Mapping];
    assert.deepEqual(lines(app), [10, 19]);
    assert.deepEqual(lines(sidecar), [20, 24]);
    assert.equal((app.__defsec_metadata as unknown as { filepath: string }).filepath, 'pod.yaml');
  });

  it('resolves scalars as go-yaml does, then converts them with Go strconv as Trivy does', () => {
    const pod = parseKubernetesManifests(manifest, 'pod.yaml')[0] as Mapping;
    const metadata = pod.metadata as Mapping;
    assert.equal(Object.hasOwn(metadata, 'missing'), false, 'nulls are dropped');
    const [app, sidecar] = (pod.spec as Mapping).containers as [Mapping, Mapping];
    assert.deepEqual(app.args, ['multi\nline\n']);
    assert.equal((app.ports as Mapping[])[0]?.containerPort, 644, 'octal-looking ints are read in decimal by Atoi');
    assert.equal(sidecar.enabled, 'yes', 'YAML 1.1 booleans stay strings');
    assert.equal(sidecar.ratio, 0.5);
    assert.equal(sidecar.when, '2001-12-14T21:59:43Z');
    assert.equal(Object.hasOwn(sidecar as object, 'nothing'), false);
    assert.deepEqual(
      (sidecar.env as Mapping[]).map((e) => [e.name, e.value, lines(e)]),
      [['A', 'yes', [18, 19]]],
      'aliases expand to the anchored value with its lines',
    );
  });

  it('rejects what Trivy rejects: ints Go cannot Atoi, broken YAML', () => {
    assert.throws(() => parseKubernetesManifests('kind: Pod\nreplicas: 0x1F\n', 'a.yaml'), ManifestSyntaxError);
    assert.throws(() => parseKubernetesManifests('kind: Pod\nratio: 1_0.5\n', 'a.yaml'), /failed to parse float/);
    assert.throws(() => parseKubernetesManifests('kind: Pod\nspec: [unclosed\n', 'a.yaml'), ManifestSyntaxError);
    assert.throws(() => parseKubernetesManifests('{"kind": "Pod",}', 'a.json'), ManifestSyntaxError);
  });

  it('skips documents that are not mappings and keeps key order irrelevant', () => {
    const docs = parseKubernetesManifests('- a\n- b\n---\njust text\n---\nkind: ConfigMap\n', 'a.yaml');
    assert.equal(docs.length, 1);
    assert.equal((docs[0] as Mapping).kind, 'ConfigMap');
  });

  it('keeps __proto__ keys as plain data', () => {
    const [doc] = parseKubernetesManifests('kind: Pod\n__proto__:\n  polluted: true\n', 'a.yaml') as Mapping[];
    assert.equal(Object.getPrototypeOf({}).polluted, undefined);
    assert.deepEqual(Object.keys(doc as object).sort(), ['__defsec_metadata', '__proto__', 'kind']);
  });

  it('stops alias bombs and deep nesting with a clear error', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i += 1)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    assert.throws(
      () => parseKubernetesManifests(bomb.join('\n'), 'bomb.yaml'),
      (error: unknown) => error instanceof ManifestSyntaxError && error.message.includes(String(MAX_ALIAS_NODES)),
    );
    assert.throws(
      () => parseKubernetesManifests('---\n'.repeat(100_001), 'many.yaml'),
      /more than 100000 YAML documents/,
    );
    const started = Date.now();
    const docs = parseKubernetesManifests(`${'---\n'.repeat(50_000)}kind: Pod\n`, 'sparse.yaml');
    assert.deepEqual([docs.length, (docs[0] as Mapping).__defsec_metadata.startline], [1, 50_001]);
    assert.ok(Date.now() - started < 10_000, 'empty documents are not parsed one by one');
    const deep = `${'['.repeat(400)}${']'.repeat(400)}`;
    assert.throws(() => parseKubernetesManifests(`kind: Pod\nx: ${deep}\n`, 'deep.yaml'), /nested deeper/);
    assert.throws(() => parseKubernetesManifests(`{"x": ${deep}}`, 'deep.json'), /nested deeper/);
  });
});

describe('Kubernetes manifests: detection', () => {
  it('needs a YAML or JSON name and a document with apiVersion, kind and metadata', () => {
    assert.equal(looksLikeKubernetes('a.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n'), true);
    assert.equal(looksLikeKubernetes('A.YML', 'x: 1\n---\napiVersion: v1\nkind: Pod\nmetadata: {}\n'), true);
    assert.equal(looksLikeKubernetes('a.json', '{"apiVersion": "v1", "kind": "Pod", "metadata": {}}'), true);
    assert.equal(looksLikeKubernetes('a.yaml', 'apiVersion: v1\nkind: Pod\n'), false);
    assert.equal(looksLikeKubernetes('a.txt', 'apiVersion: v1\nkind: Pod\nmetadata: {}\n'), false);
    assert.equal(looksLikeKubernetes('a.json', '[{"apiVersion": "v1", "kind": "Pod", "metadata": {}}]'), false);
    assert.equal(looksLikeKubernetes('a.yaml', 'text: "apiVersion kind metadata"\n'), false);
  });
});
