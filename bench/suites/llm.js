// LLM layer bench: notes/s through the whole pipeline (prompt rendering, runner, openai SDK, zod,
// grounding checks) against a loopback OpenAI-compatible server answering after 200 ms, with
// concurrency 32 (ideal 32 / 0.2 s = 160 notes/s), then the same run again from the response cache.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const LATENCY_MS = 200;
const CONCURRENCY = 32;

const sheet = {
  patient: { name: 'Maria Lopez', givenName: 'Maria', familyName: 'Lopez', age: 58, sex: 'female', birthDate: '1966-02-14' },
  encounter: { id: 'enc-1', date: '2024-05-02', class: 'AMB', type: 'Follow-up encounter', reason: 'Diabetes follow-up', author: 'Dr. Alan Reyes', noteType: 'progress-note' },
  facts: [
    { id: 'problem.1', kind: 'problem', label: 'Type 2 diabetes mellitus', status: 'active', synonyms: ['T2DM'] },
    { id: 'med.1', kind: 'medication', label: 'Metformin 500 mg oral tablet', status: 'active', synonyms: ['metformin'] },
    { id: 'vital.bp', kind: 'vital', label: 'Blood pressure', synonyms: ['BP'], components: [{ label: 'Systolic', value: 138, unit: 'mm[Hg]' }, { label: 'Diastolic', value: 86, unit: 'mm[Hg]' }] },
    { id: 'vital.hr', kind: 'vital', label: 'Heart rate', value: 78, unit: '/min', synonyms: ['HR'] },
    { id: 'lab.a1c', kind: 'lab', label: 'Hemoglobin A1c', value: 7.4, unit: '%', synonyms: ['HbA1c'] },
  ],
  negatives: ['not on insulin', 'denies chest pain'],
};

const note = {
  title: 'Progress Note',
  sections: [
    { heading: 'Subjective', text: 'Ms. Lopez is a 58-year-old female with T2DM on metformin, not on insulin. She denies chest pain.' },
    { heading: 'Objective', text: 'BP 138/86, HR 78. HbA1c 7.4%.' },
    { heading: 'Assessment and Plan', text: 'Type 2 diabetes mellitus, continue metformin.' },
  ],
  mentions: [
    { text: 'T2DM', factId: 'problem.1' },
    { text: 'metformin', factId: 'med.1' },
    { text: 'BP 138/86', factId: 'vital.bp' },
    { text: 'HR 78', factId: 'vital.hr' },
    { text: 'HbA1c 7.4%', factId: 'lab.a1c' },
  ],
};

/**
 * Minimal OpenAI-compatible server in a worker thread (its own event loop, as a remote API would
 * be): every chat completion answers the note after the latency.
 */
const SERVER_SOURCE = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
let requests = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    requests++;
    setTimeout(() => {
      const body = JSON.stringify({
        id: 'chatcmpl-bench', object: 'chat.completion', created: 1700000000, model: 'fake',
        choices: [{ index: 0, message: { role: 'assistant', content: workerData.content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 900, completion_tokens: 150, total_tokens: 1050 },
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    }, workerData.latencyMs);
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'count') parentPort.postMessage({ requests });
  if (m === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)); }
});
`;

async function startServer() {
  const worker = new Worker(SERVER_SOURCE, { eval: true, workerData: { content: JSON.stringify(note), latencyMs: LATENCY_MS } });
  const next = () => new Promise((resolve) => worker.once('message', resolve));
  const { port } = await next();
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    async requests() {
      worker.postMessage('count');
      return (await next()).requests;
    },
    async close() {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

export async function run(ctx) {
  const lib = await import(pathToFileURL(join(ctx.root, 'dist', 'index.js')).href);
  const notes = ctx.quick ? 320 : 1280;
  const server = await startServer();
  const vocabulary = await lib.loadVocabulary();
  const prompts = await lib.loadPromptSet();
  mkdirSync(ctx.workDir, { recursive: true });
  const cachePath = join(ctx.workDir, `llm-bench-${process.pid}-${Date.now()}.sqlite`);
  const rows = [];

  const pass = async (count = notes, label = 'Bench', mode = 'read-write') => {
    const cache = new lib.LlmCache({ path: cachePath, mode });
    const model = lib.createOpenAIModel({ model: 'fake', apiKey: 'bench-key', baseURL: server.baseURL });
    const runner = lib.createModelRunner(model, { concurrency: CONCURRENCY, cache });
    const before = await server.requests();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        lib.writeNote({ sheet, vocabulary, writer: lib.createLlmNoteWriter({ model: runner, prompts, instructions: `${label} note ${i}.` }) }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    cache.close();
    const accepted = results.filter((r) => r.status === 'accepted').length;
    if (accepted !== count) throw new Error(`llm bench: only ${accepted} of ${count} notes accepted`);
    return { perSecond: count / seconds, requests: (await server.requests()) - before };
  };

  try {
    // Warm-up (module loading, JIT, 32 keep-alive connections), not measured.
    await pass(CONCURRENCY * 2, 'Warm-up', 'off');
    const cold = await pass();
    const ideal = CONCURRENCY / (LATENCY_MS / 1000);
    rows.push({ suite: 'llm', case: `${notes} notes, 200 ms latency, concurrency 32`, metric: 'throughput', value: round(cold.perSecond), unit: 'notes/s' });
    rows.push({ suite: 'llm', case: `${notes} notes, 200 ms latency, concurrency 32`, metric: 'share of ideal (160 notes/s)', value: round((100 * cold.perSecond) / ideal), unit: '%' });
    const warm = await pass();
    rows.push({ suite: 'llm', case: `${notes} notes, cached rerun`, metric: 'throughput', value: round(warm.perSecond), unit: 'notes/s' });
    rows.push({ suite: 'llm', case: `${notes} notes, cached rerun`, metric: 'requests to the server', value: warm.requests, unit: 'requests' });

    const checks = ctx.quick ? 2000 : 10000;
    const started = performance.now();
    for (let i = 0; i < checks; i++) lib.checkNote(note, sheet, vocabulary);
    rows.push({ suite: 'llm', case: 'grounding checks of one note', metric: 'throughput', value: round(checks / ((performance.now() - started) / 1000)), unit: 'notes/s' });
  } finally {
    await server.close();
  }
  return rows;
}

function round(x) {
  return Math.round(x * 10) / 10;
}
