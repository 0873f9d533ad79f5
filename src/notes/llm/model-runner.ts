/**
 * The runner around a {@link NoteModel}: everything that makes a run of thousands of calls cheap,
 * fast and safe to interrupt. In order, per call: the response cache; a `p-limit` slot
 * (`--concurrency`); the requests- and tokens-per-minute windows (off unless set); the call under a
 * per-request timeout and the run's AbortSignal; on a retryable failure, the server's Retry-After
 * or exponential backoff with jitter, then again; a refused API key (AuthError) fails every later
 * call without sending it. The runner is itself a NoteModel, so the note pipeline cannot tell it
 * from a bare provider.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { withRetry, type RetryPolicy } from '../../core/retry.js';
import { AuthError, ConnectionError, InterruptedError, LlmOutputError, LlmRefusalError } from '../../errors.js';
import type { LlmCache } from '../../cache/llm-cache.js';
import { llmCacheKey } from '../../cache/llm-cache.js';
import type { ModelRequest, ModelResult, NoteModel } from './note-model.js';
import { jsonSchemaOf } from './structured-output.js';
import { systemClock, WindowLimiter, type Clock } from './rate-limiter.js';
import type { UsageLedger } from './usage-ledger.js';

export interface ModelRunnerOptions {
  /** Calls in flight at once (`--concurrency`, default 4). */
  readonly concurrency?: number;
  /** Requests per minute (`--rpm`); default unlimited. */
  readonly requestsPerMinute?: number | undefined;
  /** Tokens per minute, prompt + completion (`--tpm`); default unlimited. Prompt size is estimated at 4 characters a token. */
  readonly tokensPerMinute?: number | undefined;
  /**
   * Retries of retryable failures (429, 5xx, dropped connections, timeouts): default 5 attempts in
   * all, backoff from 500 ms doubling to 30 s; a server's Retry-After is honoured up to that ceiling.
   */
  readonly retry?: Partial<RetryPolicy>;
  /** Jitter source for the backoff, in [0, 1); default `Math.random`. Inject for reproducible waits. */
  readonly random?: () => number;
  /** Per-request timeout (ms, `--request-timeout`, default 120 000). A timeout is retried. */
  readonly timeoutMs?: number;
  /** The run's signal (Ctrl-C): aborts waits and in-flight calls; the call then throws InterruptedError. */
  readonly signal?: AbortSignal | undefined;
  /** Response cache; default none. */
  readonly cache?: LlmCache | undefined;
  /** Usage accounting; default none. */
  readonly usage?: UsageLedger | undefined;
  /** Time source for waits; injectable for tests. */
  readonly clock?: Clock;
}

/** The runner's default retry policy. */
export const DEFAULT_LLM_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface ModelRunnerStats {
  /** Calls that reached the model, retries included. */
  readonly attempts: number;
  /** Retries after retryable failures. */
  readonly retries: number;
  readonly cacheHits: number;
}

/** A NoteModel with caching, limits and retries; see the module comment. */
export interface ModelRunner extends NoteModel {
  stats(): ModelRunnerStats;
}

