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
import { createLlmNoteWriter, type NoteWriter } from '../note-writer.js';
import type { PromptSet } from '../prompt-set.js';
import { createLangChainModel } from './langchain-model.js';
import { createModelRunner, type ModelRunner } from './model-runner.js';
import type { NoteModel } from './note-model.js';
import { createOpenAIModel } from './openai-model.js';
import { loadPriceTable } from './price-table.js';
import { UsageLedger, type UsageSummary } from './usage-ledger.js';

/** The LLM options as the CLI names them; values may be strings (from flags) or numbers. */
export const llmOptionsSchema = z
  .object({
    /** `--model`: required for `--llm openai`. */
    model: z.string().trim().min(1).optional(),
    /** `--concurrency`, default 4. */
    concurrency: z.coerce.number().int().min(1).max(1024).default(4),
    /** `--rpm`: requests per minute; default unlimited. */
    rpm: z.coerce.number().int().positive().optional(),
    /** `--tpm`: tokens per minute; default unlimited. */
    tpm: z.coerce.number().int().positive().optional(),
    /** `--cache`, default read-write. */
    cache: z.enum(CACHE_MODES).default('read-write'),
    /** `--cache-path`, default `cache/llm.sqlite`. */
    cachePath: z.string().min(1).default(DEFAULT_LLM_CACHE_PATH),
    /** `--max-retries` after failed grounding checks, default 2. */
    maxRetries: z.coerce.number().int().min(0).max(10).default(2),
    /** `--request-timeout` in seconds, default 120. */
    requestTimeout: z.coerce.number().positive().max(3600).default(120),
    /** `--temperature`, default the provider's. */
    temperature: z.coerce.number().min(0).max(2).optional(),
    /** `--llm-prices FILE`: price table replacing the bundled one. */
    llmPrices: z.string().min(1).optional(),
  })
  .strict();

export type LlmOptions = z.infer<typeof llmOptionsSchema>;

const FLAG: Record<string, string> = {
  model: '--model', concurrency: '--concurrency', rpm: '--rpm', tpm: '--tpm', cache: '--cache', cachePath: '--cache-path',
  maxRetries: '--max-retries', requestTimeout: '--request-timeout', temperature: '--temperature', llmPrices: '--llm-prices',
};

/** Validates raw option values; a bad one is an {@link OptionError} naming its flag (exit 2). */
export function parseLlmOptions(raw: Record<string, unknown>): LlmOptions {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const result = llmOptionsSchema.safeParse(defined);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? (issue.code === 'unrecognized_keys' ? issue.keys[0] : ''));
  throw new OptionError(FLAG[key] ?? key, issue.message);
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
