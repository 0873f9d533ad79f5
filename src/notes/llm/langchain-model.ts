/**
 * The `langchain` provider: any `@langchain/core` chat model (Anthropic, Bedrock, Gemini, Ollama...)
 * through `withStructuredOutput(zodSchema)`, so a new vendor needs no new code. Its output is
 * checked against the zod schema again here, since not every model's structured mode enforces it,
 * and a bad answer gets the same one repair round as the `openai` provider.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { ChartwrightError, InterruptedError, requestError } from '../../errors.js';
import type { ChatMessage, ModelRequest, ModelResult, NoteModel, TokenUsage } from './note-model.js';
import { completeWithRepair, type RawAnswer } from './structured-output.js';

export interface LangChainModelOptions {
  /** Model name for the cache key and usage report; default the model's `model`/`modelName` field, else its LLM type. */
  readonly model?: string;
}

/** Wraps a LangChain chat model as a {@link NoteModel}. */
export function createLangChainModel(chatModel: BaseChatModel, options: LangChainModelOptions = {}): NoteModel {
  const named = chatModel as unknown as { model?: unknown; modelName?: unknown };
  const model = options.model
    ?? (typeof named.model === 'string' ? named.model : typeof named.modelName === 'string' ? named.modelName : chatModel._llmType());
  return {
    provider: 'langchain',
    model,
    complete<T>(request: ModelRequest<T>): Promise<ModelResult<T>> {
      const structured = chatModel.withStructuredOutput(request.schema as never, { name: request.schemaName, includeRaw: true });
      return completeWithRepair(request.messages, request.schema, async (messages): Promise<RawAnswer> => {
        let output: unknown;
        try {
          output = await structured.invoke(messages.map(toLangChainMessage), request.signal === undefined ? {} : { signal: request.signal });
        } catch (error) {
          const llmOutput = (error as { llmOutput?: unknown }).llmOutput;
          // An output parser failure: the model answered, badly. Let the repair round see it.
          if (typeof llmOutput === 'string') return { text: llmOutput, usage: { promptTokens: 0, completionTokens: 0 } };
          throw toRequestError(error);
        }
        return toRawAnswer(output);
      });
    },
  };
}

function toLangChainMessage(message: ChatMessage): BaseMessage {
  switch (message.role) {
    case 'system':
      return new SystemMessage(message.content);
    case 'user':
      return new HumanMessage(message.content);
    case 'assistant':
      return new AIMessage(message.content);
  }
}

/** `includeRaw` gives `{ raw, parsed }`; models that ignore it return the parsed object alone. */
function toRawAnswer(output: unknown): RawAnswer {
  const o = output as { raw?: unknown; parsed?: unknown } | null;
  if (o !== null && typeof o === 'object' && 'raw' in o && 'parsed' in o) {
    const raw = o.raw as { content?: unknown; usage_metadata?: { input_tokens?: number; output_tokens?: number } } | undefined;
    const usage: TokenUsage = {
      promptTokens: raw?.usage_metadata?.input_tokens ?? 0,
      completionTokens: raw?.usage_metadata?.output_tokens ?? 0,
    };
    const text = o.parsed !== null && o.parsed !== undefined
      ? JSON.stringify(o.parsed)
      : typeof raw?.content === 'string' ? raw.content : JSON.stringify(raw?.content ?? '');
    return { text, usage };
  }
  return { text: JSON.stringify(output), usage: { promptTokens: 0, completionTokens: 0 } };
}

/** LangChain wraps many vendors' SDKs: read the status where they put it, then map it as every client does. */
function toRequestError(error: unknown): ChartwrightError {
  if (error instanceof ChartwrightError) return error;
  const e = error as { status?: unknown; response?: { status?: unknown }; name?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.response?.status === 'number' ? e.response.status : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (e.name === 'AbortError') return new InterruptedError('request aborted');
  return requestError(status, status === undefined ? message : `HTTP ${status}: ${message}`, { cause: error });
}
