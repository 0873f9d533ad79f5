/**
 * Chartwright's library API. The CLI is a thin layer over these exports.
 */
export * from './errors.js';
export * from './record/types.js';
export * from './record/time.js';
export { Rng, toSeed, type Seed } from './timeline/random.js';
export { createCohortContext, simulateIndex, type CohortContext, type CohortSpec } from './timeline/cohort.js';
export { recordToResources } from './fhir/record-to-fhir.js';
export { MetaFactory, HTEST_TAG, RUN_TAG_SYSTEM } from './fhir/meta.js';
export { PROFILES, US_CORE_VERSION } from './fhir/profiles.js';
export { generate, type GenerateHooks, type GenerateResult } from './run/generate.js';
export type { GenerateOptions, OutputFormat, Shard } from './run/options.js';
export type { Manifest } from './run/manifest.js';
export * from './notes/facts.js';
export { noteOutputSchema, noteToText, NOTE_OUTPUT_SCHEMA_NAME, type NoteOutput, type NoteSection, type NoteMention } from './notes/note-output.js';
export { renderFactSheet } from './notes/fact-sheet-text.js';
export { loadPromptSet, DEFAULT_PROMPTS_DIR, type PromptSet, type RenderedPrompt } from './notes/prompt-set.js';
export { checkNote, violationFeedback } from './notes/grounding/check-note.js';
export type { Violation, ViolationCode, Span } from './notes/grounding/violation.js';
export { loadVocabulary, type Vocabulary } from './notes/grounding/vocabulary.js';
export { writeNote, type WriteNoteOptions, type WriteNoteResult, type AcceptedNote, type RejectedNoteResult } from './notes/write-note.js';
export { createLlmNoteWriter, type NoteWriter, type NoteDraft, type DraftRequest, type LlmNoteWriterOptions } from './notes/note-writer.js';
export { RejectedNoteLog, type RejectedNote } from './notes/rejected-log.js';
export type { NoteModel, ModelRequest, ModelResult, ChatMessage, SamplingParams, TokenUsage } from './notes/llm/note-model.js';
export { createOpenAIModel, type OpenAIModelOptions, type StructuredOutputMode } from './notes/llm/openai-model.js';
export { createLangChainModel, type LangChainModelOptions } from './notes/llm/langchain-model.js';
export { createModelRunner, type ModelRunner, type ModelRunnerOptions, type ModelRunnerStats } from './notes/llm/model-runner.js';
export { UsageLedger, type UsageSummary, type UsageLine } from './notes/llm/usage-ledger.js';
export { loadPriceTable, estimateCost, type PriceTable } from './notes/llm/price-table.js';
export { LlmCache, llmCacheKey, CACHE_MODES, DEFAULT_LLM_CACHE_PATH, type CacheMode, type LlmCacheOptions } from './cache/llm-cache.js';
export { parseLlmOptions, openLlmRuntime, formatLlmSummaryLine, llmOptionsSchema, type LlmOptions, type LlmRuntime, type LlmRunSummary, type LlmRuntimeSource } from './notes/llm/llm-runtime.js';
