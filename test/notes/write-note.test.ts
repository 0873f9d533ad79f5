import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LlmCache } from '../../src/cache/llm-cache.js';
import { loadVocabulary, type Vocabulary } from '../../src/notes/grounding/vocabulary.js';
import { createModelRunner, type ModelRunnerOptions } from '../../src/notes/llm/model-runner.js';
import { createOpenAIModel } from '../../src/notes/llm/openai-model.js';
import { createLlmNoteWriter } from '../../src/notes/note-writer.js';
import { loadPromptSet, type PromptSet } from '../../src/notes/prompt-set.js';
import { RejectedNoteLog } from '../../src/notes/rejected-log.js';
import { writeNote } from '../../src/notes/write-note.js';
import { startFakeOpenAIServer, type FakeAnswer, type FakeOpenAIServer, type FakeServerOptions } from '../support/fake-openai-server.js';
import { contradictingDiabetesNote, diabetesFollowUp, diabetesNote } from '../support/fact-sheets.js';

const API_KEY = 'sk-proj-TOPSECRET-4242';
let vocabulary: Vocabulary;
let prompts: PromptSet;
beforeAll(async () => {
  vocabulary = await loadVocabulary();
  prompts = await loadPromptSet();
});

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const instantClock = { now: () => 0, sleep: async () => undefined };

async function pipeline(answer: FakeAnswer, serverOptions: FakeServerOptions = {}, runnerOptions: ModelRunnerOptions = {}) {
  server = await startFakeOpenAIServer({ answer, ...serverOptions });
  const model = createOpenAIModel({ model: 'gpt-4o-mini', apiKey: API_KEY, baseURL: server.baseURL });
  const runner = createModelRunner(model, { clock: instantClock, ...runnerOptions });
  const writer = createLlmNoteWriter({ model: runner, prompts, sampling: { temperature: 0.8, seed: 7 } });
  const dir = mkdtempSync(join(tmpdir(), 'cw-notes-'));
  const rejectedLog = new RejectedNoteLog(join(dir, 'notes', 'rejected.jsonl'));
  return { server, runner, writer, rejectedLog, dir };
}

