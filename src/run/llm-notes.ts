/**
 * The LLM note writer of a run (`generate --notes --llm openai`): the OpenAI-compatible provider,
 * wrapped in the runner (response cache, concurrency, rate limits, retries, timeout, Ctrl-C), the
 * prompt templates, and usage accounting for the manifest. Everything lives on the main thread.
 */
import { LlmCache, type CacheMode } from '../cache/llm-cache.js';
import { createOpenAIModel } from '../notes/llm/openai-model.js';
import { createModelRunner } from '../notes/llm/model-runner.js';
import { loadPriceTable } from '../notes/llm/price-table.js';
import { UsageLedger } from '../notes/llm/usage-ledger.js';
import { createLlmNoteWriter, type NoteWriter } from '../notes/note-writer.js';
import { loadPromptSet } from '../notes/prompt-set.js';

/** Options of the LLM writer; the CLI fills them from flags. */
export interface LlmNotesOptions {
  /** `--model` (required). */
  readonly model: string;
  /** `--concurrency`, default 8. */
  readonly concurrency: number;
  /** `--rpm` / `--tpm`: requests and tokens per minute, unlimited when undefined. */
  readonly requestsPerMinute: number | undefined;
  readonly tokensPerMinute: number | undefined;
  /** `--request-timeout` in ms, default 120 000. */
  readonly timeoutMs: number;
  /** `--cache`, default read-write; `--cache-path`, default cache/llm.sqlite. */
  readonly cacheMode: CacheMode;
  readonly cachePath: string;
  /** `--price-table` YAML/JSON overriding the bundled prices. */
  readonly priceTablePath: string | undefined;
  /** `--prompts` folder, default the bundled prompts/. */
  readonly promptsDir: string | undefined;
  /** Sampling temperature (`--temperature`). */
  readonly temperature: number | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal | undefined;
}

export interface LlmNotes {
  readonly writer: NoteWriter;
  /** Usage, estimated cost and cache counts for the manifest (no keys, ever). */
  report(): Record<string, unknown>;
  close(): void;
}

export async function createLlmNotes(options: LlmNotesOptions): Promise<LlmNotes> {
  const provider = createOpenAIModel({ model: options.model, ...(options.env === undefined ? {} : { env: options.env }) });
  const cache = options.cacheMode === 'off' ? undefined : new LlmCache({ path: options.cachePath, mode: options.cacheMode });
  const usage = new UsageLedger();
  const runner = createModelRunner(provider, {
    concurrency: options.concurrency,
    requestsPerMinute: options.requestsPerMinute,
    tokensPerMinute: options.tokensPerMinute,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    cache,
    usage,
  });
  const prompts = await loadPromptSet(options.promptsDir);
  const prices = await loadPriceTable(options.priceTablePath);
  const writer = createLlmNoteWriter({
    model: runner,
    prompts,
    name: 'openai',
    ...(options.temperature === undefined ? {} : { sampling: { temperature: options.temperature } }),
  });
  return {
    writer,
    report: () => ({
      model: options.model,
      usage: usage.summary(options.model, prices),
      cache: { mode: options.cacheMode, ...(cache?.stats() ?? { hits: 0, misses: 0, writes: 0 }) },
      requests: runner.stats(),
    }),
    close: () => cache?.close(),
  };
}
