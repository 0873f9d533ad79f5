import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, ConnectionError, LlmOutputError, LlmRefusalError, OptionError, RateLimitError, RequestRejectedError, ServerError } from '../../../src/errors.js';
import { createOpenAIModel } from '../../../src/notes/llm/openai-model.js';
import { NOTE_OUTPUT_SCHEMA_NAME, noteOutputSchema } from '../../../src/notes/note-output.js';
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeServerOptions } from '../../support/fake-openai-server.js';
import { diabetesNote } from '../../support/fact-sheets.js';

const messages = [
  { role: 'system', content: 'You write clinical notes.' },
  { role: 'user', content: 'Write a progress note.' },
] as const;
const request = { messages, schema: noteOutputSchema, schemaName: NOTE_OUTPUT_SCHEMA_NAME, sampling: { temperature: 0.7, seed: 1 } };

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: FakeServerOptions = {}) {
  server = await startFakeOpenAIServer({ answer: () => diabetesNote, apiKey: 'sk-test-123', ...options });
  const model = createOpenAIModel({ model: 'gpt-4o-mini', apiKey: 'sk-test-123', baseURL: server.baseURL });
  return { server, model };
}

describe('openai provider', () => {
  it('asks with a strict json_schema the server accepts and returns the parsed note with usage', async () => {
    const { server, model } = await setup();
    const result = await model.complete(request);
    expect(result.value).toEqual(diabetesNote);
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!.body!;
    expect(sent.response_format?.type).toBe('json_schema');
    expect(sent.response_format?.json_schema?.strict).toBe(true);
    expect(sent).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.7, seed: 1 });
    expect(server.requests[0]!.status).toBe(200);
  });

  it('falls back to JSON mode when the server lacks json_schema, and remembers it for the run', async () => {
    const { server, model } = await setup({ jsonSchema: false });
    expect((await model.complete(request)).value).toEqual(diabetesNote);
    expect((await model.complete(request)).value).toEqual(diabetesNote);
    const formats = server.requests.map((r) => r.body!.response_format!.type);
    expect(formats).toEqual(['json_schema', 'json_object', 'json_object']);
    // JSON mode carries the schema in the system prompt.
    expect(String(server.requests[1]!.body!.messages[0]!.content)).toContain('"mentions"');
  });

  it('repairs malformed JSON in JSON mode with one retry that sends the problems back', async () => {
    const { server, model } = await setup({ jsonSchema: false });
    server.enqueue({ kind: 'answer' }, { kind: 'invalid-json' });
    await model.complete(request); // learns JSON mode
    server.reset();
    server.enqueue({ kind: 'invalid-json' });
    const result = await model.complete(request);
    expect(result.value).toEqual(diabetesNote);
    expect(server.requests).toHaveLength(2);
    const repair = server.requests[1]!.body!.messages;
    expect(repair.at(-2)?.role).toBe('assistant');
    expect(String(repair.at(-1)?.content)).toContain('not valid JSON');
    // Usage of both rounds is counted.
    expect(result.usage.promptTokens).toBeGreaterThan(0);
  });

  it('repairs schema-violating output, and gives up after one repair with the raw output', async () => {
    const { server, model } = await setup();
    server.enqueue({ kind: 'schema-violation' });
    expect((await model.complete(request)).value).toEqual(diabetesNote);
    expect(String(server.requests[1]!.body!.messages.at(-1)?.content)).toContain('title');

    server.enqueue({ kind: 'schema-violation' }, { kind: 'truncate' });
    const error = await model.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmOutputError);
    expect((error as LlmOutputError).rawOutput.length).toBeGreaterThan(0);
    expect((error as LlmOutputError).problems.join(' ')).toContain('cut off');
  });

  it('throws a refusal error carrying the refusal', async () => {
    const { server, model } = await setup();
    server.enqueue({ kind: 'refusal', message: 'I cannot write medical records.' });
    const error = await model.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmRefusalError);
    expect((error as LlmRefusalError).refusal).toBe('I cannot write medical records.');
  });

  it('maps HTTP failures to the error class of their status, retryable or final', async () => {
    const { server, model } = await setup();
    server.enqueue(
      { kind: 'rate-limit', retryAfterSeconds: 3 },
      { kind: 'server-error', status: 503 },
      { kind: 'drop' },
      { kind: 'http-error', status: 404, message: 'The model `gpt-9` does not exist', code: 'model_not_found' },
    );
    const e429 = await model.complete(request).catch((e: unknown) => e);
    expect(e429).toBeInstanceOf(RateLimitError);
    expect(e429).toMatchObject({ status: 429, retryable: true, retryAfterMs: 3000, code: 'RATE_LIMITED' });
    const e503 = await model.complete(request).catch((e: unknown) => e);
    expect(e503).toBeInstanceOf(ServerError);
    expect(e503).toMatchObject({ status: 503, retryable: true, code: 'SERVER_ERROR' });
    const dropped = await model.complete(request).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(ConnectionError);
    expect(dropped).toMatchObject({ status: undefined, retryable: true, code: 'CONNECTION_FAILED' });
    const e404 = await model.complete(request).catch((e: unknown) => e);
    expect(e404).toBeInstanceOf(RequestRejectedError);
    expect(e404).toMatchObject({ status: 404, retryable: false, code: 'REQUEST_REJECTED' });
    expect((e404 as Error).message).toBe(`${server.baseURL} answered HTTP 404: The model \`gpt-9\` does not exist (code model_not_found)`);

    const wrongKey = createOpenAIModel({ model: 'gpt-4o-mini', apiKey: 'sk-wrong', baseURL: server.baseURL });
    const e401 = await wrongKey.complete(request).catch((e: unknown) => e);
    expect(e401).toBeInstanceOf(AuthError);
    expect(e401).toMatchObject({ status: 401, retryable: false, code: 'AUTH_ERROR' });
    expect((e401 as Error).message).toMatch(/answered HTTP 401: .*; check OPENAI_API_KEY$/);
    expect((e401 as Error).message).not.toContain('sk-wrong');
  });

  it('never repeats the API key from an error body in its message', async () => {
    const { server, model } = await setup();
    server.enqueue({ kind: 'http-error', status: 400, message: 'bad header Authorization: Bearer sk-test-123' });
    const error = (await model.complete(request).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.message).toContain('Bearer [redacted]');
    expect(error.message).not.toContain('sk-test-123');
    expect(error.cause).toBeUndefined();
  });

  it('does not fall back when the server says our schema is invalid', async () => {
    const { model } = await setup();
    const { z } = await import('zod');
    const loose = z.object({ title: z.string().min(3) });
    const error = await model.complete({ ...request, schema: loose as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect((error as RequestRejectedError).message).toContain('Invalid schema');
  });

  it('needs a key for api.openai.com but not for a local server', () => {
    expect(() => createOpenAIModel({ model: 'gpt-4o-mini', env: {} })).toThrow(OptionError);
    expect(createOpenAIModel({ model: 'llama3', env: { OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' } }).model).toBe('llama3');
  });
});
