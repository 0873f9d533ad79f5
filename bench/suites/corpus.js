// Corpus bench: annotated notes per second through `chartwright corpus` for each format (goal:
// 5,000 notes/s per core), and the label, assertion and PHI counts of a 500-patient corpus
// (50 with --quick).
//
// 1. `generate --notes` (template writer) writes the cohort once (not timed here; the generate
//    and notes suites time that).
// 2. The notes and their annotation files are read once (timed: reading), the datasheet's
//    statistics computed once (timed apart, as the command computes them once per run), then
//    buildCorpus() runs in this one thread for each format alone with those statistics (ner, phi,
//    assertion and relation layers): notes per wall second and per CPU second of the writer.
// 3. Counts per entity label, assertion and PHI category, and the PHI types absent from the cohort.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SUITE = 'corpus';

export async function run(ctx) {
  const load = (p) => import(pathToFileURL(join(ctx.root, 'dist', p)).href);
  const { buildCorpus } = await load('corpus/build.js');
  const { readGenerateOutput } = await load('corpus/read-output.js');
  const { emptyDrops } = await load('corpus/document.js');
  const { FORMATS } = await load('corpus/format.js');
  const { PHI_TYPES } = await load('notes/phi/phi-tags.js');
  const patients = ctx.quick ? 50 : 500;
  const out = join(ctx.workDir, 'corpus-cohort');
  rmSync(out, { recursive: true, force: true });
  const rows = [];
  const row = (name, metric, value, unit) => rows.push({ suite: SUITE, case: name, metric, value, unit });
  process.stderr.write(`  [corpus] generating ${patients} patients with notes\n`);
  execFileSync(process.execPath, [join(ctx.root, 'bin', 'chartwright.js'), 'generate', '--patients', String(patients), '--seed', '15', '--reference-date', '2025-06-01', '--notes', '--format', 'fhir', '--out', out, '--quiet'], { stdio: 'inherit' });

  let started = performance.now();
  const drops = emptyDrops();
  const { documents, manifest } = readGenerateOutput(out, drops);
  const readSeconds = (performance.now() - started) / 1000;
  row('read notes + annotations', 'notes/s', documents.length / readSeconds, 'notes/s');
  const tasks = new Set(['ner', 'phi', 'assertion', 'relation']);
  const options = { tasks, split: [0.8, 0.1, 0.1], seed: 15, source: out, manifest };
  // The datasheet's statistics once per run (as `chartwright corpus` computes them), then each
  // format alone with them: a format's rate is its own writer's, wall and CPU time.
  const cpuSeconds = (from) => {
    const u = process.cpuUsage(from);
    return (u.user + u.system) / 1e6;
  };
  globalThis.gc?.();
  started = performance.now();
  let cpu = process.cpuUsage();
  const { stats } = buildCorpus(documents, { ...options, formats: [] });
  row('datasheet statistics (once per run)', 'notes/s', documents.length / ((performance.now() - started) / 1000), 'notes/s');
  row('datasheet statistics (once per run)', 'notes/CPU s', documents.length / cpuSeconds(cpu), 'notes/CPU s');
  for (const format of FORMATS) {
    globalThis.gc?.();
    started = performance.now();
    cpu = process.cpuUsage();
    const built = buildCorpus(documents, { ...options, formats: [format], stats });
    const seconds = (performance.now() - started) / 1000;
    const cpuUsed = cpuSeconds(cpu);
    const bytes = [...built.files.values()].reduce((n, s) => n + s.length, 0);
    row(format, 'notes/s', documents.length / seconds, 'notes/s');
    row(format, 'notes/CPU s', documents.length / cpuUsed, 'notes/CPU s');
    row(format, 'output', bytes / 1e6, 'MB');
  }
  row(`${patients}-patient cohort`, 'notes', documents.length, 'notes');
  for (const [label, n] of Object.entries(stats.labels)) row(`label ${label}`, 'spans', n, 'spans');
  for (const [label, a] of Object.entries(stats.assertions)) for (const [k, n] of Object.entries(a)) row(`assertion ${label}/${k}`, 'spans', n, 'spans');
  for (const [c, n] of Object.entries(stats.phiCategories)) row(`PHI ${c}`, 'spans', n, 'spans');
  row('PHI types absent', 'types', PHI_TYPES.filter((t) => (stats.phiTypes[t] ?? 0) === 0).length, PHI_TYPES.filter((t) => (stats.phiTypes[t] ?? 0) === 0).join(' ') || 'none');
  row('spans dropped (offsets)', 'spans', drops.offsetMismatch + drops.unplaced, 'spans');
  rmSync(out, { recursive: true, force: true });
  return rows;
}
