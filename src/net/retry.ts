import { setTimeout as delay } from 'node:timers/promises';
import type { RetryPolicy } from './types.ts';

/** The statuses worth sending the same request again for (as go-containerregistry, which Trivy uses). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 1000,
  factor: 3,
  jitter: 0.1,
  maxDelayMs: 60_000,
};

export function retryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  return { ...policy, attempts: Math.max(1, Math.floor(policy.attempts)) };
}

/** Exponential backoff with random spread: attempt 1 is the first retry. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const base = policy.baseDelayMs * policy.factor ** (attempt - 1);
  const spread = base * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

/**
 * Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from `now`.
 * Anything unreadable gives undefined, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}
