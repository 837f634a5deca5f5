import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { listRpmPackages, type RpmPackageInfo, rpmInstalledFileNames } from '../../../src/analyzer/pkg/index.ts';
import { epochBdb, fixtureBytes, fixtures, libuuidBdb, marinerSqlite } from './rpm-fixtures.ts';

const work = mkdtempSync(join(tmpdir(), 'vigil-rpmdb-'));
after(() => rmSync(work, { recursive: true, force: true }));

const FIELD = '\x1e';
const ITEM = '\x1f';
const RECORD = '\x1d';
const SCALARS = [
  'NAME',
  'EPOCH',
  'VERSION',
  'RELEASE',
  'ARCH',
  'SOURCERPM',
  'LICENSE',
  'VENDOR',
  'SIGMD5',
  'MODULARITYLABEL',
  'SIZE',
  'INSTALLTIME',
  'RSAHEADER:pgpsig',
  'SIGPGP:pgpsig',
];
const ARRAYS = ['PROVIDENAME', 'REQUIRENAME', 'FILENAMES'];

function run(command: string, args: string[], input?: Buffer): string {
  const result = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.error, undefined, `${command} must be installed (Debian package rpm)`);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** `rpm -qa` on a database directory: what rpm itself reads from the same bytes. */
function rpmQuery(dbDir: string): string[] {
  const format =
    SCALARS.map((tag) => `%{${tag}}`).join(FIELD) +
    FIELD +
    ARRAYS.map((tag) => `[%{${tag}}${ITEM}]`).join(FIELD) +
    RECORD;
  const out = run('rpm', ['--dbpath', dbDir, '--nosignature', '--nodigest', '-qa', '--qf', format]);
  return out.split(RECORD).filter((record) => record !== '');
}

const none = (value: string | number | undefined) => (value === undefined || value === '' ? '(none)' : String(value));

/** rpm prints no file names for a header whose directory indexes are out of range (blob.bin has one). */
function fileNamesOrNone(pkg: RpmPackageInfo): string[] {
  try {
    return rpmInstalledFileNames(pkg);
  } catch {
    return [];
  }
}

function vigilRecord(pkg: RpmPackageInfo): string {
  const scalars = [
    pkg.Name,
    pkg.Epoch,
    pkg.Version,
    pkg.Release,
    pkg.Arch,
    pkg.SourceRpm,
    pkg.License,
    pkg.Vendor,
    pkg.SigMD5,
    pkg.Modularitylabel,
    pkg.Size,
    pkg.InstallTime,
    pkg.RSAHeader,
    pkg.PGP,
  ].map(none);
  const arrays = [pkg.Provides, pkg.Requires, fileNamesOrNone(pkg)].map((list) =>
    list.map((item) => `${item}${ITEM}`).join(''),
  );
  return [...scalars, ...arrays].join(FIELD);
}

function databaseDir(name: string, file: string, bytes: Buffer): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), bytes);
  return dir;
}

/** A fresh SQLite rpmdb holding one header, written by rpm itself from an --exportdb stream. */
function importedDatabase(name: string, header: Buffer): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  run('rpmdb', ['--dbpath', dir, '--initdb']);
  const exportMagic = Buffer.from([0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0]);
  run('rpmdb', ['--dbpath', dir, '--importdb'], Buffer.concat([exportMagic, header]));
  return dir;
}

test('every field Vigil reads equals what rpm 4.18 reads from the same database', async (t) => {
  const built = join(work, 'built');
  run('bash', [`${fixtures}rpm-build/make-rpmdb.sh`, built]);
  const cases: [string, string, string][] = [
    ['SQLite, built here with rpmbuild and rpm -i', join(built, 'root/var/lib/rpm'), 'rpmdb.sqlite'],
    ['SQLite, CBL-Mariner 2.0 (129 packages)', databaseDir('mariner', 'rpmdb.sqlite', marinerSqlite()), 'rpmdb.sqlite'],
    ['Berkeley DB, RHEL 8 libuuid', databaseDir('libuuid', 'Packages', libuuidBdb()), 'Packages'],
    ['Berkeley DB with an epoch', databaseDir('epoch', 'Packages', epochBdb()), 'Packages'],
    [
      'a lone Fedora header imported by rpmdb',
      importedDatabase('blob', fixtureBytes('go-rpmdb/blob.bin')),
      'rpmdb.sqlite',
    ],
  ];
  for (const [name, dir, file] of cases) {
    await t.test(name, () => {
      const oracle = rpmQuery(dir);
      assert.ok(oracle.length > 0);
      const mine = listRpmPackages(readFileSync(join(dir, file))).map(vigilRecord);
      assert.deepEqual([...mine].sort(), [...oracle].sort());
      if (file === 'rpmdb.sqlite') assert.deepEqual(mine, oracle, 'same order as rpm -qa');
    });
  }
  const builtPackages = listRpmPackages(readFileSync(join(built, 'root/var/lib/rpm/rpmdb.sqlite')));
  assert.deepEqual(
    builtPackages.map((pkg) => [pkg.Name, pkg.Epoch, pkg.Modularitylabel]),
    [
      ['vigil-libs', 1, 'vigil:1.1:8060020220204:ad008a3a'],
      ['vigil-tool', 0, ''],
      ['thirdparty-agent', 0, ''],
    ],
  );
});
