/**
 * Everything an LLM-backed run needs, built from one options object: provider, runner (cache,
 * limits, retries, timeout, Ctrl-C), usage ledger, price table and the note writer; and the summary
 * the manifest and the summary line report. `generate --notes --llm openai` fills the options from
 * its flags; library users pass a LangChain chat model instead.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { z } from 'zod';
import { CACHE_MODES, DEFAULT_LLM_CACHE_PATH, LlmCache, type LlmCacheStats } from '../../cache/llm-cache.js';
import { OptionError } from '../../errors.js';
import { decimal, integer, option, parseOptions } from '../../core/option-schema.js';
import { createLlmNoteWriter, type NoteWriter } from '../note-writer.js';
import type { PromptSet } from '../prompt-set.js';
import { createLangChainModel } from './langchain-model.js';
import { createModelRunner, type ModelRunner } from './model-runner.js';
import type { NoteModel } from './note-model.js';
import { createOpenAIModel } from './openai-model.js';
import { loadPriceTable } from './price-table.js';
import { UsageLedger, type UsageSummary } from './usage-ledger.js';

/**
 * The LLM writer's options as `generate` names them (read with `--llm openai`). Only the model,
 * temperature and retries change what is written; limits, cache and timeout change how fast.
 */
export const LLM_OPTIONS = {
  model: option(z.string().trim().min(1).optional(), { value: '<name>', help: 'LLM model (with --llm openai)', affectsOutput: true }),
  // 4, not 8: Ollama serves 4 requests per model at once by default and OpenAI's lowest tiers
  // throttle bursts; more in flight only queues at the server and runs into --request-timeout.
  concurrency: option(integer(1, 1024).default(4), { value: '<n>', help: 'LLM requests in flight', affectsOutput: false }),
  rpm: option(integer(1, 1_000_000_000).optional(), { value: '<n>', help: 'LLM requests per minute', defaultLabel: 'unlimited', affectsOutput: false }),
  tpm: option(integer(1, 1_000_000_000_000).optional(), { value: '<n>', help: 'LLM tokens per minute', defaultLabel: 'unlimited', affectsOutput: false }),
  cache: option(z.enum(CACHE_MODES).default('read-write'), { value: '<mode>', help: 'LLM response cache: read-write, read-only or off', affectsOutput: false }),
  cachePath: option(z.string().min(1).default(DEFAULT_LLM_CACHE_PATH), { value: '<file>', help: 'LLM response cache file', affectsOutput: false }),
  maxRetries: option(integer(0, 10).default(2), { value: '<n>', help: 'retries of a note that fails its grounding checks', affectsOutput: true }),
  requestTimeout: option(decimal({ gt: 0, max: 3600 }).default(120), { value: '<seconds>', help: 'per-request LLM timeout', affectsOutput: false }),
  temperature: option(decimal({ min: 0, max: 2 }).optional(), { value: '<t>', help: 'LLM sampling temperature', defaultLabel: "the provider's", affectsOutput: true }),
  llmPrices: option(z.string().min(1).optional(), { value: '<file>', help: 'YAML or JSON price table overriding the bundled one', affectsOutput: false }),
};

/** The LLM options on their own (library users of {@link openLlmRuntime}). */
export const llmOptionsSchema = z.strictObject(LLM_OPTIONS);

export type LlmOptions = z.infer<typeof llmOptionsSchema>;

/** Validates raw option values; a bad one is an {@link OptionError} naming its flag (exit 2). */
export function parseLlmOptions(raw: Record<string, unknown>): LlmOptions {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  return parseOptions(llmOptionsSchema, defined);
}

/** The LLM part of the manifest and the summary line. No secrets: provider, model, counts, tokens, cost. */
export interface LlmRunSummary {
  readonly provider: string;
  readonly model: string;
  readonly cache: { readonly mode: string; readonly path: string } & LlmCacheStats;
  readonly attempts: number;
  readonly retries: number;
  readonly usage: UsageSummary;
}

export interface LlmRuntime {
  readonly writer: NoteWriter;
  readonly runner: ModelRunner;
  readonly options: LlmOptions;
  summary(): LlmRunSummary;
  /** Closes the cache file. */
  close(): void;
}

export interface LlmRuntimeSource {
  /** `openai` reads `OPENAI_API_KEY` / `OPENAI_BASE_URL` from `env`; `langchain` wraps the given model. */
  readonly provider: { readonly kind: 'openai'; readonly env?: Readonly<Record<string, string | undefined>> } | { readonly kind: 'langchain'; readonly chatModel: BaseChatModel };
  readonly prompts: PromptSet;
  /** The run's Ctrl-C signal. */
  readonly signal?: AbortSignal | undefined;
}

/** Builds the runtime; fails early (before any patient is generated) on a missing key or model. */
export async function openLlmRuntime(options: LlmOptions, source: LlmRuntimeSource): Promise<LlmRuntime> {
  let model: NoteModel;
  if (source.provider.kind === 'openai') {
    if (options.model === undefined) throw new OptionError('--model', 'is required with --llm openai (e.g. gpt-4o-mini, or your local model\'s name)');
    model = createOpenAIModel({ model: options.model, ...(source.provider.env === undefined ? {} : { env: source.provider.env }) });
  } else {
    model = createLangChainModel(source.provider.chatModel, options.model === undefined ? {} : { model: options.model });
  }
  const prices = await loadPriceTable(options.llmPrices);
  const cache = new LlmCache({ path: options.cachePath, mode: options.cache });
  const usage = new UsageLedger();
  const runner = createModelRunner(model, {
    concurrency: options.concurrency,
    requestsPerMinute: options.rpm,
    tokensPerMinute: options.tpm,
    timeoutMs: options.requestTimeout * 1000,
    signal: source.signal,
    cache,
    usage,
  });
  const writer = createLlmNoteWriter({
    model: runner,
    prompts: source.prompts,
    name: model.provider,
    ...(options.temperature === undefined ? {} : { sampling: { temperature: options.temperature } }),
  });
  return {
    writer,
    runner,
    options,
    summary() {
      const stats = runner.stats();
      return {
        provider: model.provider,
        model: model.model,
        cache: { mode: cache.mode, path: cache.path, ...cache.stats() },
        attempts: stats.attempts,
        retries: stats.retries,
        usage: usage.summary(model.model, prices),
      };
    },
    close: () => cache.close(),
  };
}

/** One line for the end of a run, e.g. `LLM gpt-4o-mini: 120 calls, 18 cached, 210k+40k tokens, ~$0.06`. */
export function formatLlmSummaryLine(summary: LlmRunSummary): string {
  const t = summary.usage.total;
  const k = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));
  const cost = t.cost === null ? 'cost unknown (model not in the price table)' : `~${summary.usage.currency === 'USD' ? '$' : `${summary.usage.currency} `}${t.cost.toFixed(2)}`;
  return `LLM ${summary.model}: ${t.requests} calls, ${t.cachedRequests} cached, ${k(t.promptTokens)}+${k(t.completionTokens)} tokens, ${cost}`;
}
