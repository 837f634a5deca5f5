import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, proxyFor, proxySettings } from '../../src/net/index.ts';

describe('proxy selection', () => {
  const pick = (url: string, env: Record<string, string>) => proxyFor(new URL(url), proxySettings(env));

  it('uses HTTPS_PROXY for https and HTTP_PROXY for http, lower case first, scheme optional', () => {
    const env = { HTTPS_PROXY: 'upper:1', https_proxy: 'http://lower:2', HTTP_PROXY: 'http://plain:3' };
    assert.equal(pick('https://r.example.com/v2/', env), 'http://lower:2');
    assert.equal(pick('http://r.example.com/v2/', env), 'http://plain:3');
    assert.equal(pick('https://r.example.com/', { HTTPS_PROXY: 'proxy.corp:3128' }), 'http://proxy.corp:3128');
    // As in Go: an https target never falls back to HTTP_PROXY.
    assert.equal(pick('https://r.example.com/', { HTTP_PROXY: 'http://plain:3' }), undefined);
  });

  it('matches NO_PROXY entries as Go does', () => {
    const env = {
      HTTPS_PROXY: 'http://p:1',
      NO_PROXY: 'corp.example, .sub.example,*.star.example, 10.0.0.0/8, host.example:8443',
    };
    const bypassed = [
      'https://corp.example/',
      'https://a.corp.example/',
      'https://x.sub.example/',
      'https://x.star.example/',
      'https://10.1.2.3/',
      'https://host.example:8443/',
      'https://localhost:5000/',
      'https://127.0.0.2/',
      'https://[::1]:5000/',
    ];
    for (const url of bypassed) assert.equal(pick(url, env), undefined, url);
    const proxied = [
      'https://sub.example/',
      'https://star.example/',
      'https://11.0.0.1/',
      'https://host.example/',
      'https://notcorp.example/',
    ];
    for (const url of proxied) assert.equal(pick(url, env), 'http://p:1', url);
    assert.equal(pick('https://anything.example/', { HTTPS_PROXY: 'http://p:1', no_proxy: '*' }), undefined);
  });
});

describe('retry timing', () => {
  it('grows by the factor with a bounded random spread', () => {
    assert.equal(
      backoffDelay(DEFAULT_RETRY_POLICY, 1, () => 0.5),
      1000,
    );
    assert.equal(
      backoffDelay(DEFAULT_RETRY_POLICY, 3, () => 0.5),
      9000,
    );
    assert.equal(
      backoffDelay(DEFAULT_RETRY_POLICY, 1, () => 0),
      900,
    );
    assert.equal(
      backoffDelay(DEFAULT_RETRY_POLICY, 1, () => 1),
      1100,
    );
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores anything else', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
