/**
 * The writer interface: anything that turns a fact sheet into a note. The LLM writer below and the
 * offline template writer implement it, so {@link writeNote}'s checks and retries treat them alike.
 */
import type { FactSheet } from './facts.js';
import type { Violation } from './grounding/violation.js';
import type { NoteModel, SamplingParams, TokenUsage } from './llm/note-model.js';
import { violationFeedback } from './grounding/check-note.js';
import { NOTE_OUTPUT_SCHEMA_NAME, noteOutputSchema, type NoteOutput } from './note-output.js';
import type { PromptSet } from './prompt-set.js';

export interface DraftRequest {
  readonly sheet: FactSheet;
  /** 0 for the first try. */
  readonly attempt: number;
  /** The previous try and what was wrong with it, when this is a retry. */
  readonly previous?: { readonly raw: string; readonly violations: readonly Violation[] };
  readonly signal?: AbortSignal | undefined;
}

export interface NoteDraft {
  readonly note: NoteOutput;
  /** The writer's output as text (JSON for LLMs), shown back to it with the feedback on a retry. */
  readonly raw: string;
  readonly usage?: TokenUsage;
  /** sha256 of the prompt templates (LLM writers). */
  readonly promptHash?: string;
  /** Model name (LLM writers). */
  readonly model?: string;
}

export interface NoteWriter {
  /** `template`, `openai`, `langchain`... recorded with each note. */
  readonly name: string;
  write(request: DraftRequest): Promise<NoteDraft>;
}

export interface LlmNoteWriterOptions {
  /** Usually a {@link createModelRunner} runner, for caching, limits and retries. */
  readonly model: NoteModel;
  readonly prompts: PromptSet;
  /** Writer name recorded with notes; default the model's provider. */
  readonly name?: string;
  readonly sampling?: SamplingParams;
  /** Extra instructions rendered into every prompt (`{instructions}`). */
  readonly instructions?: string;
}

/** A writer that asks a language model, showing it its previous note and the violations on a retry. */
export function createLlmNoteWriter(options: LlmNoteWriterOptions): NoteWriter {
  return {
    name: options.name ?? options.model.provider,
    async write(request) {
      const prompt = await options.prompts.render(request.sheet, options.instructions ?? '');
      const messages = request.previous === undefined
        ? prompt.messages
        : [
            ...prompt.messages,
            { role: 'assistant' as const, content: request.previous.raw },
            { role: 'user' as const, content: violationFeedback(request.previous.violations) },
          ];
      const result = await options.model.complete({
        messages,
        schema: noteOutputSchema,
        schemaName: NOTE_OUTPUT_SCHEMA_NAME,
        label: request.sheet.encounter.noteType,
        ...(options.sampling === undefined ? {} : { sampling: options.sampling }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
      return { note: result.value, raw: result.raw, usage: result.usage, promptHash: prompt.promptHash, model: options.model.model };
    },
  };
}
