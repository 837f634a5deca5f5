/**
 * The scan's DB lookups (createAdvisoryStore) on DBs written for the purpose: trivy-db's
 * ForEachAdvisory merge across `<ecosystem>::` buckets, values decoded where they lie in the page
 * cache with errors naming the exact value, and damaged inline package buckets refused with a
 * clear error, including with a cache small enough that every page read recycles a slot.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BoltWriter } from '../../src/db/bolt/index.ts';
import { openTrivyDb } from '../../src/db/trivydb/index.ts';
import { createAdvisoryStore, lookupAdvisories } from '../../src/detect/advisory-store.ts';
import { DbValueError } from '../../src/detect/db-values.ts';
import { isVigilError } from '../../src/errors/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

type Tree = { [name: string]: Tree | string };

/** Writes nested buckets (objects) and values (strings); keys are written in byte order. */
function writeDb(path: string, tree: Tree): void {
  const writer = new BoltWriter(path);
  const write = (node: Tree) => {
    for (const key of Object.keys(node).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
      const value = node[key] as Tree | string;
      if (typeof value === 'string') {
        writer.put(key, value);
        continue;
      }
      writer.beginBucket(key);
      write(value);
      writer.endBucket();
    }
  };
  write(tree);
  writer.finish();
}

const json = (value: unknown) => JSON.stringify(value);

describe('advisory store lookups', () => {
  const dir = tempDir('vigil-advisory-store-');

  test('an ecosystem prefix merges its buckets in byte order: a later bucket replaces an advisory in place', () => {
    const path = join(dir, 'merge.db');
    writeDb(path, {
      'data-source': {
        'npm::A first source': json({ ID: 'a', Name: 'A' }),
        'npm::B second source': json({ ID: 'b', Name: 'B' }),
      },
      'npm::A first source': {
        lodash: { 'CVE-1': json({ PatchedVersions: ['1.0.1'] }), 'CVE-3': json({ PatchedVersions: ['3.0.1'] }) },
        other: { 'CVE-9': json({}) },
      },
      'npm::B second source': { lodash: { 'CVE-1': json({ PatchedVersions: ['1.0.2'] }), 'CVE-2': json({}) } },
      'pip::A first source': { lodash: { 'CVE-8': json({}) } },
    });
    const db = openTrivyDb(path, { cacheBytes: 1 });
    const store = createAdvisoryStore(db);
    const found = store.ecosystem('npm::', 'lodash');
    assert.deepEqual(
      found.map((a) => [a.VulnerabilityID, a.PatchedVersions?.[0], a.DataSource?.ID]),
      [
        ['CVE-1', '1.0.2', 'b'],
        ['CVE-3', '3.0.1', 'a'],
        ['CVE-2', undefined, 'b'],
      ],
    );
    assert.deepEqual(store.ecosystem('npm::', 'missing'), []);
    assert.deepEqual(
      store.platform('npm::A first source', 'other').map((a) => a.VulnerabilityID),
      ['CVE-9'],
    );
    db.close();
  });

  test('a value of the wrong type fails the lookup naming that very value, not the first in its bucket', () => {
    const path = join(dir, 'wrong-type.db');
    writeDb(path, {
      'debian 12': {
        openssl: { 'CVE-2024-1': json({ FixedVersion: '3.0.1' }), 'CVE-2024-2': json({ FixedVersion: 5 }) },
      },
    });
    const db = openTrivyDb(path);
    const store = createAdvisoryStore(db);
    assert.throws(
      () => store.platform('debian 12', 'openssl'),
      (error: unknown) =>
        error instanceof DbValueError &&
        error.message.includes('debian 12/openssl/CVE-2024-2') &&
        error.message.includes('FixedVersion must be a string'),
    );
    assert.throws(
      () => lookupAdvisories('debian advisories', () => store.platform('debian 12', 'openssl')),
      (error: unknown) =>
        isVigilError(error) && error.message.startsWith('failed to get debian advisories: json unmarshal error'),
    );
    db.close();
  });

  test('a damaged inline package bucket is a clear error, never a crash or a wrong answer', () => {
    const path = join(dir, 'inline.db');
    writeDb(path, { 'alpine 3.20': { busybox: { 'CVE-INLINE-0001': json({ FixedVersion: '1.36.1-r1' }) } } });
    const intact = openTrivyDb(path, { cacheBytes: 1 });
    assert.deepEqual(
      createAdvisoryStore(intact)
        .platform('alpine 3.20', 'busybox')
        .map((a) => a.FixedVersion),
      ['1.36.1-r1'],
    );
    intact.close();
    // The package bucket is inline: a page header, one element {flags, pos, ksize, vsize}, then the key.
    // Its value size is made to run far past the bucket.
    const file = readFileSync(path);
    const key = file.indexOf('CVE-INLINE-0001');
    assert.ok(key > 0);
    const element = key - 16;
    assert.equal(file.readUInt32LE(element + 4), 16, 'the element points at the key right after it');
    file.writeUInt32LE(0xffff, element + 12);
    writeFileSync(path, file);
    const damaged = openTrivyDb(path, { cacheBytes: 1 });
    assert.throws(
      () =>
        lookupAdvisories('alpine advisories', () => createAdvisoryStore(damaged).platform('alpine 3.20', 'busybox')),
      (error: unknown) =>
        isVigilError(error) &&
        error.message.includes('failed to get alpine advisories') &&
        error.message.includes('inline bucket page element 0 points outside the page'),
    );
    damaged.close();
  });

  test('vulnerability details are decoded in place; a damaged record names its ID', () => {
    const path = join(dir, 'vulnerability.db');
    writeDb(path, {
      vulnerability: {
        'CVE-2024-1': json({ Title: 'one', Severity: 'HIGH', VendorSeverity: { nvd: 3 } }),
        'CVE-2024-2': json({ Title: 2 }),
      },
    });
    const db = openTrivyDb(path, { cacheBytes: 1 });
    const store = createAdvisoryStore(db);
    assert.deepEqual(store.vulnerability('CVE-2024-1'), { Title: 'one', Severity: 'HIGH', VendorSeverity: { nvd: 3 } });
    assert.equal(store.vulnerability('CVE-2024-3'), undefined);
    assert.throws(
      () => store.vulnerability('CVE-2024-2'),
      (error: unknown) => error instanceof DbValueError && error.message.includes('vulnerability/CVE-2024-2'),
    );
    db.close();
  });
});
