import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LlmCache } from '../../../src/cache/llm-cache.js';
import { AuthError, InterruptedError, LlmRefusalError, ServerError } from '../../../src/errors.js';
import { createModelRunner } from '../../../src/notes/llm/model-runner.js';
import { createOpenAIModel } from '../../../src/notes/llm/openai-model.js';
import { loadPriceTable } from '../../../src/notes/llm/price-table.js';
import type { Clock } from '../../../src/notes/llm/rate-limiter.js';
import { backoffDelayMs } from '../../../src/core/retry.js';
import { UsageLedger } from '../../../src/notes/llm/usage-ledger.js';
import { NOTE_OUTPUT_SCHEMA_NAME, noteOutputSchema } from '../../../src/notes/note-output.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake-openai-server.js';
import { chestPainNote, diabetesNote } from '../../support/fact-sheets.js';

const API_KEY = 'sk-live-SECRET-do-not-store-9f8e7d';

function requestFor(i: number, label = 'progress-note') {
  return {
    messages: [
      { role: 'system' as const, content: 'You write clinical notes.' },
      { role: 'user' as const, content: `Write note number ${i}.` },
    ],
    schema: noteOutputSchema,
    schemaName: NOTE_OUTPUT_SCHEMA_NAME,
    sampling: { temperature: 0.2 },
    label,
  };
}

/** Records the waits the runner asks for and returns at once: no real waiting in tests. */
function recordingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    now: () => 0,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start() {
  server = await startFakeOpenAIServer({ answer: (req) => (String(req.messages[1]?.content).includes('7') ? chestPainNote : diabetesNote) });
  return { server, model: createOpenAIModel({ model: 'gpt-4o-mini', apiKey: API_KEY, baseURL: server.baseURL }) };
}

