import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatReference,
  isLoopbackRegistry,
  parseChallenges,
  parseReference,
  preferredChallenge,
  registryApiHost,
} from '../../src/oci/registry/index.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('reference parsing', () => {
  it('completes Docker Hub names as Docker does', () => {
    assert.deepEqual(parseReference('alpine'), { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' });
    assert.deepEqual(parseReference('aquasec/trivy-db:2'), {
      registry: 'docker.io',
      repository: 'aquasec/trivy-db',
      tag: '2',
    });
    assert.deepEqual(parseReference('index.docker.io/alpine:3.19'), {
      registry: 'docker.io',
      repository: 'library/alpine',
      tag: '3.19',
    });
    assert.equal(registryApiHost('docker.io'), 'registry-1.docker.io');
    assert.equal(registryApiHost('ghcr.example:5000'), 'ghcr.example:5000');
  });

  it('reads hosts with ports, localhost, IPv6, tags and digests', () => {
    assert.deepEqual(parseReference('localhost/trivy-db'), {
      registry: 'localhost',
      repository: 'trivy-db',
      tag: 'latest',
    });
    assert.deepEqual(parseReference('127.0.0.1:5000/x/trivy-db:2'), {
      registry: '127.0.0.1:5000',
      repository: 'x/trivy-db',
      tag: '2',
    });
    assert.deepEqual(parseReference(`[::1]:5000/db@${DIGEST}`), {
      registry: '[::1]:5000',
      repository: 'db',
      digest: DIGEST,
    });
    assert.deepEqual(parseReference(`registry.example/a/b:1@${DIGEST}`), {
      registry: 'registry.example',
      repository: 'a/b',
      tag: '1',
      digest: DIGEST,
    });
    assert.deepEqual(parseReference('registry.example/a/b', { defaultTag: null }), {
      registry: 'registry.example',
      repository: 'a/b',
    });
    assert.equal(
      formatReference(parseReference(`registry.example:443/a/b:1@${DIGEST}`)),
      `registry.example:443/a/b:1@${DIGEST}`,
    );
  });

  it('refuses malformed references with a usage error', () => {
    for (const bad of [
      '',
      'UPPER/case',
      'https://registry.example/a',
      'a/b:bad tag',
      'a@sha256:short',
      'a//b',
      'a/b:',
    ]) {
      assert.throws(
        () => parseReference(bad),
        (error: unknown) => (error as { exitCode: number }).exitCode === 2,
        bad,
      );
    }
  });

  it('allows plain HTTP only for loopback registries', () => {
    for (const host of ['localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000', 'localhost'])
      assert.ok(isLoopbackRegistry(host), host);
    for (const host of ['registry.example', '10.0.0.1:5000', 'localhost.example'])
      assert.ok(!isLoopbackRegistry(host), host);
  });
});

describe('WWW-Authenticate parsing', () => {
  it('reads Bearer parameters with quoted commas and prefers Bearer over Basic', () => {
    const challenges = parseChallenges(
      'Basic realm="basic realm", Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push",error="insufficient_scope"',
    );
    assert.equal(challenges.length, 2);
    assert.deepEqual(preferredChallenge(challenges), {
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example/token',
        service: 'registry.example',
        scope: 'repository:a/b:pull,push',
        error: 'insufficient_scope',
      },
    });
    assert.deepEqual(parseChallenges('basic realm=vigil'), [{ scheme: 'basic', params: { realm: 'vigil' } }]);
    assert.deepEqual(parseChallenges(undefined), []);
  });
});
