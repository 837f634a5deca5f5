// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and Dockerfile words, not templates.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildDockerfileAnalyzer,
  contentManifestAnalyzer,
  parseBuildDockerfile,
  parseContentManifest,
} from '../../../src/analyzer/buildinfo/index.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { imageContext, memoryFiles } from './layer-files.ts';

const PATH = 'root/buildinfo/Dockerfile-ubi9-9.4-1123';
const nvr = (text: string, path = PATH) => parseBuildDockerfile(text, path);

describe('build Dockerfiles', () => {
  it('reads variables from ARGs before FROM and from ENV, in both ENV forms', () => {
    const text = [
      'ARG COMPONENT=ubi9-container',
      'FROM scratch',
      'ENV ARCH x86_64',
      'ENV suffix="" flavour=${suffix:-base}',
      'LABEL com.redhat.component="${COMPONENT}" architecture=$ARCH',
    ].join('\n');
    assert.deepEqual(nvr(text), { Nvr: 'ubi9-container-9.4-1123', Arch: 'x86_64' });
  });

  it('lets each pair of one ENV see the variables from before it, as Docker does', () => {
    const text = 'FROM scratch\nENV a=first\nENV a=second b=$a\nLABEL com.redhat.component=$b architecture=$a\n';
    assert.deepEqual(nvr(text), { Nvr: 'first-9.4-1123', Arch: 'second' });
  });

  it('reads labels in the old form, with continuation lines, comments and any case of key', () => {
    const text = [
      'FROM registry.example/ubi9:latest',
      'LABEL BZComponent ubi9-micro-container',
      'LABEL "Architecture"="aarch64" \\',
      '# a comment inside the instruction',
      '      name="ubi9-micro"',
    ].join('\n');
    assert.deepEqual(nvr(text), { Nvr: 'ubi9-micro-container-9.4-1123', Arch: 'aarch64' });
  });

  it('keeps the last value across stages, with variables carried over', () => {
    const text = [
      'FROM scratch AS build',
      'ENV arch=s390x',
      'LABEL com.redhat.component=builder architecture=$arch',
      'FROM scratch',
      'LABEL com.redhat.component=runtime-container',
    ].join('\n');
    assert.deepEqual(nvr(text), { Nvr: 'runtime-container-9.4-1123', Arch: 's390x' });
  });

  it('honours the escape directive', () => {
    const text = '# escape=`\nFROM scratch\nLABEL com.redhat.component=c `\n  architecture=ppc64le\n';
    assert.deepEqual(nvr(text), { Nvr: 'c-9.4-1123', Arch: 'ppc64le' });
  });

  it('skips heredoc bodies, which may hold anything', () => {
    const text = [
      'FROM scratch',
      'RUN <<EOF',
      'LABEL com.redhat.component=not-a-label',
      'EOF',
      'LABEL com.redhat.component=real architecture=x86_64',
    ].join('\n');
    assert.equal(nvr(text).Nvr, 'real-9.4-1123');
  });

  it('takes the version and release from the labels when the file name lacks them', () => {
    const text = 'FROM scratch\nLABEL com.redhat.component=c version=9.4 release=7 architecture=x86_64\n';
    assert.deepEqual(nvr(text, 'root/buildinfo/Dockerfile'), { Nvr: 'c-9.4-7', Arch: 'x86_64' });
    assert.throws(
      () => nvr('FROM scratch\nLABEL com.redhat.component=c architecture=x86_64\n', 'root/buildinfo/Dockerfile-c'),
      /no version and release found/,
    );
  });

  it('names what is missing or broken', () => {
    const cases: Array<[string, RegExp]> = [
      ['FROM scratch\nLABEL architecture=x86_64\n', /no component found in root\/buildinfo\//],
      ['FROM scratch\nLABEL com.redhat.component=c\n', /no arch found/],
      ['FROM scratch\nLABEL com.redhat.component="c architecture=x86_64\n', /failed to process the label/],
      ['FROM scratch\nFROBNICATE x\n', /dockerfile parse error: .*unknown instruction/],
      ['FROM scratch\nLABEL lonely\n', /dockerfile parse error: .*LABEL must have two arguments/],
      ['', /dockerfile parse error/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => nvr(text),
        (error: unknown) => isVigilError(error) && message.test(error.message),
        text,
      );
    }
  });

  it('keeps a value it cannot expand as written, as Trivy keeps every ENV value', () => {
    const text = 'FROM scratch\nENV arch=${ARCH/x/y}\nLABEL com.redhat.component=c architecture=$arch\n';
    assert.equal(nvr(text).Arch, '${ARCH/x/y}');
  });

  it('bounds what substitution may produce, however the variables feed each other', () => {
    const doubling = ['FROM scratch', 'ENV a=xx', ...Array.from({ length: 40 }, () => 'ENV a=$a$a')];
    assert.throws(() => nvr(doubling.join('\n')), /a word expands to more than 65536 characters/);
    const copies = [
      'FROM scratch',
      `ENV a=${'x'.repeat(60_000)}`,
      ...Array.from({ length: 300 }, (_, i) => `ENV b${i}=$a`),
    ];
    assert.throws(() => nvr(copies.join('\n')), /variables expand to more than 16777216 characters/);
    const nested = `FROM scratch\nENV arch=${'${a:-'.repeat(100)}x86_64${'}'.repeat(100)}\nLABEL com.redhat.component=c architecture=$arch\n`;
    assert.equal(nvr(nested).Arch, `${'${a:-'.repeat(100)}x86_64${'}'.repeat(100)}`);
  });

  it('takes the last readable Dockerfile of a layer and warns about the others', async () => {
    const result = await buildDockerfileAnalyzer.analyze(
      memoryFiles({
        'root/buildinfo/Dockerfile-b-1-2': 'FROM scratch\nLABEL com.redhat.component=b architecture=x86_64\n',
        'root/buildinfo/Dockerfile-a-1-2': 'FROM scratch\nLABEL com.redhat.component=a architecture=x86_64\n',
        'root/buildinfo/Dockerfile-c-1-2': 'FROM scratch\nLABEL com.redhat.component=c\n',
      }),
      imageContext,
    );
    assert.deepEqual(result.BuildInfo, { Nvr: 'b-1-2', Arch: 'x86_64' });
    assert.deepEqual(result.Warnings, [
      'root/buildinfo/Dockerfile-c-1-2: skipped, unable to parse: no arch found in root/buildinfo/Dockerfile-c-1-2',
    ]);
  });
});

describe('content manifests', () => {
  const manifest = (sets: unknown, index?: number) =>
    JSON.stringify({ metadata: { icm_version: 1, image_layer_index: index }, content_sets: sets, image_contents: [] });

  it('gives nothing for a manifest without content sets', () => {
    assert.equal(parseContentManifest('null'), undefined);
    assert.equal(parseContentManifest('{}'), undefined);
    assert.equal(parseContentManifest(manifest([])), undefined);
    assert.equal(parseContentManifest(manifest(null)), undefined);
  });

  it('rejects what is not a manifest', () => {
    for (const text of [
      '[]',
      '"text"',
      manifest('rhel-9-for-x86_64-baseos-rpms'),
      manifest([1]),
      '{"content_sets": [',
    ]) {
      assert.throws(() => parseContentManifest(text), /invalid content manifest/, text);
    }
  });

  it('prefers the manifest of the highest image layer when a layer holds several', async () => {
    const result = await contentManifestAnalyzer.analyze(
      memoryFiles({
        'root/buildinfo/content_manifests/z-base.json': manifest(['rhel-9-for-x86_64-baseos-rpms'], 0),
        'root/buildinfo/content_manifests/a-app.json': manifest(['rhel-9-for-x86_64-appstream-rpms'], 2),
        'root/buildinfo/content_manifests/m-mid.json': manifest(['rhel-9-for-x86_64-baseos-eus-rpms'], 1),
        'root/buildinfo/content_manifests/broken.json': 'broken',
      }),
      imageContext,
    );
    assert.deepEqual(result.BuildInfo, { ContentSets: ['rhel-9-for-x86_64-appstream-rpms'] });
    assert.equal(result.Warnings?.length, 1);
    assert.match(result.Warnings?.[0] ?? '', /^root\/buildinfo\/content_manifests\/broken\.json: skipped/);
  });
});
