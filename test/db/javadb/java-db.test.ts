import assert from 'node:assert/strict';
import { copyFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { openJavaDb } from '../../../src/db/javadb/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { buildJavaDb, REAL_JAVA_DB } from './java-db-builder.ts';

const sha = (n: number) => n.toString(16).padStart(40, '0');

test('the real trivy-java.db fixture: SHA-1 lookup and existence', () => {
  const db = openJavaDb(REAL_JAVA_DB);
  try {
    assert.deepEqual(db.searchBySha1('bd70dfeb39cc83c6934be24fa377b21e541dbe76'), {
      groupId: 'org.apache.tomcat.embed',
      artifactId: 'tomcat-embed-websocket',
      version: '9.0.65',
    });
    assert.deepEqual(db.searchBySha1('BD70DFEB39CC83C6934BE24FA377B21E541DBE76')?.version, '9.0.65');
    assert.equal(db.searchBySha1(sha(1)), undefined);
    assert.equal(db.exists('org.apache.tomcat.embed', 'tomcat-embed-websocket'), true);
    assert.equal(db.exists('org.apache.tomcat', 'tomcat-embed-websocket'), false);
    assert.equal(db.searchByArtifactId('tomcat-embed-websocket', '9.0.65'), 'org.apache.tomcat.embed');
    assert.equal(db.searchByArtifactId('tomcat-embed-websocket', '1.0'), undefined);
    assert.throws(() => db.searchBySha1('not-hex'), { code: 'JAVA_DB_QUERY' });
  } finally {
    db.close();
  }
});

test('artifact ID search picks the group with the most indexed rows, as Trivy counts them', () => {
  const path = buildJavaDb(join(tempDir('vigil-javadb-'), 'trivy-java.db'), [
    { groupId: 'javax.servlet', artifactId: 'jstl', version: '1.2', sha1: sha(1) },
    { groupId: 'javax.servlet', artifactId: 'jstl', version: '1.1.2', sha1: sha(2) },
    { groupId: 'jstl', artifactId: 'jstl', version: '1.2', sha1: sha(3) },
    { groupId: 'jstl', artifactId: 'jstl', version: '1.1.2', sha1: sha(4) },
    { groupId: 'jstl', artifactId: 'jstl', version: '1.0', sha1: sha(5) },
    { groupId: 'org.other', artifactId: 'jstl', version: '9.9', sha1: sha(6) },
    { groupId: 'b.group', artifactId: 'tie', version: '1', sha1: sha(7) },
    { groupId: 'a.group', artifactId: 'tie', version: '1', sha1: sha(8) },
    { groupId: 'c.pom', artifactId: 'pomonly', version: '1', sha1: sha(9), archiveType: 'pom' },
  ]);
  const db = openJavaDb(path);
  try {
    assert.equal(db.searchByArtifactId('jstl', '1.2'), 'jstl');
    assert.equal(db.searchByArtifactId('jstl', '9.9'), 'org.other');
    assert.equal(db.searchByArtifactId('tie', '1'), 'a.group');
    assert.equal(db.searchByArtifactId('pomonly', '1'), undefined);
    assert.equal(db.exists('jstl', 'jstl'), true);
    assert.deepEqual(db.searchBySha1(sha(5)), { groupId: 'jstl', artifactId: 'jstl', version: '1.0' });
  } finally {
    db.close();
  }
});

test('concurrent readers, replacement by rename, and unreadable files', () => {
  const dir = tempDir('vigil-javadb-');
  const path = join(dir, 'trivy-java.db');
  copyFileSync(REAL_JAVA_DB, path);
  const first = openJavaDb(path);
  const second = openJavaDb(path);
  assert.equal(first.exists('org.apache.tomcat.embed', 'tomcat-embed-websocket'), true);
  assert.equal(second.exists('org.apache.tomcat.embed', 'tomcat-embed-websocket'), true);
  // The lifecycle installs a new DB by rename; open readers keep answering from the old file.
  const replacement = buildJavaDb(join(dir, 'new.db'), [{ groupId: 'g', artifactId: 'a', version: '1', sha1: sha(1) }]);
  renameSync(replacement, path);
  assert.equal(first.exists('org.apache.tomcat.embed', 'tomcat-embed-websocket'), true);
  const third = openJavaDb(path);
  assert.equal(third.exists('g', 'a'), true);
  for (const db of [first, second, third]) db.close();

  const text = join(dir, 'text.db');
  writeFileSync(text, 'this is not sqlite, just text that is long enough to look like a header...');
  assert.throws(() => openJavaDb(text), { code: 'JAVA_DB_CORRUPT' });
  const empty = new DatabaseSync(join(dir, 'empty.db'));
  empty.exec('CREATE TABLE other(x)');
  empty.close();
  assert.throws(() => openJavaDb(join(dir, 'empty.db')), /missing table artifacts, indices/);
  assert.throws(() => openJavaDb(join(dir, 'absent.db')), { code: 'JAVA_DB_CORRUPT' });
});
