// Memorization-guard bench: the speed of `chartwright dedup` and of the guard inside generate.
//
// 1. Builds a 100,000-document reference corpus (10,000 with --quick) of synthetic clinical-length
//    texts (Zipf-distributed words from the self-written reference set plus a made-up vocabulary,
//    ~300 words each) and indexes it into SQLite with buildIndex(): build time, size, bytes/doc.
// 2. Signs and queries 10,000 documents against it (90% fresh, 5% edited copies of indexed
//    documents, 5% with a 60-word passage of one planted): one worker, then one worker per core
//    (worker threads, each loading the index itself). Goal: 10,000 documents/s per core. Every
//    hit costs a confirmation (the indexed text read back, inflated and tokenized), so the rate
//    falls with the share of queries that match.
// 3. `generate --notes` on the same cohort with the guard on and with --no-dedup, one worker:
//    goal under 10% slower with the guard.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const SUITE = 'dedup';
const QUERIES = 10_000;

function log(message) {
  process.stderr.write(`  [dedup] ${message}\n`);
}

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A vocabulary ranked for Zipf sampling: the reference fixtures' words first, then made-up ones. */
function vocabulary(root) {
  const dir = join(root, 'test', 'dedup', 'fixtures', 'reference');
  const words = new Set();
  for (const name of readdirSync(dir)) for (const w of readFileSync(join(dir, name), 'utf8').toLowerCase().match(/[a-z]+/g) ?? []) words.add(w);
  const list = [...words];
  for (let i = 0; list.length < 30_000; i++) list.push(`term${i.toString(36)}`);
  return list;
}

function makeText(random, words, length) {
  const out = [];
  for (let i = 0; i < length; i++) {
    // Zipf(1) by inverse transform on ranks.
    const rank = Math.min(words.length - 1, Math.floor(Math.exp(random() * Math.log(words.length))) - 1);
    out.push(words[rank]);
    if (random() < 0.07) out.push(random() < 0.5 ? '.' : String(Math.floor(random() * 200)));
  }
  return out.join(' ');
}

function edit(random, text, rate) {
  return text
    .split(' ')
    .flatMap((w) => (random() >= rate ? [w] : random() < 0.5 ? [] : [w, 'noted']))
    .join(' ');
}

