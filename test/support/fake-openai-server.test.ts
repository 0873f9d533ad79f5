import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_NOTE, startFakeOpenAIServer, strictSchemaProblem, type FakeOpenAIServer } from './fake-openai-server.js';

const goodSchema = {
  type: 'object',
  properties: { title: { type: 'string' }, tags: { type: 'array', items: { type: 'object', properties: { t: { type: 'string' } }, required: ['t'], additionalProperties: false } } },
  required: ['title', 'tags'],
  additionalProperties: false,
};

async function post(server: FakeOpenAIServer, body: unknown): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${server.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

const messages = [{ role: 'user', content: 'Write a note as JSON.' }];

describe('fake OpenAI server', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer();
  });
  afterAll(() => server.close());

  it('answers a valid strict json_schema request with the note and usage', async () => {
    const { status, json } = await post(server, {
      model: 'fake-model',
      messages,
      response_format: { type: 'json_schema', json_schema: { name: 'note', strict: true, schema: goodSchema } },
    });
    expect(status).toBe(200);
    expect(JSON.parse(json.choices[0].message.content)).toEqual(DEFAULT_FAKE_NOTE);
    expect(json.usage.prompt_tokens).toBeGreaterThan(0);
    expect(json.usage.total_tokens).toBe(json.usage.prompt_tokens + json.usage.completion_tokens);
  });

  it('rejects strict schemas that break the strict-mode rules, as OpenAI does', async () => {
    const missingRequired = { ...goodSchema, required: ['title'] };
    const open = { ...goodSchema, additionalProperties: true };
    const unsupported = { ...goodSchema, properties: { ...goodSchema.properties, title: { type: 'string', minLength: 3 } } };
    for (const [schema, fragment] of [
      [missingRequired, "Missing 'tags'"],
      [open, "'additionalProperties' is required to be supplied and to be false"],
      [unsupported, "'minLength' is not permitted"],
    ] as const) {
      const { status, json } = await post(server, {
        model: 'fake-model',
        messages,
        response_format: { type: 'json_schema', json_schema: { name: 'note', strict: true, schema } },
      });
      expect(status).toBe(400);
      expect(json.error.message).toContain("Invalid schema for response_format 'note'");
      expect(json.error.message).toContain(fragment);
      expect(json.error.param).toBe('response_format');
    }
    // Nested objects are checked too.
    expect(strictSchemaProblem({ ...goodSchema, properties: { ...goodSchema.properties, tags: { type: 'array', items: { type: 'object', properties: { t: { type: 'string' } }, required: ['t'] } } } }, [])).toContain("context=('properties', 'tags', 'items')");
    // Non-strict schemas are not held to the rules.
    const { status } = await post(server, {
      model: 'fake-model',
      messages,
      response_format: { type: 'json_schema', json_schema: { name: 'note', schema: missingRequired } },
    });
    expect(status).toBe(200);
  });

  it('validates the basics: model, messages, ranges, json_object needs the word json', async () => {
    expect((await post(server, { messages })).status).toBe(400);
    expect((await post(server, { model: 'm', messages: [] })).status).toBe(400);
    expect((await post(server, { model: 'm', messages: [{ role: 'wizard', content: 'x' }] })).status).toBe(400);
    expect((await post(server, { model: 'm', messages, temperature: 3 })).status).toBe(400);
    const noJson = await post(server, { model: 'm', messages: [{ role: 'user', content: 'hello' }], response_format: { type: 'json_object' } });
    expect(noJson.status).toBe(400);
    expect(noJson.json.error.message).toContain("must contain the word 'json'");
    expect((await post(server, { model: 'm', messages, response_format: { type: 'json_object' } })).status).toBe(200);
  });

  it('plays scripted behaviours in order, then the default answer', async () => {
    server.enqueue(
      { kind: 'rate-limit', retryAfterSeconds: 2 },
      { kind: 'server-error', status: 503 },
      { kind: 'truncate' },
      { kind: 'invalid-json' },
      { kind: 'schema-violation' },
      { kind: 'refusal', message: 'no' },
      { kind: 'answer', answer: () => 'plain text' },
    );
    const r429 = await post(server, { model: 'm', messages });
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('2');
    expect((await post(server, { model: 'm', messages })).status).toBe(503);
    const truncated = await post(server, { model: 'm', messages });
    expect(truncated.json.choices[0].finish_reason).toBe('length');
    expect(() => JSON.parse(truncated.json.choices[0].message.content)).toThrow();
    const invalid = await post(server, { model: 'm', messages });
    expect(() => JSON.parse(invalid.json.choices[0].message.content)).toThrow();
    const violating = await post(server, { model: 'm', messages });
    expect(JSON.parse(violating.json.choices[0].message.content)).not.toHaveProperty('title');
    const refusal = await post(server, { model: 'm', messages });
    expect(refusal.json.choices[0].message).toMatchObject({ content: null, refusal: 'no' });
    expect((await post(server, { model: 'm', messages })).json.choices[0].message.content).toBe('plain text');
    expect(JSON.parse((await post(server, { model: 'm', messages })).json.choices[0].message.content)).toEqual(DEFAULT_FAKE_NOTE);
  });

  it('drops connections on request and records every request with its headers', async () => {
    server.reset();
    server.enqueue({ kind: 'drop' });
    await expect(post(server, { model: 'm', messages })).rejects.toThrow();
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.status).toBe(0);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer test-key');
    expect(server.requests[0]!.body?.model).toBe('m');
  });

  it('can refuse json_schema like a server without structured outputs', async () => {
    const plain = await startFakeOpenAIServer({ jsonSchema: false });
    try {
      const { status, json } = await post(plain, {
        model: 'm',
        messages,
        response_format: { type: 'json_schema', json_schema: { name: 'note', strict: true, schema: goodSchema } },
      });
      expect(status).toBe(400);
      expect(json.error.message).toContain('json_schema');
      expect((await post(plain, { model: 'm', messages, response_format: { type: 'json_object' } })).status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});
