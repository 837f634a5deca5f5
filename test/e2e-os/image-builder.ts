import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompressSync } from 'node:zlib';

/**
 * Builds small OS images with the real tools: rpmbuild and `rpm --root … -i` for rpm databases,
 * GNU tar for layers, umoci for the OCI layout and skopeo for the other transports. Package
 * databases that need no tool (dpkg status, apk installed) arrive as ready file contents.
 */

const run = promisify(execFile);
const exec = (file: string, args: readonly string[], cwd?: string) =>
  run(file, [...args], { cwd, maxBuffer: 64 * 1024 * 1024 });

export interface RpmPackage {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch: 'x86_64' | 'aarch64' | 'noarch';
  /** The source package (the spec that builds it); the binary name when absent. */
  source?: string;
  /** The source package's own `epoch:version-release` when it differs (nodejs builds npm 6.x). */
  sourceEvr?: string;
  license?: string;
  vendor?: string;
  modularityLabel?: string;
}

export interface LayerSpec {
  /** Files by path inside the image. */
  files?: Readonly<Record<string, string>>;
  /** Fixture files copied in: [path of the fixture, path inside the image]; `.br` files are brotli-decompressed. */
  fixtures?: ReadonlyArray<readonly [string, string]>;
  /** An rpm database built by installing these packages (built with rpmbuild) into `dir`. */
  rpmdb?: { dir: string; packages: readonly RpmPackage[] };
}

export interface ImageSpec {
  name: string;
  architecture?: 'amd64' | 'arm64';
  layers: readonly LayerSpec[];
}

const TAG = 'latest';
const MTIME = '@1700000000';

/** Builds every image as an OCI layout under `workDir/<name>.oci` (tag `latest`), two at a time. */
export async function buildOciLayouts(specs: readonly ImageSpec[], workDir: string): Promise<Map<string, string>> {
  const rpms = await buildRpms(
    specs.flatMap((spec) => spec.layers.flatMap((layer) => layer.rpmdb?.packages ?? [])),
    join(workDir, 'rpmbuild'),
  );
  const layouts = new Map<string, string>();
  await inParallel(specs, 2, async (spec) => {
    layouts.set(spec.name, await buildOciLayout(spec, workDir, rpms));
  });
  return layouts;
}

async function buildOciLayout(spec: ImageSpec, workDir: string, rpms: ReadonlyMap<string, string>): Promise<string> {
  const layout = join(workDir, `${spec.name}.oci`);
  await rm(layout, { recursive: true, force: true });
  await exec('umoci', ['init', '--layout', layout]);
  await exec('umoci', ['new', '--image', `${layout}:${TAG}`]);
  for (const [index, layer] of spec.layers.entries()) {
    const root = join(workDir, `${spec.name}.layer${index}`);
    await writeLayerRoot(layer, root, rpms);
    const tar = `${root}.tar`;
    await tarDirectory(root, tar);
    await exec('umoci', [
      'raw',
      'add-layer',
      '--image',
      `${layout}:${TAG}`,
      '--history.created_by',
      `vigil e2e-os ${spec.name} layer ${index}`,
      tar,
    ]);
    await rm(root, { recursive: true, force: true });
    await rm(tar, { force: true });
  }
  await exec('umoci', [
    'config',
    '--image',
    `${layout}:${TAG}`,
    '--os',
    'linux',
    '--architecture',
    spec.architecture ?? 'amd64',
    '--config.cmd',
    '/bin/sh',
  ]);
  return layout;
}

async function writeLayerRoot(layer: LayerSpec, root: string, rpms: ReadonlyMap<string, string>): Promise<void> {
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  for (const [path, content] of Object.entries(layer.files ?? {})) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  for (const [fixture, path] of layer.fixtures ?? []) {
    const bytes = await readFile(fixture);
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), fixture.endsWith('.br') ? brotliDecompressSync(bytes) : bytes);
  }
  if (layer.rpmdb) {
    const dbPath = `/${layer.rpmdb.dir}`;
    const files = layer.rpmdb.packages.map((pkg) => {
      const file = rpms.get(rpmKey(pkg));
      if (!file) throw new Error(`no rpm built for ${rpmKey(pkg)}`);
      return file;
    });
    await mkdir(join(root, layer.rpmdb.dir), { recursive: true });
    await exec('rpm', ['--root', root, '--dbpath', dbPath, '--initdb']);
    await exec('rpm', [
      '--root',
      root,
      '--dbpath',
      dbPath,
      '-i',
      '--justdb',
      '--nodeps',
      '--noscripts',
      '--nosignature',
      '--ignorearch',
      '--ignoreos',
      ...files,
    ]);
    // rpm leaves its lock and an empty write-ahead log behind; an image build would not ship them.
    for (const leftover of ['.rpm.lock', 'rpmdb.sqlite-shm', 'rpmdb.sqlite-wal']) {
      await rm(join(root, layer.rpmdb.dir, leftover), { force: true });
    }
  }
}

