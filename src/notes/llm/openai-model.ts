/**
 * The `openai` provider: Chat Completions through the official SDK against any OpenAI-compatible
 * endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp server, LM Studio).
 *
 * Structured outputs first (`zodResponseFormat`, strict JSON schema). A server that answers 400 to
 * `json_schema` is switched to JSON mode (`json_object` + the schema in the prompt + zod
 * validation) for the rest of the run. Either way a bad answer gets one repair round.
 *
 * We call `chat.completions.create` with the `zodResponseFormat` object rather than `.parse()`:
 * `.parse()` throws away the model's text when validation fails, and the repair round and the
 * caller's retry-with-feedback need exactly that text.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import { retryAfterMs } from '../../core/retry-after.js';
import { ChartwrightError, ConnectionError, InterruptedError, OptionError, RequestRejectedError, ServerError, requestError } from '../../errors.js';
import type { ChatMessage, ModelRequest, ModelResult, NoteModel, SamplingParams } from './note-model.js';
import { completeWithRepair, jsonSchemaOf, type RawAnswer } from './structured-output.js';

/** How to ask for structured output. */
export type StructuredOutputMode = 'auto' | 'json_schema' | 'json_object';

export interface OpenAIModelOptions {
  /** Model name (`--model`), e.g. `gpt-4o-mini` or `llama3.1:8b`. Required. */
  readonly model: string;
  /** API key; default env `OPENAI_API_KEY`. Never cached, logged or written anywhere by Chartwright. */
  readonly apiKey?: string | undefined;
  /** Endpoint; default env `OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  readonly baseURL?: string | undefined;
  /**
   * `auto` (default): strict JSON schema, falling back to JSON mode on a server that rejects it.
   * `json_schema` never falls back; `json_object` never tries the schema.
   */
  readonly structuredOutputs?: StructuredOutputMode;
  /** Environment to read defaults from (default `process.env`); injectable for tests. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A ready client (tests, Azure); when given, apiKey/baseURL/env are ignored. */
  readonly client?: OpenAI;
}

/** Creates the `openai` provider. Reads the environment once, here. */
export function createOpenAIModel(options: OpenAIModelOptions): NoteModel {
  if (options.model.trim() === '') throw new OptionError('--model', 'must name a model');
  const env = options.env ?? process.env;
  let client = options.client;
  if (client === undefined) {
    const baseURL = options.baseURL ?? nonEmpty(env.OPENAI_BASE_URL);
    let apiKey = options.apiKey ?? nonEmpty(env.OPENAI_API_KEY);
    if (apiKey === undefined) {
      // Local servers (Ollama, llama.cpp, vLLM) take any key; api.openai.com needs a real one.
      if (baseURL === undefined) throw new OptionError('OPENAI_API_KEY', 'is not set; set it, or point OPENAI_BASE_URL at a local server');
      apiKey = 'no-key';
    }
    // Retries and timeouts are the runner's job (seedable jitter, one policy for every provider).
    client = new OpenAI({ apiKey, baseURL: baseURL ?? null, maxRetries: 0, timeout: 24 * 3_600_000 });
  }
  return new OpenAIChatModel(client, options.model, options.structuredOutputs ?? 'auto');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

class OpenAIChatModel implements NoteModel {
  readonly provider = 'openai';
  /** Learned once per run: the server rejected `json_schema`. */
  private jsonSchemaRejected = false;

  constructor(
    private readonly client: OpenAI,
    readonly model: string,
    private readonly mode: StructuredOutputMode,
  ) {}

  async complete<T>(request: ModelRequest<T>): Promise<ModelResult<T>> {
    if (this.mode === 'json_object' || (this.mode === 'auto' && this.jsonSchemaRejected)) {
      return this.completeJsonMode(request);
    }
    const responseFormat = strictResponseFormat(request.schema, request.schemaName);
    try {
      return await completeWithRepair(request.messages, request.schema, (messages) =>
        this.ask(messages, request.sampling, responseFormat, request.signal),
      );
    } catch (error) {
      if (this.mode === 'auto' && isJsonSchemaUnsupported(error)) {
        this.jsonSchemaRejected = true;
        return this.completeJsonMode(request);
      }
      throw error;
    }
  }

  private completeJsonMode<T>(request: ModelRequest<T>): Promise<ModelResult<T>> {
    const messages = withSchemaInstructions(request.messages, jsonSchemaOf(request.schema));
    return completeWithRepair(messages, request.schema, (conversation) =>
      this.ask(conversation, request.sampling, { type: 'json_object' }, request.signal),
    );
  }

  private async ask(
    messages: readonly ChatMessage[],
    sampling: SamplingParams | undefined,
    responseFormat: OpenAI.ChatCompletionCreateParams['response_format'],
    signal: AbortSignal | undefined,
  ): Promise<RawAnswer> {
    const params: OpenAI.ChatCompletionCreateParamsNonStreaming = {
      model: this.model,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      ...(responseFormat === undefined ? {} : { response_format: responseFormat }),
      ...(sampling?.temperature === undefined ? {} : { temperature: sampling.temperature }),
      ...(sampling?.topP === undefined ? {} : { top_p: sampling.topP }),
      ...(sampling?.seed === undefined ? {} : { seed: sampling.seed }),
      ...(sampling?.maxTokens === undefined ? {} : { max_completion_tokens: sampling.maxTokens }),
    };
    let completion: OpenAI.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(params, signal === undefined ? {} : { signal });
    } catch (error) {
      throw toRequestError(error, this.client.baseURL, this.client.apiKey);
    }
    const choice = completion.choices[0];
    if (choice === undefined) throw new ServerError(`${this.client.baseURL} answered with no choices`, { retryable: true });
    return {
      text: choice.message.content ?? '',
      refusal: choice.message.refusal ?? undefined,
      truncated: choice.finish_reason === 'length',
      usage: {
        promptTokens: completion.usage?.prompt_tokens ?? 0,
        completionTokens: completion.usage?.completion_tokens ?? 0,
      },
    };
  }
}

