/**
 * The runner around a {@link NoteModel}: everything that makes a run of thousands of calls cheap,
 * fast and safe to interrupt. In order, per call: the response cache; a `p-limit` slot
 * (`--concurrency`); the requests- and tokens-per-minute windows (off unless set); the call under a
 * per-request timeout and the run's AbortSignal; on a retryable failure, the server's Retry-After
 * or exponential backoff with jitter, then again. The runner is itself a NoteModel, so the note
 * pipeline cannot tell it from a bare provider.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { z } from 'zod';
import { InterruptedError, LlmRequestError } from '../../errors.js';
import type { LlmCache } from '../../cache/llm-cache.js';
import { llmCacheKey } from '../../cache/llm-cache.js';
import type { ModelRequest, ModelResult, NoteModel } from './note-model.js';
import { systemClock, WindowLimiter, type Clock } from './rate-limiter.js';
import { createBackoff, type Backoff, type BackoffOptions } from './retry-policy.js';
import type { UsageLedger } from './usage-ledger.js';

export interface ModelRunnerOptions {
  /** Calls in flight at once (`--concurrency`, default 4). */
  readonly concurrency?: number;
  /** Requests per minute (`--rpm`); default unlimited. */
  readonly requestsPerMinute?: number | undefined;
  /** Tokens per minute, prompt + completion (`--tpm`); default unlimited. Prompt size is estimated at 4 characters a token. */
  readonly tokensPerMinute?: number | undefined;
  /** Tries per call for retryable failures, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Backoff between tries (default 500 ms doubling to 30 s, unseeded jitter). */
  readonly backoff?: BackoffOptions;
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
  const backoff: Backoff = createBackoff(options.backoff);
  const maxAttempts = options.maxAttempts ?? 5;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const runSignal = options.signal;
  let attempts = 0;
  let retries = 0;
  let cacheHits = 0;

  async function callWithRetries<T>(request: ModelRequest<T>): Promise<ModelResult<T>> {
    for (let attempt = 1; ; attempt++) {
      if (aborted(runSignal)) throw new InterruptedError();
      const rpmReservation = await interruptible(() => rpm?.reserve(1, runSignal));
      const estimate = estimateTokens(request);
      const tpmReservation = await interruptible(() => tpm?.reserve(estimate, runSignal));
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = runSignal === undefined ? timeout : AbortSignal.any([runSignal, timeout]);
      attempts++;
      try {
        const result = await model.complete({ ...request, signal });
        tpmReservation?.settle(result.usage.promptTokens + result.usage.completionTokens);
        void rpmReservation;
        return result;
      } catch (caught) {
        if (aborted(runSignal)) throw new InterruptedError();
        const error = timeout.aborted
          ? new LlmRequestError(`request timed out after ${timeoutMs} ms`, { retryable: true }, { cause: caught })
          : caught;
        if (!(error instanceof LlmRequestError) || !error.retryable || attempt >= maxAttempts) throw error;
        retries++;
        const wait = error.retryAfterMs ?? backoff(attempt);
        await interruptible(() => clock.sleep(wait, runSignal));
      }
    }
  }

  async function interruptible<R>(fn: () => Promise<R> | undefined): Promise<R | undefined> {
    try {
      return await fn();
    } catch (error) {
      if (aborted(runSignal)) throw new InterruptedError();
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
      if (aborted(runSignal)) throw new InterruptedError();
      const result = await limit(() => callWithRetries(request));
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
    schema: { name: request.schemaName, jsonSchema: z.toJSONSchema(request.schema) },
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
