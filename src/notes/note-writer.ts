/**
 * The writer interface: anything that turns a fact sheet into a note. The LLM writer below and the
 * offline template writer implement it, so {@link writeNote}'s checks and retries treat them alike.
 */
import type { FactSheet } from './facts.js';
import type { Violation } from './grounding/violation.js';
import type { z } from 'zod';
import type { NoteModel, SamplingParams, TokenUsage } from './llm/note-model.js';
import { violationFeedback } from './grounding/check-note.js';
import { NOTE_OUTPUT_SCHEMA_NAME, noteOutputSchema, type NoteOutput } from './note-output.js';
import type { PromptSet, RenderedPrompt } from './prompt-set.js';

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

/**
 * What the model is asked to return when it is not a note: another zod shape (the corpus's QA
 * pairs) and how it reads as a note, so the grounding checks judge it like any note.
 */
export interface LlmWriterOutput<T> {
  readonly schema: z.ZodType<T>;
  /** Schema name sent to the provider, `[a-zA-Z0-9_-]{1,64}`. */
  readonly schemaName: string;
  readonly toNote: (value: T) => NoteOutput;
}

export interface LlmNoteWriterOptions<T = NoteOutput> {
  /** Usually a {@link createModelRunner} runner, for caching, limits and retries. */
  readonly model: NoteModel;
  /** The note-type prompts; or {@link render} for another task's prompt. */
  readonly prompts?: PromptSet;
  /** Renders the prompt of one sheet instead of `prompts` (the corpus's summaries and QA pairs). */
  readonly render?: (sheet: FactSheet) => Promise<RenderedPrompt>;
  /** The output shape; default the note ({@link noteOutputSchema}). */
  readonly output?: LlmWriterOutput<T>;
  /** Usage-accounting label; default the sheet's note type. */
  readonly label?: string;
  /** Writer name recorded with notes; default the model's provider. */
  readonly name?: string;
  readonly sampling?: SamplingParams;
  /** Extra instructions rendered into every prompt (`{instructions}`). */
  readonly instructions?: string;
}

/** A writer that asks a language model, showing it its previous note and the violations on a retry. */
export function createLlmNoteWriter<T = NoteOutput>(options: LlmNoteWriterOptions<T>): NoteWriter {
  const output = options.output ?? ({ schema: noteOutputSchema, schemaName: NOTE_OUTPUT_SCHEMA_NAME, toNote: (note: NoteOutput) => note } as unknown as LlmWriterOutput<T>);
  const render = options.render ?? ((sheet: FactSheet) => {
    if (options.prompts === undefined) throw new TypeError('createLlmNoteWriter needs prompts or render');
    return options.prompts.render(sheet, options.instructions ?? '');
  });
  return {
    name: options.name ?? options.model.provider,
    async write(request) {
      const prompt = await render(request.sheet);
      const messages = request.previous === undefined
        ? prompt.messages
        : [
            ...prompt.messages,
            { role: 'assistant' as const, content: request.previous.raw },
            { role: 'user' as const, content: violationFeedback(request.previous.violations) },
          ];
      const result = await options.model.complete({
        messages,
        schema: output.schema,
        schemaName: output.schemaName,
        label: options.label ?? request.sheet.encounter.noteType,
        ...(options.sampling === undefined ? {} : { sampling: options.sampling }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
      return { note: output.toNote(result.value), raw: result.raw, usage: result.usage, promptHash: prompt.promptHash, model: options.model.model };
    },
  };
}