function readRejected(path: string): any[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

describe('writeNote through the openai provider', () => {
  it('keeps a grounded note on the first try and records the prompt hash', async () => {
    const { server, writer, rejectedLog } = await pipeline(() => diabetesNote);
    const result = await writeNote({ sheet: diabetesFollowUp, writer, vocabulary, rejectedLog });
    expect(result.status).toBe('accepted');
    if (result.status !== 'accepted') return;
    expect(result.attempts).toBe(1);
    expect(result.promptHash).toBe(prompts.hashes['progress-note']);
    expect(result.model).toBe('gpt-4o-mini');
    expect(result.text).toContain('BP 138/86');
    expect(server.requests).toHaveLength(1);
    expect(String(server.requests[0]!.body!.messages[1]!.content)).toContain('[vital.bp] Blood pressure');
    expect(rejectedLog.count).toBe(0);
  });

  it('retries a contradicting note with the violations as feedback, then keeps the fixed one', async () => {
    const { server, writer } = await pipeline((_req, index) => (index === 0 ? contradictingDiabetesNote : diabetesNote));
    const result = await writeNote({ sheet: diabetesFollowUp, writer, vocabulary });
    expect(result).toMatchObject({ status: 'accepted', attempts: 2 });
    expect(result.history[0]!.map((v) => v.code).sort()).toEqual(['number-mismatch', 'unsupported-medication']);
    const retry = server.requests[1]!.body!.messages;
    expect(retry.at(-2)).toMatchObject({ role: 'assistant' });
    expect(String(retry.at(-2)!.content)).toContain('162/101');
    expect(String(retry.at(-1)!.content)).toContain('[number-mismatch]');
    expect(String(retry.at(-1)!.content)).toContain('atorvastatin');
  });

  it('rejects a note that keeps contradicting the record after --max-retries, to rejected.jsonl with reasons', async () => {
    const { server, writer, rejectedLog } = await pipeline(() => contradictingDiabetesNote);
    const result = await writeNote({ sheet: diabetesFollowUp, writer, vocabulary, rejectedLog, patientId: 'p-1', maxRetries: 2 });
    expect(result).toMatchObject({ status: 'rejected', attempts: 3 });
    expect(server.requests).toHaveLength(3);
    const lines = readRejected(rejectedLog.path);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ patientId: 'p-1', encounterId: 'enc-1', noteType: 'progress-note', writer: 'openai', attempts: 3 });
    expect(lines[0].reasons.map((r: { code: string }) => r.code).sort()).toEqual(['number-mismatch', 'unsupported-medication']);
    expect(lines[0].note.title).toBe('Progress Note');

    server.reset();
    const once = await writeNote({ sheet: diabetesFollowUp, writer, vocabulary, rejectedLog, maxRetries: 0 });
    expect(once).toMatchObject({ status: 'rejected', attempts: 1 });
    expect(readRejected(rejectedLog.path)).toHaveLength(2);
  });

  it('rejects at once on a refusal', async () => {
    const { server, writer, rejectedLog } = await pipeline(() => diabetesNote);
    server.enqueue({ kind: 'refusal', message: 'I will not write this.' });
    const result = await writeNote({ sheet: diabetesFollowUp, writer, vocabulary, rejectedLog });
    expect(result).toMatchObject({ status: 'rejected', attempts: 1, reasons: [{ code: 'refused', message: 'I will not write this.' }] });
    expect(server.requests).toHaveLength(1);
    expect(readRejected(rejectedLog.path)[0].reasons[0].code).toBe('refused');
  });

  it('repairs malformed JSON on a server without json_schema, and retries a note whose repair failed too', async () => {
    const { server, writer } = await pipeline(() => diabetesNote, { jsonSchema: false });
    server.enqueue({ kind: 'invalid-json' }, { kind: 'truncate' });
    const result = await writeNote({ sheet: diabetesFollowUp, writer, vocabulary });
    expect(result).toMatchObject({ status: 'accepted', attempts: 2 });
    expect(result.history[0]![0]!.code).toBe('malformed-output');
    // 400 on json_schema, then JSON mode: invalid, repair truncated, then the retried attempt.
    expect(server.requests.map((r) => r.status)).toEqual([400, 200, 200, 200]);
    expect(server.requests.slice(1).every((r) => r.body!.response_format!.type === 'json_object')).toBe(true);
  });

  it('rides out 429 and 5xx through the runner', async () => {
    const { server, writer, runner } = await pipeline(() => diabetesNote);
    server.enqueue({ kind: 'rate-limit', retryAfterSeconds: 1 }, { kind: 'server-error', status: 500 }, { kind: 'drop' });
    const result = await writeNote({ sheet: diabetesFollowUp, writer, vocabulary });
    expect(result).toMatchObject({ status: 'accepted', attempts: 1 });
    expect(runner.stats()).toMatchObject({ retries: 3, attempts: 4 });
  });

  it('reruns from the cache with zero requests and a byte-identical result, never storing the key', async () => {
    const answer: FakeAnswer = (_req, index) => (index === 0 ? contradictingDiabetesNote : diabetesNote);
    server = await startFakeOpenAIServer({ answer });
    const cachePath = join(mkdtempSync(join(tmpdir(), 'cw-cache-')), 'llm.sqlite');
    const run = async () => {
      const cache = new LlmCache({ path: cachePath });
      const model = createOpenAIModel({ model: 'gpt-4o-mini', apiKey: API_KEY, baseURL: server!.baseURL });
      const writer = createLlmNoteWriter({ model: createModelRunner(model, { cache }), prompts });
      const result = await writeNote({ sheet: diabetesFollowUp, writer, vocabulary });
      cache.close();
      return JSON.stringify(result);
    };
    const first = await run();
    expect(server.requests).toHaveLength(2);
    const second = await run();
    expect(server.requests).toHaveLength(2);
    expect(second).toBe(first);
    expect(JSON.parse(second)).toMatchObject({ status: 'accepted', attempts: 2 });
    const dir = join(cachePath, '..');
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).includes(Buffer.from(API_KEY))).toBe(false);
  });
});
