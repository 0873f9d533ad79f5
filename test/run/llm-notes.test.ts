import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, tempDir, treeHashes } from '../support/cli.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';

const KEY = 'sk-test-SECRET-do-not-store-0123456789';

describe('generate --notes --llm openai against a local OpenAI-compatible server', () => {
  let server: FakeOpenAIServer;
  const cacheDir = tempDir();
  const cachePath = join(cacheDir, 'llm.sqlite');
  const args = (out: string, extra: readonly string[] = []): string[] => [
    'generate', '--seed', '5', '--reference-date', '2025-06-01', '--patients', '3', '--quiet', '--out', out,
    '--notes', 'progress-note', '--notes-since', '2023-01-01', '--llm', 'openai', '--model', 'fake-model',
    '--cache-path', cachePath, '--concurrency', '4', ...extra,
  ];
  const env = (): NodeJS.ProcessEnv => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseURL });

  beforeAll(async () => {
    server = await startFakeOpenAIServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('writes LLM notes, then reruns from the cache for free and byte-identical, never storing the key', async () => {
    const first = tempDir();
    const r1 = await runCliAsync(args(first), env());
    expect(r1.stderr).toBe('');
    expect(r1.code).toBe(0);
    const calls = server.requests.length;
    expect(calls).toBeGreaterThan(0);
    const m1 = JSON.parse(readFileSync(join(first, 'manifest.json'), 'utf8'));
    expect(m1.notes.writer).toBe('openai');
    expect(m1.notes.kept).toBeGreaterThan(0);
    expect(m1.notes.usage.total.promptTokens).toBeGreaterThan(0);
    expect(JSON.stringify(m1)).not.toContain(KEY);

    const second = tempDir();
    const r2 = await runCliAsync(args(second), env());
    expect(r2.code).toBe(0);
    expect(server.requests.length).toBe(calls);
    expect(treeHashes(second)).toEqual(treeHashes(first));
    const m2 = JSON.parse(readFileSync(join(second, 'manifest.json'), 'utf8'));
    expect(m2.notes.cache.hits).toBeGreaterThan(0);
    expect(m2.notes.cache.misses).toBe(0);

    for (const name of readdirSync(cacheDir)) expect(readFileSync(join(cacheDir, name)).includes(KEY)).toBe(false);
  });

  it('rejects notes that contradict the record into rejected.jsonl, keeping them out of the bundles', async () => {
    const out = tempDir();
    const contradicting = {
      title: 'Progress Note',
      sections: [{ heading: 'Plan', text: 'Continue glipizide 5 mg twice daily for diabetes.' }],
      mentions: [],
    };
    const local = await startFakeOpenAIServer({ answer: () => contradicting });
    try {
      const r = await runCliAsync(args(out, ['--cache', 'off']), { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: local.baseURL });
      expect(r.code).toBe(0);
      const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      expect(m.notes.kept).toBe(0);
      expect(m.notes.rejected).toBeGreaterThan(0);
      const lines = readFileSync(join(out, 'notes', 'rejected.jsonl'), 'utf8').trim().split('\n');
      expect(lines.length).toBe(m.notes.rejected);
      const first = JSON.parse(lines[0]!);
      expect(first.attempts).toBe(3);
      expect(first.reasons.map((v: { code: string }) => v.code)).toContain('unsupported-medication');
      expect(m.counts.resources.DocumentReference ?? 0).toBe(0);
    } finally {
      await local.close();
    }
  });

  it('stops at once on a refused API key: one line naming the endpoint, exit 1, no retry, no key', async () => {
    const guarded = await startFakeOpenAIServer({ apiKey: 'sk-the-right-one' });
    try {
      const wrongKey = 'sk-wrong-key-0123456789';
      const r = await runCliAsync(args(tempDir(), ['--cache', 'off']), { OPENAI_API_KEY: wrongKey, OPENAI_BASE_URL: guarded.baseURL });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`chartwright: ${guarded.baseURL} answered HTTP 401: Incorrect API key provided. (code invalid_api_key); check OPENAI_API_KEY\n`);
      expect(r.stdout + r.stderr).not.toContain(wrongKey);
      // An AuthError is not retryable: no request is sent twice, and the run stops with the calls in flight.
      expect(guarded.requests.length).toBeGreaterThan(0);
      expect(guarded.requests.length).toBeLessThanOrEqual(4);
      expect(guarded.requests.every((q) => q.status === 401)).toBe(true);
      expect(new Set(guarded.requests.map((q) => q.rawBody)).size).toBe(guarded.requests.length);
    } finally {
      await guarded.close();
    }
  });

  it('says clearly when --model is missing', async () => {
    const r = await runCliAsync(['generate', '--patients', '1', '--out', tempDir(), '--notes', '--llm', 'openai'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model/);
  });
});
