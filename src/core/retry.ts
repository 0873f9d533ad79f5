/**
 * Retry with exponential backoff and the server's Retry-After: the one implementation behind every
 * remote call (the LLM runner, the FHIR server client, the OAuth token fetch). Waits are "equal
 * jitter" (half fixed, half random) so clients that failed together do not come back together.
 * The jitter source and the sleeper are injected: tests get exact waits without waiting.
 */
import { RequestError } from '../errors.js';

/** How many times to try, and how long to wait in between. */
export interface RetryPolicy {
  /** Attempts in all, the first included (at least 1). */
  readonly attempts: number;
  /** Backoff ceiling before the second attempt (ms); it doubles with each further attempt. */
  readonly baseDelayMs: number;
  /** Ceiling of any one wait (ms), a server's Retry-After included. */
  readonly maxDelayMs: number;
}

/**
 * Backoff before retry number `retry` (1 for the first retry): uniformly between half the ceiling
 * and the ceiling, the ceiling doubling from `baseDelayMs` up to `maxDelayMs`. `random` is in [0, 1).
 */
export function backoffDelayMs(policy: Omit<RetryPolicy, 'attempts'>, retry: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** The wait before retry `retry`: the server's Retry-After when it sent one (capped by the policy), else backoff. */
export function retryDelayMs(policy: Omit<RetryPolicy, 'attempts'>, retry: number, retryAfterMs: number | undefined, random: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  return backoffDelayMs(policy, retry, random);
}

/** What a failure says about trying again: undefined for "do not", else the wait the server asked for, if any. */
export type RetryAdvice = { readonly retryAfterMs: number | undefined } | undefined;

/** Which attempt is running; `last` is true when no retry follows a failure of this one. */
export interface RetryAttempt {
  readonly attempt: number;
  readonly last: boolean;
}

/** One failure about to be retried. */
export interface RetryEvent {
  /** The attempt that failed (1 for the first). */
  readonly attempt: number;
  readonly error: unknown;
  readonly delayMs: number;
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  /** Jitter source in [0, 1); default `Math.random`. Inject a seeded one for reproducible waits. */
  readonly random?: (() => number) | undefined;
  /** Waits; default a timer that `signal` cancels. Inject to record waits instead of waiting. */
  readonly sleep?: ((ms: number, signal: AbortSignal | undefined) => Promise<void>) | undefined;
  /** Cancels waits (Ctrl-C); a cancelled wait rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Whether a failure is worth another attempt; default: a {@link RequestError} that says it is retryable. */
  readonly advise?: ((error: unknown) => RetryAdvice) | undefined;
  /** Called before each wait, e.g. to count retries or log them. */
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
}

/** A retryable request error asks for a retry, with its Retry-After; anything else stops. */
export function adviseFromRequestError(error: unknown): RetryAdvice {
  return error instanceof RequestError && error.retryable ? { retryAfterMs: error.retryAfterMs } : undefined;
}

/**
 * Runs `run` until it succeeds, a failure is not worth retrying, or the policy's attempts are
 * spent; then throws the last failure as it is.
 */
export async function withRetry<T>(run: (attempt: RetryAttempt) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = Math.max(1, options.policy.attempts);
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sleepFor;
  const advise = options.advise ?? adviseFromRequestError;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run({ attempt, last: attempt >= attempts });
    } catch (error) {
      const advice = attempt >= attempts ? undefined : advise(error);
      if (advice === undefined) throw error;
      const delayMs = retryDelayMs(options.policy, attempt, advice.retryAfterMs, random());
      options.onRetry?.({ attempt, error, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}

/** A timer that rejects with the signal's own reason when it aborts (an InterruptedError, say). */
function sleepFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
