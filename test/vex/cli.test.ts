import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { selfSignedCertificate, startStaticServer } from '../helpers/http-server.ts';
import { runVigil } from '../helpers/run-vigil.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { fixture } from './fixtures.ts';

test('vex repo init creates the VEX Hub configuration once; list shows it', async () => {
  const home = join(tempDir(), 'home');
  const env = { VIGIL_HOME: home };
  const first = await runVigil(['vex', 'repo', 'init'], { env });
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /created .*vex\/repository\.yaml/);
  assert.match(
    readFileSync(join(home, 'vex', 'repository.yaml'), 'utf8'),
    /name: default\n\s+url: https:\/\/github\.com\/aquasecurity\/vexhub\n\s+enabled: true/,
  );
  const second = await runVigil(['vex', 'repo', 'init'], { env });
  assert.match(second.stdout, /already exists; left unchanged/);
  const list = await runVigil(['vex', 'repo', 'list', '--cache-dir', join(home, 'cache')], { env });
  assert.equal(list.status, 0, list.stderr);
  assert.match(
    list.stdout,
    /- Name: default\n {2}URL: https:\/\/github\.com\/aquasecurity\/vexhub\n {2}Status: Enabled\n {2}Cache: not downloaded/,
  );
});

test('self-hosting in one command: build, serve over TLS, download with --cacert, 304 keeps the cache', async () => {
  const dir = tempDir();
  const tls = selfSignedCertificate(dir);
  const out = join(dir, 'site');
  // The server starts first (serving the folder build will fill) so its URL can go into the manifest.
  const server = await startStaticServer({ root: out, tls });
  after(() => server.close());
  const build = await runVigil([
    'vex',
    'repo',
    'build',
    fixture('vexhub'),
    '--out',
    out,
    '--base-url',
    server.url,
    '--name',
    'corp',
  ]);
  assert.equal(build.status, 0, build.stderr);
  assert.match(build.stdout, /^57 packages from 59 documents \(15304 statements\)/);
  const manifest = JSON.parse(readFileSync(join(out, '.well-known', 'vex-repository.json'), 'utf8'));
  assert.deepEqual(manifest.versions[0].locations, [{ url: `${server.url}/vex-repository.tar.gz` }]);
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
  assert.equal(index.packages.length, 57);

  const home = join(dir, 'home');
  mkdirSync(join(home, 'vex'), { recursive: true });
  writeFileSync(
    join(home, 'vex', 'repository.yaml'),
    `repositories:\n  - name: corp\n    url: ${server.url}\n  - name: off\n    url: https://vex.invalid\n    enabled: false\n`,
  );
  const env = { VIGIL_HOME: home };
  const cache = join(dir, 'cache');
  const untrusted = await runVigil(['vex', 'repo', 'download', '--cache-dir', cache], { env });
  assert.equal(untrusted.status, 1);
  assert.match(untrusted.stderr, /error: 1 of 1 repositories failed to download/);
  const download = await runVigil(['vex', 'repo', 'download', '--cache-dir', cache, '--cacert', tls.certPath], { env });
  assert.equal(download.status, 0, download.stderr);
  assert.match(download.stdout, /^corp: downloaded \(\d+ files\)$/m);
  assert.ok(existsSync(join(cache, 'vex', 'repositories', 'corp', '0.1', 'index.json')));
  const again = await runVigil(['vex', 'repo', 'download', 'corp', '--cache-dir', cache, '--cacert', tls.certPath], {
    env,
  });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^corp: not modified; cache kept$/m);
  assert.equal(server.requests.at(-1)?.status, 304);
  const list = await runVigil(['vex', 'repo', 'list', '--cache-dir', cache], { env });
  assert.match(
    list.stdout,
    /- Name: corp\n.*\n {2}Status: Enabled\n {2}Cache: 57 packages, index of [^,]+, checked 20/,
  );
  assert.match(list.stdout, /- Name: off\n.*\n {2}Status: Disabled/);
});

test('vex repo usage errors exit 2; an empty folder is an error with a hint', async () => {
  const dir = tempDir();
  const env = { VIGIL_HOME: join(dir, 'home') };
  mkdirSync(join(dir, 'empty'));
  // Independent runs, started together to keep the file fast.
  const [unknown, noOut, badUrl, empty] = await Promise.all([
    runVigil(['vex', 'repo', 'download', 'nosuch', '--cache-dir', join(dir, 'c')], { env }),
    runVigil(['vex', 'repo', 'build', dir]),
    runVigil(['vex', 'repo', 'build', dir, '--out', join(dir, 'o'), '--base-url', 'vex.example']),
    runVigil(['vex', 'repo', 'build', join(dir, 'empty'), '--out', join(dir, 'o')]),
  ]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no repository named 'nosuch'/);
  assert.equal(noOut.status, 2);
  assert.match(noOut.stderr, /--out is required/);
  assert.equal(badUrl.status, 2);
  assert.equal(empty.status, 1);
  assert.match(empty.stderr, /error: no VEX document with product PURLs/);
  assert.match(empty.stderr, /hint: /);
});
