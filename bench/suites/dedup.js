// Memorization-guard bench: the speed of `chartwright dedup` and of the guard inside generate.
//
// This machine is shared (2 cores, several engineers' jobs): wall-clock figures measure the load as
// much as the code, so every step reports CPU time too, and CPU time is the honest figure.
//
// 1. Reference corpus: 100,000 documents (10,000 with --quick) synthesized deterministically from
//    template notes (seed 3): each takes the lines of two notes, shuffled, with about a quarter of
//    their words swapped for words of the notes' own vocabulary, so it reads like a note without
//    copying one. Indexed into SQLite with buildIndex(): build time (wall, CPU), file size, bytes
//    per document.
// 2. Sign + query against it, in process first, by kind of query (CPU per document): fresh
//    template notes of another cohort (seed 4; nothing to find), edited copies of indexed documents
//    (near duplicates: confirmed by exact Jaccard) and fresh notes with a 60-word passage of an
//    indexed document planted at the start, middle or end (shared spans: grown token by token).
//    Then 10,000 mixed queries (90% fresh, 5% edited, 5% planted) with one worker thread and with
//    one per core, all checking against the index loaded once on the main thread and handed over
//    in shared memory (as generate's workers do): wall time and the process's CPU time (all
//    threads). Goal: 10,000 documents/s per core.
// 3. `generate --notes`, guard on and --no-dedup, with 1 worker (best of 2 each) and the default
//    worker count, CPU time from the process's rusage: goal under 10% slower with the guard. The
//    guard's notes must be byte-identical at 1 and at N workers. Then guard on against the
//    100,000-document index (--db) at 1 and N workers: wall, CPU and peak RSS (the workers share
//    the main thread's copy of the index, so N workers should not cost N copies). The manifest's per-patient shares
//    and `chartwright dedup OUT` on the --no-dedup cohort give the template writer's near-duplicate
//    share per patient and across patients (goal under 1%).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { noteCohort } from '../helpers/note-cohort.js';

const SUITE = 'dedup';

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

const cpuMs = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/** The plain text of every template note of a cohort, in patient order. */
async function templateNotes(root, seed, patients) {
  const { vocabulary, jobs, buildFactSheet, writeTemplateNote, noteToText } = await noteCohort(root, { seed, patients });
  return jobs.map(({ record, plan, author }, k) => {
    const sheet = buildFactSheet(record, plan.encounter, { authorName: author, noteType: plan.noteType, vocabulary });
    return noteToText(writeTemplateNote(sheet, `bench-${seed}-${k}`));
  });
}

function shuffle(random, list) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/** A reference document: two notes' lines shuffled, a quarter of the words swapped (Zipf-ranked vocabulary). */
function referenceDocument(random, notes, words) {
  const lines = shuffle(random, [...notes[Math.floor(random() * notes.length)].split('\n'), ...notes[Math.floor(random() * notes.length)].split('\n')]);
  return lines
    .map((line) =>
      line.replace(/[A-Za-z]+/g, (w) => (random() < 0.25 ? words[Math.min(words.length - 1, Math.floor(Math.exp(random() * Math.log(words.length))) - 1)] : w)),
    )
    .join('\n');
}

function edit(random, text, rate) {
  return text
    .split(' ')
    .flatMap((w) => (random() >= rate ? [w] : random() < 0.5 ? [] : [w, 'noted']))
    .join(' ');
}

function plant(random, note, source) {
  const words = source.split(/\s+/);
  const at = Math.floor(random() * Math.max(1, words.length - 60));
  const passage = words.slice(at, at + 60).join(' ');
  const lines = note.split('\n');
  const where = Math.floor(random() * 3); // start, middle, end
  const k = where === 0 ? 0 : where === 1 ? Math.floor(lines.length / 2) : lines.length;
  lines.splice(k, 0, passage);
  return lines.join('\n');
}

