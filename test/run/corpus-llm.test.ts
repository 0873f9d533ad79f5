import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, tempDir, treeHashes } from '../support/cli.js';
import { groundedAnswer, isQaRequest, qaQuestion } from '../support/corpus-answers.js';
import { startFakeOpenAIServer, type FakeChatRequest, type FakeOpenAIServer } from '../support/fake-openai-server.js';

const KEY = 'sk-test-SECRET-corpus-cli-0123456789';

/**
 * Grounded answers, except that every allergy question gets an answer that states nothing: it
 * passes the grounding checks (it invents nothing) and must still be rejected, as answering nothing.
 */
function answer(request: FakeChatRequest): unknown {
  if (isQaRequest(request) && /allergies/.test(qaQuestion(request))) return { question: qaQuestion(request), answer: 'That is documented in the chart.', mentions: [] };
  return groundedAnswer(request);
}

function rows(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

function taskRows(corpus: string, task: string): Record<string, unknown>[] {
  return readdirSync(join(corpus, 'tasks', task)).sort().flatMap((f) => rows(join(corpus, 'tasks', task, f)));
}

describe('chartwright corpus --llm openai against a local OpenAI-compatible server', () => {
  let server: FakeOpenAIServer;
  // Four patients, two admissions with a history and physical and a discharge summary: cheap, and enough for every task.
  const cohort = tempDir('chartwright-corpus-llm-cli-');
  const cachePath = join(tempDir(), 'llm.sqlite');
  const corpusArgs = (out: string): string[] => [
    'corpus', cohort, '--out', out, '--format', 'jsonl', '--tasks', 'ner,summary,qa,deid', '--split', '100/0/0',
    '--llm', 'openai', '--model', 'fake-model', '--cache-path', cachePath, '--max-retries', '1', '--concurrency', '4',
  ];
  const env = (): NodeJS.ProcessEnv => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseURL });

  beforeAll(async () => {
    server = await startFakeOpenAIServer({ answer });
    const r = await runCliAsync(['generate', '--seed', '2', '--reference-date', '2025-06-01', '--patients', '4', '--quiet', '--out', cohort, '--notes', 'history-and-physical,discharge-summary', '--notes-since', '2020-01-01']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
  afterAll(async () => {
    await server.close();
  });

  it('writes checked summaries and QA pairs with spans, counts the rejected in the datasheet, and reruns from the cache for free, byte for byte', async () => {
    const first = tempDir();
    const r1 = await runCliAsync(corpusArgs(first), env());
    expect(r1.code, r1.stderr).toBe(0);
    const calls = server.requests.length;
    expect(calls).toBeGreaterThan(0);

    const summaries = taskRows(first, 'summary');
    expect(summaries.length).toBeGreaterThan(0);
    for (const s of summaries) {
      expect(s['writer']).toBe('openai');
      expect(String(s['target'])).toMatch(/^Discharge Summary\n\nHospital Course:\nAdmitted on \d{4}-\d{2}-\d{2}/);
      const target = [...String(s['target'])];
      const entities = s['target_entities'] as { start: number; end: number; text: string; label: string; code: string | null }[];
      expect(entities.length).toBeGreaterThan(0);
      for (const e of entities) expect(target.slice(e.start, e.end).join('')).toBe(e.text);
    }
    const qa = taskRows(first, 'qa');
    const written = qa.filter((q) => q['writer'] === 'openai');
    expect(written.length).toBeGreaterThan(0);
    expect(written.some((q) => q['kind'] === 'allergies')).toBe(false);
    for (const q of written) {
      expect(String(q['answer'])).toContain(String(q['record_answer']));
      const answer = [...String(q['answer'])];
      for (const e of q['answer_entities'] as { start: number; end: number; text: string }[]) expect(answer.slice(e.start, e.end).join('')).toBe(e.text);
    }

    const sheet = readFileSync(join(first, 'README.md'), 'utf8');
    expect(sheet).toContain('`fake-model`');
    const qaRow = /\| qa \| (\d+) \| (\d+) \| (\d+) \| ([^|]+) \| (\d+) \| (\d+) \|/.exec(sheet);
    expect(qaRow, sheet).not.toBeNull();
    expect(Number(qaRow![1])).toBe(written.length);
    expect(Number(qaRow![2])).toBeGreaterThan(0);
    expect(qaRow![4]!.trim()).toBe(`answer-missing-fact ${qaRow![2]}`);
    expect(sheet).toMatch(new RegExp(`\\| summary \\| ${summaries.length} \\| 0 \\| ${summaries.length} \\| none \\| 0 \\| 0 \\|`));
    for (const name of readdirSync(first, { recursive: true }) as string[]) {
      if (name.endsWith('.jsonl') || name.endsWith('.md')) expect(readFileSync(join(first, name), 'utf8')).not.toContain(KEY);
    }

    const second = tempDir();
    const r2 = await runCliAsync(corpusArgs(second), env());
    expect(r2.code, r2.stderr).toBe(0);
    expect(server.requests.length).toBe(calls);
    expect(treeHashes(second)).toEqual(treeHashes(first));
  });
});
