/**
 * trivy.db values decoded with the strictness of Go's encoding/json: wrong types are errors (as in
 * Trivy's "failed to get … advisories"), null is the zero value, and no input crashes the decoder.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { DbValueError, decodeAdvisory, decodeRedHatEntries, decodeVulnerability } from '../../src/detect/db-values.ts';
import type { OsDriver } from '../../src/detect/os/driver.ts';
import { detectOsFindings } from '../../src/detect/os/registry.ts';
import type { DetectablePackage } from '../../src/detect/types.ts';
import { silentLogger } from '../../src/log/index.ts';
import { loadTables, table } from './trivy-goldens.ts';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('advisory values', () => {
  test('Go zero values: null and missing fields', () => {
    assert.deepEqual(decodeAdvisory(bytes(null), 'b/p/CVE-1', 'CVE-1'), { VulnerabilityID: 'CVE-1' });
    assert.deepEqual(decodeAdvisory(bytes({ FixedVersion: null, VendorIDs: null }), 'b/p/CVE-1', 'CVE-1'), {
      VulnerabilityID: 'CVE-1',
    });
  });

  test('status as the stored int or its name; unknown fields ignored', () => {
    assert.equal(decodeAdvisory(bytes({ Status: 5 }), 'w', 'X').Status, 5);
    assert.equal(decodeAdvisory(bytes({ Status: 'will_not_fix' }), 'w', 'X').Status, 5);
    assert.equal(decodeAdvisory(bytes({ State: 'postponed' }), 'w', 'X').Status, undefined);
  });

  test('wrong types are errors naming the field and the place', () => {
    const bad: unknown[] = [
      { FixedVersion: ['foo', 'bar'] },
      { Severity: 1.5 },
      { Severity: '1' },
      { VendorIDs: 'DSA-1' },
      { VulnerableVersions: [1] },
      { Entries: 'broken' },
      'invalid',
      [1, 2],
      '"text"',
      '{',
    ];
    for (const value of bad) {
      assert.throws(
        () => decodeAdvisory(bytes(value), 'debian 9/apache2/CVE-2020-8177', 'CVE-2020-8177'),
        (error: unknown) => error instanceof DbValueError && error.message.includes('debian 9/apache2/CVE-2020-8177'),
        JSON.stringify(value),
      );
    }
  });

  test('Red Hat entries and vulnerability details are checked the same way', () => {
    assert.deepEqual(decodeRedHatEntries(bytes({ Entries: [{ FixedVersion: '1-1', Status: 3, Cves: null }] }), 'w'), [
      { FixedVersion: '1-1', Status: 3 },
    ]);
    assert.throws(() => decodeRedHatEntries(bytes({ Entries: 'broken' }), 'w'), DbValueError);
    assert.throws(() => decodeRedHatEntries(bytes({ Entries: [{ Affected: ['1'] }] }), 'w'), DbValueError);
    assert.throws(() => decodeVulnerability(bytes({ Title: ['aaa'] }), 'w'), DbValueError);
    assert.throws(() => decodeVulnerability(bytes({ VendorSeverity: { nvd: 'HIGH' } }), 'w'), DbValueError);
    assert.throws(() => decodeVulnerability(bytes({ PublishedDate: 'yesterday' }), 'w'), DbValueError);
  });

  test('random and mutated values: a value or a DbValueError, never another failure', () => {
    const seeds = [
      bytes({ FixedVersion: '1.2-3', VendorIDs: ['DSA-1'], Status: 2, Severity: 3, Entries: [{ Arches: ['x86_64'] }] }),
      bytes({ Title: 't', VendorSeverity: { nvd: 2 }, CVSS: { nvd: { V3Score: 9.8 } }, References: ['r'] }),
      bytes({ Entries: [{ FixedVersion: '1', Cves: [{ ID: 'CVE-1', Severity: 2 }], Affected: [1, 2] }] }),
    ];
    let values = 0;
    for (let round = 0; round < 3000; round++) {
      const seed = seeds[round % seeds.length] as Buffer;
      const input = round % 5 === 0 ? randomBytes(round % 64) : mutate(seed);
      for (const decode of [
        () => decodeAdvisory(input, 'fuzz', 'ID'),
        () => decodeVulnerability(input, 'fuzz'),
        () => decodeRedHatEntries(input, 'fuzz'),
      ]) {
        try {
          decode();
          values++;
        } catch (error) {
          assert.ok(error instanceof DbValueError, String(error));
        }
      }
    }
    assert.ok(values > 0);
  });
});

function mutate(seed: Buffer): Buffer {
  const copy = Buffer.from(seed);
  const edits = 1 + Math.floor(Math.random() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(Math.random() * copy.length);
    copy[at] = '{}[]",:0123456789.-tfnul"a'.charCodeAt(Math.floor(Math.random() * 26));
  }
  return copy;
}

describe('packages the OS detector never matches (Trivy detect_test.go TestDetector_Detect)', () => {
  const classes: Readonly<Record<string, string>> = {
    '$ftypes.RepositoryClassThirdParty': 'third-party',
    '$ftypes.RepositoryClassOfficial': 'official',
  };
  const asPackage = (raw: unknown): DetectablePackage => {
    const record = raw as { Name: string; Repository?: { Class: string } };
    const pkg: DetectablePackage = { Name: record.Name, Version: '' };
    if (record.Repository) pkg.Repository = { Class: classes[record.Repository.Class] };
    return pkg;
  };
  for (const c of table(loadTables('ospkg/detect_test.expected.json'), 'TestDetector_Detect')) {
    test(c.name as string, () => {
      let seen: readonly DetectablePackage[] = [];
      // A driver that records what reaches it, with or without its own third-party filter (like Echo).
      const recorder: OsDriver = {
        keepsThirdPartyPackages: c.filter !== undefined,
        isSupported: () => true,
        detect: (_version, _repository, packages) => {
          seen = packages;
          return [];
        },
      };
      detectOsFindings(
        { Family: 'test', Name: '1' },
        undefined,
        ((c.pkgs ?? []) as unknown[]).map(asPackage),
        { store: undefined as never, logger: silentLogger, now: new Date() },
        new Map([['test', recorder]]),
      );
      const want = Array.isArray(c.wantDetected) ? (c.wantDetected as unknown[]).map(asPackage) : [];
      assert.deepEqual(seen, want);
    });
  }
});
