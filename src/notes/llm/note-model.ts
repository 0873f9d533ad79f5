/**
 * The one interface the note pipeline calls to get structured output from a language model:
 * messages and a zod schema in, the parsed object and token usage out. Providers (OpenAI-compatible
 * HTTP, any LangChain chat model) implement it; the runner decorates it with caching, limits and
 * retries; tests and the bench drive it against a loopback server.
 */
import type { z } from 'zod';

/** One chat message. Only the roles every provider understands. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** Sampling parameters; unset ones are left to the provider's defaults. Part of the cache key. */
export interface SamplingParams {
  /** 0 to 2. */
  readonly temperature?: number;
  /** Nucleus sampling, 0 to 1. */
  readonly topP?: number;
  /** Provider-side seed (best effort on OpenAI). */
  readonly seed?: number;
  /** Upper bound on completion tokens. */
  readonly maxTokens?: number;
}

/** Tokens one call used, as the provider reported them (0 when it reports nothing). */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export interface ModelRequest<T> {
  readonly messages: readonly ChatMessage[];
  readonly schema: z.ZodType<T>;
  /** Schema name sent to the provider, `[a-zA-Z0-9_-]{1,64}`. */
  readonly schemaName: string;
  readonly sampling?: SamplingParams;
  /** What the call is for, for usage accounting (the note type); not sent to the model. */
  readonly label?: string;
  readonly signal?: AbortSignal;
}

export interface ModelResult<T> {
  readonly value: T;
  /** The model's text the value was parsed from (JSON), kept for feedback and the cache. */
  readonly raw: string;
  readonly usage: TokenUsage;
}

/**
 * A language model that returns schema-checked objects. Implementations throw a `RequestError`
 * from `requestError` for transport failures (`AuthError`, `RateLimitError`, `ServerError`...,
 * with `retryable`), {@link LlmOutputError} when the output stays invalid after their repair
 * attempt, and {@link LlmRefusalError} on refusals.
 */
export interface NoteModel {
  /** Provider id, part of the cache key, e.g. `openai` or `langchain`. */
  readonly provider: string;
  /** Model name, part of the cache key. */
  readonly model: string;
  complete<T>(request: ModelRequest<T>): Promise<ModelResult<T>>;
}

/** Adds two usages. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens };
}

export const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0 };
