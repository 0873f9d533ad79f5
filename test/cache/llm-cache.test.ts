import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LlmCache, llmCacheKey } from '../../src/cache/llm-cache.js';

const parts = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Write a note.' }],
  schema: { name: 'clinical_note', jsonSchema: { type: 'object' } },
  sampling: { temperature: 0.2, seed: 1 },
};
const response = { value: { title: 'Note' }, raw: '{"title":"Note"}', usage: { promptTokens: 10, completionTokens: 5 } };

describe('LLM cache key', () => {
  it('is a sha256 that ignores key order and undefined members but sees every part', () => {
    const key = llmCacheKey(parts);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(llmCacheKey({ ...parts, sampling: { seed: 1, temperature: 0.2, topP: undefined } })).toBe(key);
    expect(llmCacheKey({ ...parts, provider: 'langchain' })).not.toBe(key);
    expect(llmCacheKey({ ...parts, model: 'gpt-4o' })).not.toBe(key);
    expect(llmCacheKey({ ...parts, messages: [{ role: 'user', content: 'Write a note!' }] })).not.toBe(key);
    expect(llmCacheKey({ ...parts, schema: { name: 'other', jsonSchema: { type: 'object' } } })).not.toBe(key);
    expect(llmCacheKey({ ...parts, sampling: { temperature: 0.3, seed: 1 } })).not.toBe(key);
  });
});

describe('LLM cache', () => {
  it('stores and returns answers across opens, counting hits and misses', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cw-cache-')), 'nested', 'llm.sqlite');
    const a = new LlmCache({ path });
    expect(a.get('k')).toBeUndefined();
    a.put('k', 'openai', 'gpt-4o-mini', response);
    expect(a.get('k')).toEqual(response);
    expect(a.stats()).toEqual({ hits: 1, misses: 1, writes: 1 });
    a.close();
    const b = new LlmCache({ path, mode: 'read-only' });
    expect(b.get('k')).toEqual(response);
    b.put('k2', 'openai', 'gpt-4o-mini', response);
    expect(b.get('k2')).toBeUndefined();
    b.close();
  });

  it('treats a row that fails its schema as a miss', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cw-cache-')), 'llm.sqlite');
    new LlmCache({ path }).close();
    const db = new Database(path);
    db.prepare('INSERT INTO llm_responses (key, provider, model, response) VALUES (?, ?, ?, ?)').run('bad', 'openai', 'm', '{"value":1}');
    db.prepare('INSERT INTO llm_responses (key, provider, model, response) VALUES (?, ?, ?, ?)').run('worse', 'openai', 'm', 'not json');
    db.close();
    const cache = new LlmCache({ path });
    expect(cache.get('bad')).toBeUndefined();
    expect(cache.get('worse')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 2 });
    cache.close();
  });

  it('reports an unusable path as one clear error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cw-cache-')), 'file');
    new LlmCache({ path: file }).close();
    expect(() => new LlmCache({ path: join(file, 'llm.sqlite') })).toThrow(/cannot open the LLM cache/);
  });
});