/** Converting a schema costs ~1 ms; a run converts the same one thousands of times. */
const strictFormats = new WeakMap<z.ZodType, Map<string, { type: 'json_schema'; json_schema: OpenAI.ResponseFormatJSONSchema['json_schema'] }>>();
function strictResponseFormat(schema: z.ZodType, name: string): { type: 'json_schema'; json_schema: OpenAI.ResponseFormatJSONSchema['json_schema'] } {
  let byName = strictFormats.get(schema);
  if (byName === undefined) strictFormats.set(schema, (byName = new Map()));
  let format = byName.get(name);
  if (format === undefined) {
    format = { type: 'json_schema', json_schema: zodResponseFormat(schema, name).json_schema };
    byName.set(name, format);
  }
  return format;
}

/** JSON mode needs the schema in the prompt (and OpenAI requires the word "JSON" there). */
export function withSchemaInstructions(messages: readonly ChatMessage[], jsonSchema: unknown): ChatMessage[] {
  const instruction = `Respond with a single JSON object, and nothing else, that conforms to this JSON Schema:\n${JSON.stringify(jsonSchema)}`;
  const [first, ...rest] = messages;
  if (first !== undefined && first.role === 'system') {
    return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest];
  }
  return [{ role: 'system', content: instruction }, ...messages];
}

/**
 * A 400 that says the server does not do `json_schema` (as opposed to one that says our schema
 * is invalid, which is our bug and must surface).
 */
export function isJsonSchemaUnsupported(error: unknown): boolean {
  if (!(error instanceof RequestRejectedError) || error.status !== 400) return false;
  const message = error.message;
  if (/invalid schema/i.test(message)) return false;
  return /json_schema|response_format|structured output|grammar/i.test(message);
}

/**
 * Maps the SDK's errors to ours: the status picks the class ({@link requestError}), so a 401 is an
 * `AuthError`, a 429 a `RateLimitError`, a 5xx a `ServerError`. `endpoint` names the server in the
 * message. A proxy or local server may echo the Authorization header into an error body: the key
 * is redacted from the message, and the SDK error (which holds the body) is then not kept as cause.
 */
export function toRequestError(error: unknown, endpoint: string, apiKey?: string | null): ChartwrightError {
  if (error instanceof APIUserAbortError) return new InterruptedError('request aborted');
  if (error instanceof APIConnectionTimeoutError) return new ConnectionError(`${endpoint}: request timed out`, { cause: error });
  if (error instanceof APIConnectionError) {
    const detail = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new ConnectionError(`cannot reach ${endpoint}${detail}`, { cause: error });
  }
  if (error instanceof APIError) {
    const status = error.status;
    const detail = [typeof error.code === 'string' ? `code ${error.code}` : '', typeof error.param === 'string' ? `param ${error.param}` : '']
      .filter((d) => d !== '')
      .join(', ');
    const suffix = detail === '' ? '' : ` (${detail})`;
    const hint = status === 401 || status === 403 ? '; check OPENAI_API_KEY' : '';
    const message = `${endpoint} answered HTTP ${String(status)}: ${stripStatus(error.message)}${suffix}${hint}`;
    const clean = apiKey === null || apiKey === undefined || apiKey.length < 4 ? message : message.replaceAll(apiKey, '[redacted]');
    return requestError(status, clean, { retryAfterMs: retryAfterMs(error.headers), ...(clean === message ? { cause: error } : {}) });
  }
  if (error instanceof ChartwrightError) return error;
  return new ConnectionError(`request to ${endpoint} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

function stripStatus(message: string): string {
  return message.replace(/^\d{3}\s+/, '');
}
