/**
 * Turning a model's text into a schema-checked value, with one repair round: when the text is not
 * valid JSON or breaks the schema, the model is shown its output and the problems and asked once
 * more. Shared by every provider, so JSON mode, strict mode and LangChain models fail alike.
 */
import type { z } from 'zod';
import { LlmOutputError, LlmRefusalError } from '../../errors.js';
import { addUsage, type ChatMessage, type ModelResult, type TokenUsage } from './note-model.js';

/** One raw answer of a provider. */
export interface RawAnswer {
  /** The message text (JSON expected); empty when the model sent none. */
  readonly text: string;
  /** Set when the model refused. */
  readonly refusal?: string | undefined;
  /** True when the answer was cut off by the token limit. */
  readonly truncated?: boolean;
  readonly usage: TokenUsage;
}

export type ParseOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: string[] };

/** Parses text as JSON (tolerating a Markdown code fence around it) and checks it against the schema. */
export function parseStructured<T>(text: string, schema: z.ZodType<T>): ParseOutcome<T> {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  const body = fenced?.[1] ?? text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`),
  };
}

/** The user message that asks for a repaired answer. */
export function repairMessage(problems: readonly string[]): string {
  return [
    'Your previous reply could not be used:',
    ...problems.map((p) => `- ${p}`),
    'Reply again with only the corrected JSON object that matches the schema, nothing else.',
  ].join('\n');
}

/**
 * Asks once, validates, and on failure asks once more with the problems as feedback.
 * @throws LlmRefusalError when the model refuses; LlmOutputError (with the raw text) when the
 * second answer is still unusable.
 */
export async function completeWithRepair<T>(
  messages: readonly ChatMessage[],
  schema: z.ZodType<T>,
  ask: (messages: readonly ChatMessage[]) => Promise<RawAnswer>,
): Promise<ModelResult<T>> {
  let usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
  let conversation = messages;
  let problems: string[] = [];
  let last = '';
  for (let round = 0; round < 2; round++) {
    const answer = await ask(conversation);
    usage = addUsage(usage, answer.usage);
    if (answer.refusal !== undefined && answer.refusal !== '') throw new LlmRefusalError(answer.refusal);
    last = answer.text;
    const parsed = parseStructured(answer.text, schema);
    if (parsed.ok && answer.truncated !== true) return { value: parsed.value, raw: answer.text, usage };
    problems = answer.truncated === true
      ? ['the reply was cut off at the token limit; write a shorter note', ...(parsed.ok ? [] : parsed.problems)]
      : (parsed as { problems: string[] }).problems;
    conversation = [...messages, { role: 'assistant', content: answer.text }, { role: 'user', content: repairMessage(problems) }];
  }
  throw new LlmOutputError(`model output is not valid after one repair: ${problems.join('; ')}`, last, problems);
}