describe('model runner: retries', () => {
  it('honours Retry-After on 429', async () => {
    const { server, model } = await start();
    const clock = recordingClock();
    server.enqueue({ kind: 'rate-limit', retryAfterSeconds: 7 });
    const runner = createModelRunner(model, { clock });
    expect((await runner.complete(requestFor(1))).value).toEqual(diabetesNote);
    expect(clock.waits).toEqual([7000]);
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('backs off exponentially with injected jitter on 5xx and dropped connections', async () => {
    const { server, model } = await start();
    const clock = recordingClock();
    server.enqueue({ kind: 'server-error', status: 500 }, { kind: 'server-error', status: 503 }, { kind: 'drop' });
    const jitter = [0.25, 0.5, 0.75];
    let draw = 0;
    const retry = { baseDelayMs: 100, maxDelayMs: 30_000 };
    const runner = createModelRunner(model, { clock, retry, random: () => jitter[draw++]! });
    expect((await runner.complete(requestFor(1))).value).toEqual(diabetesNote);
    expect(clock.waits).toEqual([backoffDelayMs(retry, 1, 0.25), backoffDelayMs(retry, 2, 0.5), backoffDelayMs(retry, 3, 0.75)]);
    expect(clock.waits).toEqual([63, 150, 350]);
    expect(clock.waits[2]!).toBeGreaterThanOrEqual(200);
    expect(clock.waits[2]!).toBeLessThanOrEqual(400);
    expect(runner.stats()).toMatchObject({ attempts: 4, retries: 3 });
  });

  it('gives up after the policy\'s attempts with the last error', async () => {
    const { server, model } = await start();
    server.enqueue({ kind: 'server-error' }, { kind: 'server-error' }, { kind: 'server-error' });
    const runner = createModelRunner(model, { clock: recordingClock(), retry: { attempts: 3 } });
    const error = await runner.complete(requestFor(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(500);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a refused key, and sends no later call with it', async () => {
    server = await startFakeOpenAIServer({ apiKey: 'sk-right' });
    const wrong = createOpenAIModel({ model: 'gpt-4o-mini', apiKey: 'sk-wrong', baseURL: server.baseURL });
    const runner = createModelRunner(wrong, { clock: recordingClock(), concurrency: 2 });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => runner.complete(requestFor(i))));
    for (const r of results) expect(r.status === 'rejected' && r.reason instanceof AuthError).toBe(true);
    // Only the calls already in flight when the first 401 came back were sent.
    expect(server.requests.length).toBeLessThanOrEqual(2);
    expect(runner.stats().retries).toBe(0);
  });

  it('does not retry refusals', async () => {
    const { server, model } = await start();
    server.enqueue({ kind: 'refusal' });
    const runner = createModelRunner(model, { clock: recordingClock() });
    await expect(runner.complete(requestFor(1))).rejects.toBeInstanceOf(LlmRefusalError);
    expect(server.requests).toHaveLength(1);
  });

  it('times a slow request out and retries it', async () => {
    const { server, model } = await start();
    server.enqueue({ kind: 'answer', latencyMs: 5_000 });
    const clock = recordingClock();
    const runner = createModelRunner(model, { clock, timeoutMs: 150, random: () => 0 });
    expect((await runner.complete(requestFor(1))).value).toEqual(diabetesNote);
    expect(server.requests).toHaveLength(2);
    expect(clock.waits).toHaveLength(1);
  });

  it('stops cleanly on abort (Ctrl-C) with InterruptedError', async () => {
    const { server, model } = await start();
    server.enqueue({ kind: 'answer', latencyMs: 30_000 });
    const controller = new AbortController();
    const runner = createModelRunner(model, { signal: controller.signal });
    const pending = runner.complete(requestFor(1));
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
    await expect(runner.complete(requestFor(2))).rejects.toBeInstanceOf(InterruptedError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('model runner: concurrency', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    const { server, model } = await start();
    const runner = createModelRunner(model, { concurrency: 3 });
    for (let i = 0; i < 9; i++) server.enqueue({ kind: 'answer', latencyMs: 40 });
    await Promise.all(Array.from({ length: 9 }, (_, i) => runner.complete(requestFor(i))));
    expect(server.maxInFlight).toBe(3);
  });
});

describe('model runner: cache', () => {
  it('answers a rerun from the cache with zero requests and byte-identical results, never storing the key', async () => {
    const { server, model } = await start();
    const dir = mkdtempSync(join(tmpdir(), 'cw-llm-cache-'));
    const path = join(dir, 'llm.sqlite');
    const run = async () => {
      const cache = new LlmCache({ path });
      const runner = createModelRunner(model, { cache, concurrency: 4 });
      const results = await Promise.all([1, 2, 7].map((i) => runner.complete(requestFor(i))));
      const stats = cache.stats();
      cache.close();
      return { json: JSON.stringify(results), stats };
    };
    const first = await run();
    expect(server.requests).toHaveLength(3);
    expect(first.stats).toEqual({ hits: 0, misses: 3, writes: 3 });
    const second = await run();
    expect(server.requests).toHaveLength(3);
    expect(second.stats).toEqual({ hits: 3, misses: 0, writes: 0 });
    expect(second.json).toBe(first.json);

    // The key went to the server, and never into any cache file (WAL included).
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const files = readdirSync(dir);
    expect(files).toContain('llm.sqlite');
    for (const file of files) {
      const bytes = readFileSync(join(dir, file));
      expect(bytes.includes(Buffer.from(API_KEY))).toBe(false);
      expect(bytes.includes(Buffer.from('SECRET'))).toBe(false);
    }
    // ...while the notes themselves are there.
    expect(readFileSync(path).includes(Buffer.from('Lisinopril'))).toBe(false);
    expect(readFileSync(path).includes(Buffer.from('lisinopril'))).toBe(true);
  });

  it('read-only mode uses entries but adds none; off mode touches nothing', async () => {
    const { server, model } = await start();
    const dir = mkdtempSync(join(tmpdir(), 'cw-llm-cache-'));
    const path = join(dir, 'llm.sqlite');
    const readOnlyMissing = new LlmCache({ path, mode: 'read-only' });
    await createModelRunner(model, { cache: readOnlyMissing }).complete(requestFor(1));
    expect(existsSync(path)).toBe(false);
    expect(readOnlyMissing.stats()).toEqual({ hits: 0, misses: 1, writes: 0 });

    const rw = new LlmCache({ path });
    await createModelRunner(model, { cache: rw }).complete(requestFor(1));
    rw.close();
    const ro = new LlmCache({ path, mode: 'read-only' });
    const runner = createModelRunner(model, { cache: ro });
    await runner.complete(requestFor(1));
    await runner.complete(requestFor(2));
    expect(ro.stats()).toEqual({ hits: 1, misses: 1, writes: 0 });
    ro.close();
    expect(server.requests).toHaveLength(3);

    const offPath = join(dir, 'off.sqlite');
    const off = new LlmCache({ path: offPath, mode: 'off' });
    await createModelRunner(model, { cache: off }).complete(requestFor(1));
    expect(existsSync(offPath)).toBe(false);
    expect(off.stats()).toEqual({ hits: 0, misses: 0, writes: 0 });
  });

  it('keys on sampling parameters and model', async () => {
    const { server, model } = await start();
    const path = join(mkdtempSync(join(tmpdir(), 'cw-llm-cache-')), 'llm.sqlite');
    const cache = new LlmCache({ path });
    const runner = createModelRunner(model, { cache });
    await runner.complete(requestFor(1));
    await runner.complete({ ...requestFor(1), sampling: { temperature: 0.9 } });
    const other = createModelRunner(createOpenAIModel({ model: 'gpt-4o', apiKey: API_KEY, baseURL: server.baseURL }), { cache });
    await other.complete(requestFor(1));
    await runner.complete(requestFor(1));
    expect(server.requests).toHaveLength(3);
    cache.close();
  });
});

describe('model runner: usage accounting', () => {
  it('counts tokens per note type, cache hits apart, and prices them', async () => {
    const { model } = await start();
    const path = join(mkdtempSync(join(tmpdir(), 'cw-llm-cache-')), 'llm.sqlite');
    const cache = new LlmCache({ path });
    const usage = new UsageLedger();
    const runner = createModelRunner(model, { cache, usage });
    await runner.complete(requestFor(1, 'progress-note'));
    await runner.complete(requestFor(2, 'ed-note'));
    await runner.complete(requestFor(1, 'progress-note'));
    cache.close();
    const summary = usage.summary('gpt-4o-mini', await loadPriceTable());
    expect(Object.keys(summary.byLabel)).toEqual(['ed-note', 'progress-note']);
    expect(summary.byLabel['progress-note']).toMatchObject({ requests: 1, cachedRequests: 1 });
    const line = summary.total;
    expect(line.requests).toBe(2);
    expect(line.promptTokens).toBeGreaterThan(0);
    expect(line.cost).toBeCloseTo((line.promptTokens * 0.15 + line.completionTokens * 0.6) / 1e6, 12);
    expect(usage.summary('my-private-model', await loadPriceTable()).total.cost).toBeNull();
  });

  it('counts the tokens of refused and unusable answers too', async () => {
    const { server, model } = await start();
    const usage = new UsageLedger();
    const runner = createModelRunner(model, { usage });
    server.enqueue({ kind: 'refusal' }, { kind: 'invalid-json' }, { kind: 'invalid-json' });
    await expect(runner.complete(requestFor(1))).rejects.toBeInstanceOf(LlmRefusalError);
    await expect(runner.complete(requestFor(2))).rejects.toThrow(/not valid after one repair/);
    const line = usage.summary('gpt-4o-mini').byLabel['progress-note']!;
    expect(line.requests).toBe(2);
    expect(line.promptTokens).toBeGreaterThan(0);
    expect(line.completionTokens).toBeGreaterThan(0);
  });
});