function runChild(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

// The query worker: attaches to the index the main thread loaded and shared (as generate's
// workers do), says so, waits for the start, signs and checks its share.
const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
const { root, shared, queries } = workerData;
const load = (p) => import(new URL('dist/' + p, 'file://' + root + '/').href);
const { resolveDedupParams } = await load('dedup/settings.js');
const { createSigner, prepareText } = await load('dedup/prepared-text.js');
const { attachReferences } = await load('dedup/run-dedup.js');
const signer = createSigner(resolveDedupParams({}));
const references = attachReferences(signer, shared);
const index = references.index;
parentPort.once('message', () => {
  const t = performance.now();
  let findings = 0;
  for (const q of queries) {
    const m = index.check(q, prepareText(q.text, undefined, signer));
    findings += m.exact.length + m.near.length;
  }
  parentPort.postMessage({ queryMs: performance.now() - t, findings, tableBytes: index.tableBytes });
  references.close();
});
parentPort.postMessage('ready');
`;

/** Runs the queries on `workers` threads over one shared index; times only the querying (all threads attached first). */
async function runWorkers(root, shared, queries, workers) {
  const slices = Array.from({ length: workers }, (_, w) => queries.filter((_, i) => i % workers === w));
  const threads = slices.map((slice) => new Worker(WORKER_SOURCE, { eval: true, workerData: { root, shared, queries: slice } }));
  const loadStart = performance.now();
  await Promise.all(threads.map((t) => new Promise((resolve, reject) => (t.once('message', resolve), t.once('error', reject)))));
  const loadMs = performance.now() - loadStart;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results = await Promise.all(
    threads.map((t) => {
      const done = new Promise((resolve, reject) => (t.once('message', resolve), t.once('error', reject)));
      t.postMessage('go');
      return done;
    }),
  );
  const wallMs = performance.now() - started;
  const queryCpuMs = cpuMs(cpu);
  await Promise.all(threads.map((t) => t.terminate()));
  return { results, wallMs, cpuMs: queryCpuMs, loadMs };
}

function notesDigest(dir) {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(name).update(readFileSync(path));
    }
  };
  walk(join(dir, 'notes'));
  return hash.digest('hex');
}

export async function run(ctx) {
  const load = (p) => import(pathToFileURL(join(ctx.root, 'dist', p)).href);
  const { buildIndex } = await load('dedup/build-index.js');
  const { resolveDedupParams } = await load('dedup/settings.js');
  const { createSigner, prepareText } = await load('dedup/prepared-text.js');
  const { SqliteIndex } = await load('dedup/sqlite-index.js');
  const size = ctx.quick ? 10_000 : 100_000;
  const queryCount = ctx.quick ? 2_000 : 10_000;
  const dir = join(ctx.workDir, 'dedup');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rows = [];
  const row = (name, metric, value, unit) => rows.push({ suite: SUITE, case: name, metric, value, unit });

  // 1. The corpus and its index.
  log('writing template notes');
  const sourceNotes = await templateNotes(ctx.root, 3, ctx.quick ? 10 : 40);
  const freshNotes = await templateNotes(ctx.root, 4, ctx.quick ? 10 : 40);
  const wordCounts = new Map();
  for (const note of sourceNotes) for (const w of note.match(/[A-Za-z]+/g) ?? []) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  const words = [...wordCounts.keys()].sort((a, b) => wordCounts.get(b) - wordCounts.get(a) || (a < b ? -1 : 1));
  const random = prng(20250601);
  const corpus = [];
  for (let i = 0; i < size; i++) corpus.push(referenceDocument(random, sourceNotes, words));
  const corpusPath = join(dir, 'corpus.jsonl');
  writeFileSync(corpusPath, corpus.map((text, i) => JSON.stringify({ id: i, text })).join('\n') + '\n');
  const db = join(dir, 'index.sqlite');
  log(`indexing ${size} documents (from ${sourceNotes.length} template notes)`);
  const buildCpu = process.cpuUsage();
  const built = await buildIndex({ paths: [corpusPath], db });
  const buildCpuMs = cpuMs(buildCpu);
  const meanWords = Math.round(corpus.reduce((n, t) => n + t.split(/\s+/).length, 0) / size);
  const name = `${size.toLocaleString('en-US')}-document index (~${meanWords} words each)`;
  row(name, 'index build (wall)', Number(built.seconds.toFixed(1)), 's');
  row(name, 'index build (CPU)', Number((buildCpuMs / 1000).toFixed(1)), 's');
  row(name, 'index build rate (CPU)', Math.round(size / (buildCpuMs / 1000)), 'docs/s');
  row(name, 'SQLite file size', Math.round(built.index.bytes / (1024 * 1024)), 'MiB');
  row(name, 'bytes per indexed document', built.index.bytesPerDocument, 'B');

  // 2a. In process, by kind of query: what a document costs to sign and query, and what a hit adds.
  const kinds = { fresh: [], edited: [], planted: [] };
  for (let i = 0; i < 1_000; i++) {
    kinds.fresh.push({ id: `f${i}`, text: freshNotes[i % freshNotes.length] });
    kinds.edited.push({ id: `e${i}`, text: edit(random, corpus[Math.floor(random() * size)], 0.03) });
    kinds.planted.push({ id: `p${i}`, text: plant(random, freshNotes[Math.floor(random() * freshNotes.length)], corpus[Math.floor(random() * size)]) });
  }
  const signer = createSigner(resolveDedupParams({}));
  const store = SqliteIndex.openForReading(db, signer);
  const loadCpu = process.cpuUsage();
  const index = store.load();
  row(name, 'index load (CPU)', Math.round(cpuMs(loadCpu)), 'ms');
  row(name, 'in-memory lookup tables', Math.round(index.tableBytes / (1024 * 1024)), 'MiB');
  const perKind = {};
  for (const [kind, queries] of Object.entries(kinds)) {
    let best = Infinity;
    let found = 0;
    for (let rep = 0; rep < 3; rep++) {
      const cpu = process.cpuUsage();
      found = 0;
      for (const q of queries) {
        const m = index.check(q, prepareText(q.text, undefined, signer));
        found += m.exact.length + m.near.length > 0 ? 1 : 0;
      }
      best = Math.min(best, cpuMs(cpu));
    }
    perKind[kind] = (1000 * best) / queries.length;
    const label = `sign + query, in process: ${kind} (1,000 docs, best of 3)`;
    row(label, 'CPU per document', Math.round(perKind[kind]), 'µs');
    row(label, 'documents with a finding', found, 'docs');
  }
  row('hit cost', 'near duplicate (edited copy) over a fresh note', Math.round(perKind.edited - perKind.fresh), 'µs CPU');
  row('hit cost', 'shared span (planted passage) over a fresh note', Math.round(perKind.planted - perKind.fresh), 'µs CPU');

  // 2b. Mixed queries, one worker thread and one per core, all over the index loaded above, shared.
  const shareCpu = process.cpuUsage();
  const shared = { index: index.share(), db: { path: db, rowIds: store.rowIds } };
  row(name, 'hand-over to worker threads (CPU, shared memory)', Math.round(cpuMs(shareCpu)), 'ms');
  const queries = [];
  for (let i = 0; i < queryCount; i++) {
    const r = random();
    const pick = (list) => list[Math.floor(random() * list.length)];
    if (r < 0.9) queries.push({ id: `q${i}`, text: freshNotes[i % freshNotes.length] });
    else if (r < 0.95) queries.push({ id: `q${i}`, text: pick(kinds.edited).text });
    else queries.push({ id: `q${i}`, text: pick(kinds.planted).text });
  }
  const cores = availableParallelism();
  for (const workers of [...new Set([1, cores])]) {
    log(`querying ${queryCount} documents with ${workers} worker(s)`);
    const { results, wallMs, cpuMs: used, loadMs } = await runWorkers(ctx.root, shared, queries, workers);
    const findings = results.reduce((n, r) => n + r.findings, 0);
    const label = `sign + query ${queryCount.toLocaleString('en-US')} mixed docs, ${workers} worker${workers > 1 ? 's' : ''}`;
    row(label, 'throughput (wall)', Math.round(queryCount / (wallMs / 1000)), 'docs/s');
    row(label, 'throughput per core (CPU time)', Math.round(queryCount / (used / 1000)), 'docs/s');
    row(label, 'CPU per document', Math.round((1000 * used) / queryCount), 'µs');
    row(label, 'workers attached to the shared index (wall)', Math.round(loadMs), 'ms');
    row(label, 'findings', findings, 'findings');
  }
  store.close();

  // 3. The guard inside generate --notes.
  const patients = ctx.quick ? 15 : 60;
  const generate = async (guard, workers, extra = []) => {
    const out = join(dir, `gen-${guard ? 'on' : 'off'}-${workers}${extra.length > 0 ? '-db' : ''}`);
    const args = ['generate', '--patients', String(patients), '--seed', '7', '--reference-date', '2025-06-01', '--notes', '--workers', String(workers), '--quiet', '--force', '--out', out];
    const r = await runChild(process.execPath, [join(ctx.root, 'bench', 'helpers', 'cli-maxrss.js'), ctx.root, ...args, ...extra, ...(guard ? [] : ['--no-dedup'])], { cwd: ctx.root });
    if (r.code !== 0) throw new Error(`generate --notes exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
    const usage = JSON.parse(r.stderr.trim().split('\n').pop());
    return { out, wallMs: r.wallMs, cpuMs: usage.userCpuMs + usage.systemCpuMs, maxRssBytes: usage.maxRssBytes };
  };
  const best = {};
  const plan = [
    [false, 1], [true, 1], [false, 1], [true, 1],
    ...(cores > 1 ? [[false, cores], [true, cores]] : []),
  ];
  for (const [guard, workers] of plan) {
    log(`generate --notes ${patients} patients, guard ${guard ? 'on' : 'off'}, ${workers} worker(s)`);
    const r = await generate(guard, workers);
    const key = `${guard}-${workers}`;
    // The lesser CPU and wall time of the runs of each kind: the noise of a shared machine only adds.
    best[key] = { out: r.out, cpuMs: Math.min(best[key]?.cpuMs ?? Infinity, r.cpuMs), wallMs: Math.min(best[key]?.wallMs ?? Infinity, r.wallMs) };
  }
  for (const workers of [...new Set([1, cores])]) {
    const off = best[`false-${workers}`];
    const on = best[`true-${workers}`];
    const label = `generate --notes, ${patients} patients, ${workers} worker${workers > 1 ? 's' : ''}${workers === 1 ? ' (best of 2)' : ''}`;
    row(label, 'CPU: guard off (--no-dedup) / on', `${(off.cpuMs / 1000).toFixed(1)} / ${(on.cpuMs / 1000).toFixed(1)}`, 's');
    row(label, 'guard overhead (CPU)', Number((100 * (on.cpuMs / off.cpuMs - 1)).toFixed(1)), '%');
    row(label, 'wall: guard off / on', `${(off.wallMs / 1000).toFixed(1)} / ${(on.wallMs / 1000).toFixed(1)}`, 's');
    row(label, 'guard overhead (wall)', Number((100 * (on.wallMs / off.wallMs - 1)).toFixed(1)), '%');
  }
  const withDb = {};
  for (const workers of [...new Set([1, cores])]) {
    log(`generate --notes ${patients} patients, guard on with --db (${size} documents), ${workers} worker(s)`);
    const r = await generate(true, workers, ['--db', db]);
    withDb[workers] = r;
    const label = `generate --notes --db (${size.toLocaleString('en-US')}-document index), ${patients} patients, ${workers} worker${workers > 1 ? 's' : ''}`;
    row(label, 'wall / CPU', `${(r.wallMs / 1000).toFixed(1)} / ${(r.cpuMs / 1000).toFixed(1)}`, 's');
    row(label, 'peak RSS', Math.round(r.maxRssBytes / 2 ** 20), 'MiB');
  }
  if (cores > 1) {
    const same = notesDigest(withDb[1].out) === notesDigest(withDb[cores].out);
    row(`generate --notes --db`, `notes identical at 1 and ${cores} workers`, same ? 'yes' : 'NO', '');
  }
  const onOut = best['true-1'].out;
  if (cores > 1) {
    const same = notesDigest(onOut) === notesDigest(best[`true-${cores}`].out);
    row(`generate --notes, guard on`, `notes identical at 1 and ${cores} workers`, same ? 'yes' : 'NO', '');
  }
  const manifest = JSON.parse(readFileSync(join(onOut, 'manifest.json'), 'utf8'));
  const { counts, shares, perPatient } = manifest.notes.dedup;
  const label = `guard on, ${patients} patients: ${manifest.notes.kept} notes kept`;
  row(label, 'rejected by the guard', counts.rejectedMemorizedOverlap + counts.rejectedNearDuplicate, 'notes');
  row(label, 'drafts flagged across patients', `${counts.flaggedByOtherPatient} (${(100 * shares.flaggedAcrossPatients).toFixed(2)}%)`, 'drafts');
  row(label, 'near-duplicate drafts across patients', `${(100 * shares.nearDuplicateAcrossPatients).toFixed(2)}% (per patient: mean ${(100 * perPatient.nearDuplicateAcross.mean).toFixed(2)}%, max ${(100 * perPatient.nearDuplicateAcross.max).toFixed(2)}%)`, '');
  row(label, 'kept notes near-duplicating the same patient', `${(100 * shares.nearDuplicateWithinPatient).toFixed(2)}% (per patient: mean ${(100 * perPatient.nearDuplicateWithin.mean).toFixed(2)}%, max ${(100 * perPatient.nearDuplicateWithin.max).toFixed(2)}%)`, '');

  // The template writer unguarded: what `chartwright dedup OUT` finds in the --no-dedup cohort.
  const offOut = best['false-1'].out;
  const report = await runChild(process.execPath, [join(ctx.root, 'bin', 'chartwright.js'), 'dedup', offOut, '--json'], { cwd: ctx.root });
  if (report.code > 1) throw new Error(`dedup OUT exited ${report.code}: ${report.stderr.trim()}`);
  const { summary, groups, documents } = JSON.parse(report.stdout);
  const worst = Math.max(0, ...groups.map((g) => g.nearDuplicates / g.documents));
  const unguarded = `--no-dedup, ${patients} patients: ${documents} template notes (chartwright dedup OUT)`;
  row(unguarded, 'near duplicates across patients', `${(100 * summary.nearDuplicateShare).toFixed(2)}% of notes (highest patient ${(100 * worst).toFixed(2)}%)`, '');
  row(unguarded, 'sharing a prose span across patients', `${(100 * summary.exactOverlapShare).toFixed(2)}% of notes`, '');
  row(unguarded, 'near-duplicate pairs within one patient', summary.withinGroupNearDuplicates, 'pairs');
  rmSync(dir, { recursive: true, force: true });
  return rows;
}