/** GNU tar with fixed owners, order and times, entries named without a leading `./`. */
async function tarDirectory(root: string, output: string): Promise<void> {
  const entries = (await readdir(root)).sort();
  await exec('tar', [
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    `--mtime=${MTIME}`,
    '-C',
    root,
    '-cf',
    output,
    ...entries,
  ]);
}

const rpmKey = (pkg: RpmPackage) =>
  `${pkg.epoch ? `${pkg.epoch}:` : ''}${pkg.name}-${pkg.version}-${pkg.release}.${pkg.arch}`;

/**
 * One spec per source package (its binaries as subpackages, so SOURCERPM is right), built with
 * rpmbuild into empty packages: the database records only headers. Returns rpm files by package.
 */
async function buildRpms(packages: readonly RpmPackage[], topDir: string): Promise<Map<string, string>> {
  const specs = new Map<string, RpmPackage[]>();
  for (const pkg of packages) {
    const source = pkg.source ?? pkg.name;
    const target = pkg.arch === 'aarch64' ? 'aarch64' : 'x86_64';
    const key = `${target}/${source}-${pkg.sourceEvr ?? evr(pkg)}`;
    const group = specs.get(key) ?? [];
    if (!group.some((other) => rpmKey(other) === rpmKey(pkg))) group.push(pkg);
    specs.set(key, group);
  }
  const built = new Map<string, string>();
  if (specs.size === 0) return built;
  await rm(topDir, { recursive: true, force: true });
  await mkdir(join(topDir, 'SPECS'), { recursive: true });
  const byTarget = new Map<string, string[]>();
  let count = 0;
  for (const [key, group] of specs) {
    const file = join(topDir, 'SPECS', `spec${count++}.spec`);
    await writeFile(file, specText(group));
    const target = key.slice(0, key.indexOf('/'));
    byTarget.set(target, [...(byTarget.get(target) ?? []), file]);
  }
  // rpmbuild spends most of its time per spec, not per process: two processes use both cores.
  const batches = [...byTarget].flatMap(([target, files]) => {
    const half = Math.ceil(files.length / 2);
    return [
      { target, files: files.slice(0, half) },
      { target, files: files.slice(half) },
    ].filter((batch) => batch.files.length > 0);
  });
  // The two processes share the top directory: rpmbuild creates its directories by checking and
  // then making them, so two at once can race ("failed to create directory %{_builddir}: File
  // exists", seen in CI). They are made here first, and each process builds in its own BUILD.
  const arches = new Set(packages.map((pkg) => pkg.arch));
  for (const dir of ['BUILDROOT', 'SOURCES', 'SRPMS', ...[...arches].map((arch) => join('RPMS', arch))]) {
    await mkdir(join(topDir, dir), { recursive: true });
  }
  const numbered = batches.map((batch, index) => ({ ...batch, index }));
  await inParallel(numbered, 2, async ({ target, files, index }) => {
    const buildDir = join(topDir, `BUILD-${index}`);
    await mkdir(buildDir, { recursive: true });
    await exec('rpmbuild', [
      '--quiet',
      '-bb',
      '--target',
      target,
      '--define',
      `_topdir ${topDir}`,
      '--define',
      `_builddir ${buildDir}`,
      '--define',
      `_dbpath ${join(topDir, 'db')}`,
      '--define',
      '_build_id_links none',
      '--define',
      'debug_package %{nil}',
      '--define',
      '__os_install_post %{nil}',
      ...files,
    ]);
  });
  for (const group of specs.values()) {
    for (const pkg of group) {
      built.set(
        rpmKey(pkg),
        join(topDir, 'RPMS', pkg.arch, `${pkg.name}-${pkg.version}-${pkg.release}.${pkg.arch}.rpm`),
      );
    }
  }
  return built;
}