export function createModelRunner(model: NoteModel, options: ModelRunnerOptions = {}): ModelRunner {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  const limit: LimitFunction = pLimit(concurrency);
  const clock = options.clock ?? systemClock;
  const rpm = options.requestsPerMinute === undefined ? undefined : new WindowLimiter(options.requestsPerMinute, clock);
  const tpm = options.tokensPerMinute === undefined ? undefined : new WindowLimiter(options.tokensPerMinute, clock);
  const policy: RetryPolicy = { ...DEFAULT_LLM_RETRY_POLICY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 120_000;
  const runSignal = options.signal;
  let attempts = 0;
  let retries = 0;
  let cacheHits = 0;
  /** A refused key is refused for every call: once seen, queued calls fail with it instead of being sent. */
  let refused: AuthError | undefined;

  async function callWithRetries<T>(request: ModelRequest<T>, stop: AbortSignal | undefined): Promise<ModelResult<T>> {
    if (refused !== undefined) throw refused;
    try {
      return await retried(request, stop);
    } catch (error) {
      if (error instanceof AuthError) refused ??= error;
      throw error;
    }
  }

  function retried<T>(request: ModelRequest<T>, stop: AbortSignal | undefined): Promise<ModelResult<T>> {
    return withRetry(() => callOnce(request, stop), {
      policy,
      random: options.random,
      sleep: (ms) => interruptible(stop, () => clock.sleep(ms, stop)),
      onRetry: () => {
        retries++;
      },
    });
  }

  /** One try: the rate windows, then the call under its timeout; a timeout is a retryable ConnectionError. */
  async function callOnce<T>(request: ModelRequest<T>, stop: AbortSignal | undefined): Promise<ModelResult<T>> {
    if (aborted(stop)) throw new InterruptedError();
    await interruptible(stop, () => rpm?.reserve(1, stop));
    const estimate = estimateTokens(request);
    const tpmReservation = await interruptible(stop, () => tpm?.reserve(estimate, stop));
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = stop === undefined ? timeout : AbortSignal.any([stop, timeout]);
    attempts++;
    try {
      const result = await model.complete({ ...request, signal });
      tpmReservation?.settle(result.usage.promptTokens + result.usage.completionTokens);
      return result;
    } catch (caught) {
      if (aborted(stop)) throw new InterruptedError();
      if (timeout.aborted) throw new ConnectionError(`request timed out after ${timeoutMs} ms`, { cause: caught });
      throw caught;
    }
  }

  async function interruptible<R>(stop: AbortSignal | undefined, fn: () => Promise<R> | undefined): Promise<R | undefined> {
    try {
      return await fn();
    } catch (error) {
      if (aborted(stop)) throw new InterruptedError();
      throw error;
    }
  }

  return {
    provider: model.provider,
    model: model.model,
    async complete<T>(request: ModelRequest<T>): Promise<ModelResult<T>> {
      const cache = options.cache;
      const key = cache === undefined || cache.mode === 'off' ? undefined : cacheKeyOf(model, request);
      if (key !== undefined) {
        const hit = cache!.get(key);
        const value = hit === undefined ? undefined : request.schema.safeParse(hit.value);
        if (hit !== undefined && value?.success === true) {
          cacheHits++;
          options.usage?.record(request.label, hit.usage, true);
          return { value: value.data, raw: hit.raw, usage: hit.usage };
        }
      }
      // The run's signal (Ctrl-C) and the caller's, if any, both stop the call.
      const stop = runSignal === undefined ? request.signal : request.signal === undefined ? runSignal : AbortSignal.any([runSignal, request.signal]);
      if (aborted(stop)) throw new InterruptedError();
      let result: ModelResult<T>;
      try {
        result = await limit(() => callWithRetries(request, stop));
      } catch (error) {
        // The model answered, uselessly: those tokens are billed too.
        if (error instanceof LlmOutputError || error instanceof LlmRefusalError) {
          if (error.usage !== undefined) options.usage?.record(request.label, error.usage, false);
        }
        throw error;
      }
      options.usage?.record(request.label, result.usage, false);
      if (key !== undefined) cache!.put(key, model.provider, model.model, { value: result.value, raw: result.raw, usage: result.usage });
      return result;
    },
    stats: () => ({ attempts, retries, cacheHits }),
  };
}

/** The cache key of a request: provider, model, messages, schema (as JSON Schema) and sampling. */
export function cacheKeyOf(model: NoteModel, request: ModelRequest<unknown>): string {
  return llmCacheKey({
    provider: model.provider,
    model: model.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    schema: { name: request.schemaName, jsonSchema: jsonSchemaOf(request.schema) },
    sampling: { ...request.sampling },
  });
}

/** A function, not an inline check, so TypeScript does not narrow `aborted` across awaits. */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function estimateTokens(request: ModelRequest<unknown>): number {
  const chars = request.messages.reduce((n, m) => n + m.content.length, 0);
  return Math.ceil(chars / 4) + (request.sampling?.maxTokens ?? 1000);
}
