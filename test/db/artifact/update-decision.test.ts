import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheLayout } from '../../../src/cache/layout.ts';
import {
  ARTIFACT_SPECS,
  artifactPaths,
  type DbMetadataFile,
  decideChecksUpdate,
  decideDbUpdate,
  decideJavaDbUpdate,
  type LocalDbState,
} from '../../../src/db/artifact/index.ts';
import type { VigilError } from '../../../src/errors/index.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const HOUR = 3_600_000;
const db = ARTIFACT_SPECS.db;
const java = ARTIFACT_SPECS['java-db'];
const checks = ARTIFACT_SPECS.checks;
const layout = cacheLayout('/cache');
const dbPaths = artifactPaths(layout, 'db');
const javaPaths = artifactPaths(layout, 'java-db');
const checksPaths = artifactPaths(layout, 'checks');

function state(metadata: Partial<DbMetadataFile> | 'missing', dataProblem?: string): LocalDbState {
  if (metadata === 'missing') return { metadata: { state: 'missing' }, dataProblem };
  return {
    metadata: {
      state: 'ok',
      value: {
        Version: 2,
        NextUpdate: iso(-HOUR),
        UpdatedAt: iso(-24 * HOUR),
        DownloadedAt: iso(-3 * HOUR),
        ...metadata,
      },
    },
    dataProblem,
  };
}

const errorWith =
  (code: string, ...patterns: RegExp[]) =>
  (error: unknown) => {
    const vigil = error as VigilError;
    assert.equal(vigil.code, code);
    for (const pattern of patterns) assert.match(`${vigil.message}\n${vigil.hint}`, pattern);
    return true;
  };

describe('vulnerability DB update rules (trivy-compat §3.1)', () => {
  it('first run: downloads, or with --skip-db-update fails naming the files and the command', () => {
    assert.equal(decideDbUpdate(db, dbPaths, state('missing'), false, NOW).action, 'download');
    assert.throws(
      () => decideDbUpdate(db, dbPaths, state('missing'), true, NOW),
      errorWith(
        'DB_FIRST_RUN',
        /--skip-db-update cannot be specified on the first run/,
        /\/cache\/db\/metadata\.json is missing/,
        /\/cache\/db\/trivy\.db and \/cache\/db\/metadata\.json/,
        /vigil db pull/,
      ),
    );
    assert.throws(
      () => decideDbUpdate(db, dbPaths, state({}, '/cache/db/trivy.db is missing'), true, NOW),
      errorWith('DB_FIRST_RUN', /trivy\.db is missing/),
    );
  });

  it('a zero DownloadedAt (oras pull, manual copy) is re-downloaded with a warning, or used with --skip-db-update', () => {
    const manual = state({ DownloadedAt: '0001-01-01T00:00:00Z', NextUpdate: iso(HOUR) });
    const decision = decideDbUpdate(db, dbPaths, manual, false, NOW);
    assert.equal(decision.action, 'download');
    assert.match((decision as { warning: string }).warning, /--skip-db-update/);
    assert.equal(decideDbUpdate(db, dbPaths, manual, true, NOW).action, 'use');
  });

  it('a newer schema is an error even with --skip-db-update; an older one only with it', () => {
    for (const skip of [false, true]) {
      assert.throws(
        () => decideDbUpdate(db, dbPaths, state({ Version: 3 }), skip, NOW),
        errorWith('DB_SCHEMA_NEWER', /Local DB: 3, Expected: 2/),
      );
    }
    assert.throws(
      () => decideDbUpdate(db, dbPaths, state({ Version: 1 }), true, NOW),
      errorWith('DB_SCHEMA_OLD', /old DB schema\. Local DB: 1, Expected: 2/, /\/cache\/db\/trivy\.db/),
    );
    assert.equal(decideDbUpdate(db, dbPaths, state({ Version: 1 }), false, NOW).action, 'download');
  });

  it('is fresh before NextUpdate or within an hour of DownloadedAt', () => {
    assert.equal(decideDbUpdate(db, dbPaths, state({ NextUpdate: iso(HOUR) }), false, NOW).action, 'use');
    assert.equal(decideDbUpdate(db, dbPaths, state({ DownloadedAt: iso(-HOUR / 2) }), false, NOW).action, 'use');
    assert.equal(decideDbUpdate(db, dbPaths, state({}), false, NOW).action, 'download');
    assert.equal(decideDbUpdate(db, dbPaths, state({}), true, NOW).action, 'use');
  });
});

describe('Java DB update rules (trivy-compat §3.2)', () => {
  const javaState = (metadata: Partial<DbMetadataFile> | 'missing', problem?: string) =>
    state(metadata === 'missing' ? 'missing' : { Version: 1, ...metadata }, problem);

  it('first run with --skip-java-db-update fails; otherwise downloads', () => {
    assert.throws(
      () => decideJavaDbUpdate(java, javaPaths, javaState('missing'), true, NOW),
      errorWith(
        'DB_FIRST_RUN',
        /'--skip-java-db-update' cannot be specified on the first run/,
        /trivy-java\.db/,
        /vigil db pull --java/,
      ),
    );
    assert.equal(decideJavaDbUpdate(java, javaPaths, javaState('missing'), false, NOW).action, 'download');
  });

  it('fresh for a day after download; any schema accepted under --skip-java-db-update', () => {
    assert.equal(
      decideJavaDbUpdate(java, javaPaths, javaState({ DownloadedAt: iso(-20 * HOUR) }), false, NOW).action,
      'use',
    );
    assert.equal(
      decideJavaDbUpdate(java, javaPaths, javaState({ DownloadedAt: iso(-25 * HOUR) }), false, NOW).action,
      'download',
    );
    assert.equal(decideJavaDbUpdate(java, javaPaths, javaState({ Version: 7 }), true, NOW).action, 'use');
    assert.equal(
      decideJavaDbUpdate(java, javaPaths, javaState({ Version: 7, NextUpdate: iso(HOUR) }), false, NOW).action,
      'download',
    );
  });
});

describe('checks bundle update rules (trivy-compat §3.3)', () => {
  const ok = (value: object, contentExists = true) => ({
    metadata: {
      state: 'ok' as const,
      value: { Digest: 'sha256:abc', DownloadedAt: iso(-2 * HOUR), MajorVersion: 2, ...value },
    },
    contentExists,
  });

  it('--skip-check-update needs the content directory', () => {
    assert.equal(decideChecksUpdate(checks, checksPaths, ok({}), true, NOW).action, 'use');
    assert.throws(
      () => decideChecksUpdate(checks, checksPaths, ok({}, false), true, NOW),
      errorWith('CHECKS_MISSING', /cache does not exist at "\/cache\/policy\/content"/),
    );
  });

  it('updates on missing metadata or another major version, unless a custom build', () => {
    assert.equal(
      decideChecksUpdate(checks, checksPaths, { metadata: { state: 'missing' }, contentExists: true }, false, NOW)
        .action,
      'download',
    );
    assert.equal(decideChecksUpdate(checks, checksPaths, ok({ MajorVersion: 1 }), false, NOW).action, 'download');
    assert.equal(
      decideChecksUpdate(checks, checksPaths, ok({ MajorVersion: 0, CustomBuild: true }), false, NOW).action,
      'use',
    );
  });

  it('after a day compares the remote digest with the cached one', () => {
    const decision = decideChecksUpdate(checks, checksPaths, ok({ DownloadedAt: iso(-25 * HOUR) }), false, NOW);
    assert.deepEqual(decision, { action: 'compare-digest', reason: 'older than a day', cachedDigest: 'sha256:abc' });
  });
});