const evr = (pkg: Pick<RpmPackage, 'epoch' | 'version' | 'release'>) =>
  `${pkg.epoch ?? 0}:${pkg.version}-${pkg.release}`;

/** `[epoch:]version-release` → the spec's tags for it. */
function evrTags(text: string): string[] {
  const colon = text.indexOf(':');
  const epoch = colon > 0 ? Number(text.slice(0, colon)) : 0;
  const rest = colon > 0 ? text.slice(colon + 1) : text;
  const dash = rest.lastIndexOf('-');
  return [`Version: ${rest.slice(0, dash)}`, `Release: ${rest.slice(dash + 1)}`, ...(epoch ? [`Epoch: ${epoch}`] : [])];
}

function specText(group: readonly RpmPackage[]): string {
  const first = group[0] as RpmPackage;
  const source = first.source ?? first.name;
  const sourceEvr = first.sourceEvr ?? evr(first);
  const specArch = group.every((pkg) => pkg.arch === 'noarch') ? 'noarch' : undefined;
  const lines = [
    `Name: ${source}`,
    ...evrTags(sourceEvr),
    `Summary: ${source} (vigil test image)`,
    `License: ${first.license ?? 'MIT'}`,
    `Vendor: ${first.vendor ?? 'Vigil test'}`,
    ...(first.modularityLabel ? [`ModularityLabel: ${first.modularityLabel}`] : []),
    ...(specArch ? [`BuildArch: ${specArch}`] : []),
    '%description',
    `${source} as recorded in a real image's package database.`,
  ];
  for (const pkg of group) {
    const main = pkg.name === source;
    const suffix = main ? '' : ` -n ${pkg.name}`;
    if (!main) {
      lines.push(`%package${suffix}`, `Summary: ${pkg.name}`, `License: ${pkg.license ?? first.license ?? 'MIT'}`);
      // A subpackage may carry its own version (rpm takes Epoch/Version/Release per package).
      if (evr(pkg) !== sourceEvr) lines.push(...evrTags(evr(pkg)));
      if (pkg.arch === 'noarch' && !specArch) lines.push('BuildArch: noarch');
      lines.push(`%description${suffix}`, `${pkg.name}.`);
    }
    lines.push(`%files${suffix}`);
  }
  return `${lines.join('\n')}\n`;
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/** Copies an OCI layout image into another transport with skopeo (`docker-archive:F:ref`, `oci-archive:F:tag`, …). */
export async function skopeoCopy(layout: string, destination: string, extra: readonly string[] = []): Promise<void> {
  await exec('skopeo', ['copy', '--quiet', ...extra, `oci:${layout}:${TAG}`, destination]);
}

/**
 * One OCI layout holding a multi-platform image: the blobs of single-platform layouts plus an
 * image index (written by hand: umoci has no command for it) tagged `latest`, as `docker buildx`
 * or `skopeo copy --all` would leave it.
 */
export async function multiPlatformLayout(
  images: ReadonlyArray<{ layout: string; os: string; architecture: string }>,
  output: string,
): Promise<string> {
  await rm(output, { recursive: true, force: true });
  await mkdir(join(output, 'blobs', 'sha256'), { recursive: true });
  const manifests = [];
  for (const image of images) {
    for (const blob of await readdir(join(image.layout, 'blobs', 'sha256'))) {
      await writeFile(
        join(output, 'blobs', 'sha256', blob),
        await readFile(join(image.layout, 'blobs', 'sha256', blob)),
      );
    }
    const index = JSON.parse(await readFile(join(image.layout, 'index.json'), 'utf8')) as {
      manifests: Array<{ mediaType: string; digest: string; size: number }>;
    };
    const manifest = index.manifests[0];
    if (!manifest) throw new Error(`${image.layout} has no image`);
    manifests.push({
      mediaType: manifest.mediaType,
      digest: manifest.digest,
      size: manifest.size,
      platform: { architecture: image.architecture, os: image.os },
    });
  }
  const indexBlob = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
  );
  const digest = createHash('sha256').update(indexBlob).digest('hex');
  await writeFile(join(output, 'blobs', 'sha256', digest), indexBlob);
  await writeFile(join(output, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(output, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest: `sha256:${digest}`,
          size: indexBlob.length,
          annotations: { 'org.opencontainers.image.ref.name': TAG },
        },
      ],
    }),
  );
  return output;
}