function runChild(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, wallMs: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

// The query worker: loads the index, signs and checks its share of the queries, reports the time.
const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
const { root, db, queries } = workerData;
const load = (p) => import(new URL('dist/' + p, 'file://' + root + '/').href);
const { resolveDedupParams } = await load('dedup/settings.js');
const { createSigner, prepareText } = await load('dedup/prepared-text.js');
const { SqliteIndex } = await load('dedup/sqlite-index.js');
const signer = createSigner(resolveDedupParams({}));
let t = performance.now();
const store = SqliteIndex.openForReading(db, signer);
const index = store.load();
const loadMs = performance.now() - t;
t = performance.now();
let findings = 0;
for (const q of queries) {
  const m = index.check(q, prepareText(q.text, undefined, signer));
  findings += m.exact.length + m.near.length;
}
parentPort.postMessage({ loadMs, queryMs: performance.now() - t, findings, tableBytes: index.tableBytes });
store.close();
`;

function runWorkers(root, db, queries, workers) {
  const slices = Array.from({ length: workers }, (_, w) => queries.filter((_, i) => i % workers === w));
  const started = performance.now();
  return Promise.all(
    slices.map(
      (slice) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root, db, queries: slice } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  ).then((results) => ({ results, wallMs: performance.now() - started }));
}

export async function run(ctx) {
  const load = (p) => import(pathToFileURL(join(ctx.root, 'dist', p)).href);
  const { buildIndex } = await load('dedup/build-index.js');
  const size = ctx.quick ? 10_000 : 100_000;
  const dir = join(ctx.workDir, 'dedup');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rows = [];
  const row = (name, metric, value, unit) => rows.push({ suite: SUITE, case: name, metric, value, unit });

  // 1. The corpus and its index.
  const random = prng(20250601);
  const words = vocabulary(ctx.root);
  const corpus = [];
  for (let i = 0; i < size; i++) corpus.push(makeText(random, words, 200 + Math.floor(random() * 200)));
  const corpusPath = join(dir, 'corpus.jsonl');
  writeFileSync(corpusPath, corpus.map((text, i) => JSON.stringify({ id: i, text })).join('\n') + '\n');
  const db = join(dir, 'index.sqlite');
  log(`indexing ${size} documents`);
  const built = await buildIndex({ paths: [corpusPath], db });
  const name = `${size.toLocaleString('en-US')}-document index`;
  row(name, 'index build', Number(built.seconds.toFixed(1)), 's');
  row(name, 'index build rate', Math.round(size / built.seconds), 'docs/s');
  row(name, 'index size', Math.round(built.index.bytes / (1024 * 1024)), 'MiB');
  row(name, 'bytes per document', built.index.bytesPerDocument, 'B');

  // 2. Queries, one worker and one per core.
  const queries = [];
  for (let i = 0; i < QUERIES; i++) {
    const r = random();
    if (r < 0.9) queries.push({ id: `q${i}`, text: makeText(random, words, 200 + Math.floor(random() * 200)) });
    else if (r < 0.95) queries.push({ id: `q${i}`, text: edit(random, corpus[Math.floor(random() * size)], 0.02) });
    else {
      const source = corpus[Math.floor(random() * size)].split(' ');
      const at = Math.floor(random() * Math.max(1, source.length - 60));
      queries.push({ id: `q${i}`, text: `${makeText(random, words, 150)} ${source.slice(at, at + 60).join(' ')} ${makeText(random, words, 100)}` });
    }
  }
  const cores = availableParallelism();
  for (const workers of [...new Set([1, cores])]) {
    log(`querying ${QUERIES} documents with ${workers} worker(s)`);
    const { results, wallMs } = await runWorkers(ctx.root, db, queries, workers);
    const queryMs = Math.max(...results.map((r) => r.queryMs));
    const findings = results.reduce((n, r) => n + r.findings, 0);
    const label = `sign + query ${QUERIES.toLocaleString('en-US')} docs, ${workers} worker${workers > 1 ? 's' : ''}`;
    row(label, 'throughput', Math.round(QUERIES / (queryMs / 1000)), 'docs/s');
    row(label, 'per worker', Math.round(QUERIES / workers / (queryMs / 1000)), 'docs/s');
    row(label, 'index load per worker', Math.round(Math.max(...results.map((r) => r.loadMs))), 'ms');
    row(label, 'in-memory tables per worker', Math.round(results[0].tableBytes / (1024 * 1024)), 'MiB');
    row(label, 'findings', findings, 'findings');
    row(label, 'wall time incl. loading', Math.round(wallMs), 'ms');
  }

  // 3. The guard inside generate --notes.
  const patients = ctx.quick ? 20 : 100;
  const args = ['generate', '--patients', String(patients), '--seed', '7', '--reference-date', '2025-06-01', '--notes', '--workers', '1', '--quiet', '--force'];
  const times = {};
  for (const guard of [false, true, false, true]) {
    const out = join(dir, guard ? 'guard-on' : 'guard-off');
    const r = await runChild(process.execPath, [join(ctx.root, 'bin', 'chartwright.js'), ...args, '--out', out, ...(guard ? [] : ['--no-dedup'])], { cwd: ctx.root });
    if (r.code !== 0) throw new Error(`generate --notes exited ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' / ')}`);
    // The faster of two runs each, to damp the noise of a shared machine.
    times[guard] = Math.min(times[guard] ?? Infinity, r.wallMs);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'guard-on', 'manifest.json'), 'utf8'));
  const label = `generate --notes, ${patients} patients, 1 worker`;
  row(label, 'guard off (--no-dedup)', Number((times.false / 1000).toFixed(1)), 's');
  row(label, 'guard on', Number((times.true / 1000).toFixed(1)), 's');
  row(label, 'guard overhead', Number((100 * (times.true / times.false - 1)).toFixed(1)), '%');
  row(label, 'notes kept / rejected by the guard', `${manifest.notes.kept} / ${manifest.notes.dedup.counts.rejectedMemorizedOverlap + manifest.notes.dedup.counts.rejectedNearDuplicate}`, '');
  row(label, 'drafts flagged across patients', manifest.notes.dedup.counts.flaggedByOtherPatient, 'drafts');
  rmSync(dir, { recursive: true, force: true });
  return rows;
}
