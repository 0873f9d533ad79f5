/** How an upload retries a failed request. */
export interface RetryPolicy {
  /** Attempts in all, including the first (at least 1). */
  readonly attempts: number;
  /** Backoff before the second attempt; doubles each time. */
  readonly baseDelayMs: number;
  /** Ceiling for one wait, also for a server's Retry-After. */
  readonly maxDelayMs: number;
}

/** The default policy: 6 attempts, 250 ms doubling, at most 30 s per wait. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 30_000 };

/** What to do about a failed attempt. */
export type FailureKind = 'throttled' | 'server' | 'network' | 'auth' | 'fatal';

/** Classifies an HTTP status (undefined: no answer at all, e.g. a dropped connection or timeout). */
export function classifyStatus(status: number | undefined): FailureKind {
  if (status === undefined) return 'network';
  if (status === 429) return 'throttled';
  if (status === 401) return 'auth';
  // 409: concurrent transactions writing the same shared resource (HAPI's version conflicts);
  // our PUTs are idempotent, so trying again is safe.
  if (status === 408 || status === 409 || status >= 500) return 'server';
  return 'fatal';
}

/**
 * Milliseconds to wait before attempt `attempt + 1` (attempt counts from 1): the server's
 * `Retry-After` when it sent one (seconds or an HTTP date), else exponential backoff with "equal"
 * jitter, so many clients that failed together do not retry together. `random` is in [0, 1).
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfter: string | null | undefined, random: number, now = Date.now()): number {
  const fromHeader = parseRetryAfter(retryAfter, now);
  if (fromHeader !== undefined) return Math.min(fromHeader, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** `Retry-After` as milliseconds from `now`, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
