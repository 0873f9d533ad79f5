/**
 * The FHIR client's retry policy. The mechanism (backoff, jitter, Retry-After) is the one every
 * client shares, in `src/core/retry.ts`; which failures are retryable is decided by status in
 * `requestError` (`src/errors.ts`).
 */
import type { RetryPolicy } from '../../core/retry.js';

export type { RetryPolicy };

/** The default policy: 6 attempts, 250 ms doubling, at most 30 s per wait. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 30_000 };
