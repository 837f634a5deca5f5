import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  detectRpmdbFormat,
  listRpmPackages,
  parseRpmHeader,
  readRpmPackage,
  rpmInstalledFileNames,
  rpmInstalledFiles,
} from '../../../src/analyzer/pkg/index.ts';
import { epochBdb, fixtureBytes, fixtures, libuuidBdb, marinerSqlite, sle15Ndb } from './rpm-fixtures.ts';

const json = (path: string) => JSON.parse(readFileSync(`${fixtures}${path}`, 'utf8'));

test('NDB (SLE 15 BCI): the 35 packages of go-rpmdb SLE15WithNDB, in order, field by field', () => {
  const { test: golden } = json('expected/go-rpmdb/sle15-package-list.expected.json') as {
    test: { packages: Record<string, unknown>[] };
  };
  assert.equal(detectRpmdbFormat(sle15Ndb()), 'ndb');
  const got = listRpmPackages(sle15Ndb());
  assert.equal(golden.packages.length, 35);
  assert.deepEqual(
    got.map((pkg) => ({
      Epoch: pkg.Epoch ?? null,
      Name: pkg.Name,
      Version: pkg.Version,
      Release: pkg.Release,
      Arch: pkg.Arch,
      SourceRpm: pkg.SourceRpm,
      Size: pkg.Size,
      License: pkg.License,
      Vendor: pkg.Vendor,
      Modularitylabel: pkg.Modularitylabel,
      Summary: pkg.Summary,
      SigMD5: pkg.SigMD5,
    })),
    golden.packages,
  );
});

interface DetailCase {
  name: string;
  pkgName: string;
  want: Record<string, unknown>;
  wantInstalledFiles: Record<string, unknown>[];
  wantInstalledFileNames: string[];
}

test('package details of go-rpmdb TestRpmDB_Package: CBL-Mariner curl (SQLite) and libuuid (Berkeley DB)', () => {
  const { cases } = json('expected/go-rpmdb/package-detail.expected.json') as { cases: DetailCase[] };
  const databases: Record<string, Buffer> = { 'CBL-Mariner 2.0 curl': marinerSqlite(), libuuid: libuuidBdb() };
  assert.equal(cases.length, 2);
  for (const c of cases) {
    const db = databases[c.name];
    assert.ok(db, c.name);
    const pkg = listRpmPackages(db).find((candidate) => candidate.Name === c.pkgName);
    assert.ok(pkg, `${c.pkgName} in ${c.name}`);
    const { DigestAlgorithm, ...want } = c.want;
    assert.equal(DigestAlgorithm, '$PGPHASHALGO_SHA256');
    assert.equal(pkg.DigestAlgorithm, 8);
    const picked = Object.fromEntries(Object.keys(want).map((key) => [key, pkg[key as keyof typeof pkg]]));
    assert.deepEqual(picked, want, c.name);
    assert.deepEqual(rpmInstalledFileNames(pkg), c.wantInstalledFileNames);
    assert.deepEqual(rpmInstalledFiles(pkg), c.wantInstalledFiles);
  }
});

test('Berkeley DB with an epoch (osv-scalibr Packages_epoch)', () => {
  assert.equal(detectRpmdbFormat(epochBdb()), 'bdb');
  const [hello, ...rest] = listRpmPackages(epochBdb());
  assert.deepEqual(rest, []);
  assert.equal(hello?.Name, 'hello');
  assert.equal(hello?.Epoch, 1);
  assert.equal(`${hello?.Version}-${hello?.Release}.${hello?.Arch}`, '0.0.1-rls.x86_64');
  assert.equal(hello?.SourceRpm, 'hello-0.0.1-rls.src.rpm');
  assert.deepEqual(rpmInstalledFileNames(hello ?? ({} as never)), ['/usr/bin/hello.sh']);
});

test('a lone header blob (go-rpmdb blob.bin) reads as the Fedora package it is', () => {
  const pkg = readRpmPackage(fixtureBytes('go-rpmdb/blob.bin'));
  assert.equal(pkg.Name, 'publicsuffix-list-dafsa');
  assert.equal(pkg.SourceRpm, 'publicsuffix-list-20210518-2.fc35.src.rpm');
  assert.equal(pkg.Epoch, undefined);
  // Its last directory index points past the directory list: go-rpmdb rejects the file list.
  assert.deepEqual(pkg.DirIndexes, [0, 1, 2, 4]);
  assert.equal(pkg.DirNames.length, 4);
  assert.throws(() => rpmInstalledFileNames(pkg), { code: 'RPMDB_CORRUPT' });
});

test('go-rpmdb entry_test: a header whose index length is negative is rejected', () => {
  const { tables } = json('expected/go-rpmdb/entry_test.expected.json') as {
    tables: { cases: { name: string; data: number[] }[] }[];
  };
  const c = tables[0]?.cases[0];
  assert.equal(c?.name, 'negative il');
  assert.throws(() => parseRpmHeader(Buffer.from(c?.data ?? [])), { code: 'RPMDB_CORRUPT' });
});

test('osv-scalibr rpm error cases: an empty file and a 5-byte file are not rpm databases', () => {
  for (const path of ['osv-scalibr/rpm/empty.sqlite', 'osv-scalibr/rpm/invalid']) {
    assert.throws(() => listRpmPackages(fixtureBytes(path)), { code: 'RPMDB_CORRUPT' }, path);
  }
});
