import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OptionError } from '../../../src/errors.js';
import { loadVocabulary, type Vocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { formatLlmSummaryLine, openLlmRuntime, parseLlmOptions } from '../../../src/notes/llm/llm-runtime.js';
import { loadPromptSet, type PromptSet } from '../../../src/notes/prompt-set.js';
import { writeNote } from '../../../src/notes/write-note.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake-openai-server.js';
import { chestPainEd, chestPainNote, diabetesFollowUp, diabetesNote } from '../../support/fact-sheets.js';

const KEY = 'sk-runtime-SECRET-77';
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

describe('LLM options', () => {
  it('parse flag values with defaults', () => {
    expect(parseLlmOptions({ model: 'gpt-4o-mini', concurrency: '16', rpm: undefined })).toMatchObject({
      model: 'gpt-4o-mini', concurrency: 16, cache: 'read-write', cachePath: 'cache/llm.sqlite', maxRetries: 2, requestTimeout: 120,
    });
  });

  it('name the flag of a bad value', () => {
    expect(() => parseLlmOptions({ concurrency: '0' })).toThrow(OptionError);
    expect(() => parseLlmOptions({ concurrency: '0' })).toThrow(/^--concurrency:/);
    expect(() => parseLlmOptions({ cache: 'sometimes' })).toThrow(/^--cache:/);
    expect(() => parseLlmOptions({ maxRetries: '-1' })).toThrow(/^--max-retries:/);
  });
});

describe('LLM runtime', () => {
  it('writes notes over the openai provider and reports cache, usage and cost without secrets', async () => {
    server = await startFakeOpenAIServer({ answer: (req) => (JSON.stringify(req.messages).includes('Hayes') ? chestPainNote : diabetesNote) });
    const cachePath = join(mkdtempSync(join(tmpdir(), 'cw-rt-')), 'llm.sqlite');
    const options = parseLlmOptions({ model: 'gpt-4o-mini', cachePath });
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseURL };
    const run = async () => {
      const runtime = await openLlmRuntime(options, { provider: { kind: 'openai', env }, prompts });
      const results = await Promise.all([diabetesFollowUp, chestPainEd].map((sheet) => writeNote({ sheet, writer: runtime.writer, vocabulary, maxRetries: runtime.options.maxRetries })));
      runtime.close();
      return { results, summary: runtime.summary() };
    };
    const first = await run();
    expect(first.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(first.summary).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', cache: { mode: 'read-write', hits: 0, misses: 2, writes: 2 } });
    expect(Object.keys(first.summary.usage.byLabel)).toEqual(['ed-note', 'progress-note']);
    expect(first.summary.usage.total.cost).toBeGreaterThan(0);
    const second = await run();
    expect(second.summary.cache).toMatchObject({ hits: 2, misses: 0 });
    expect(second.summary.usage.total).toMatchObject({ requests: 0, cachedRequests: 2, cost: 0 });
    expect(server.requests).toHaveLength(2);
    expect(JSON.stringify([first.summary, second.summary])).not.toContain(KEY);
    expect(formatLlmSummaryLine(first.summary)).toMatch(/^LLM gpt-4o-mini: 2 calls, 0 cached, \d+\+\d+ tokens, ~\$0\.00$/);
  });

  it('needs --model for openai and accepts any LangChain chat model', async () => {
    await expect(openLlmRuntime(parseLlmOptions({ cache: 'off' }), { provider: { kind: 'openai', env: { OPENAI_API_KEY: 'x' } }, prompts })).rejects.toThrow(/^--model/);
    const chatModel = new FakeListChatModel({ responses: [JSON.stringify(diabetesNote)] });
    const runtime = await openLlmRuntime(parseLlmOptions({ cache: 'off', model: 'claude-sonnet-4' }), { provider: { kind: 'langchain', chatModel }, prompts });
    const result = await writeNote({ sheet: diabetesFollowUp, writer: runtime.writer, vocabulary });
    expect(result).toMatchObject({ status: 'accepted', writer: 'langchain', model: 'claude-sonnet-4' });
    expect(runtime.summary().cache).toMatchObject({ mode: 'off', hits: 0, misses: 0 });
  });
});
