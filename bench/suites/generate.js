// Generation bench: throughput, memory and a machine-independent ratio for `chartwright generate`.
//
// For each cohort size (1,000 and 10,000 living patients; 100 and 300 in quick mode) and each of
// --workers 1 and 2, runs the CLI once as a child process (peak RSS via /usr/bin/time -v, else a
// Node wrapper reporting process.resourceUsage().maxRSS). Then, with workers 1, runs generate()
// in-process in a child started with --expose-gc to read the heap after a forced GC at the end
// (memory flatness: heap at the large size ÷ heap at the small one, target within 20%).
// Finally: generation time ÷ the time to merely re-serialize the small cohort's output
// (JSON.parse + JSON.stringify + write, one thread), a ratio that travels across machines.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SUITE = 'generate';
const SEED = 20250601;
const REFERENCE_DATE = '2025-06-01';
const TARGET_RESOURCES_PER_SEC_PER_WORKER = 12000;
const MIB = 1024 * 1024;

function log(message) {
  process.stderr.write(`  [generate] ${message}\n`);
}

/** Runs a command; resolves with { code, stdout, stderr, wallMs }. */
function runChild(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr, wallMs: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

function failure(what, result) {
  const tail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
  return new Error(`${what} exited ${result.code}: ${tail}`);
}

/** Runs the CLI once; returns { wallMs, maxRssBytes, manifest }. */
async function runCli(root, out, patients, workers) {
  const cliArgs = ['generate', '--patients', String(patients), '--seed', String(SEED), '--reference-date', REFERENCE_DATE, '--out', out, '--workers', String(workers), '--quiet'];
  let result;
  let maxRssBytes;
  if (existsSync('/usr/bin/time')) {
    result = await runChild('/usr/bin/time', ['-v', process.execPath, join(root, 'bin', 'chartwright.js'), ...cliArgs], { cwd: root });
    if (result.code !== 0) throw failure(`chartwright generate (${patients}, ${workers}w)`, result);
    const match = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(result.stderr);
    if (match === null) throw new Error('no "Maximum resident set size" in /usr/bin/time -v output');
    maxRssBytes = Number(match[1]) * 1024;
  } else {
    result = await runChild(process.execPath, [join(root, 'bench', 'helpers', 'cli-maxrss.js'), root, ...cliArgs], { cwd: root });
    if (result.code !== 0) throw failure(`chartwright generate (${patients}, ${workers}w)`, result);
    const line = result.stderr.trim().split('\n').pop();
    maxRssBytes = JSON.parse(line).maxRssBytes;
  }
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  return { wallMs: result.wallMs, maxRssBytes, manifest };
}

/** Runs generate() in a --expose-gc child; returns { wallMs, heapUsedAfterGc, maxRssBytes, manifest }. */
async function runInProcess(root, out, patients, workers) {
  const input = JSON.stringify({ root, out, patients, workers, seed: SEED, referenceDate: REFERENCE_DATE });
  const result = await runChild(process.execPath, ['--expose-gc', join(root, 'bench', 'helpers', 'generate-child.js'), input], { cwd: root });
  if (result.code !== 0) throw failure(`in-process generate (${patients}, ${workers}w)`, result);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

/** Re-serializes OUT/fhir and OUT/ndjson into dest on this thread; returns { ms, bytes, documents }. */
async function reserialize(out, dest) {
  const started = process.hrtime.bigint();
  let bytes = 0;
  let documents = 0;
  const fhirDest = join(dest, 'fhir');
  const ndjsonDest = join(dest, 'ndjson');
  mkdirSync(fhirDest, { recursive: true });
  mkdirSync(ndjsonDest, { recursive: true });
  for (const name of readdirSync(join(out, 'fhir')).sort()) {
    const text = readFileSync(join(out, 'fhir', name), 'utf8');
    bytes += text.length;
    writeFileSync(join(fhirDest, name), JSON.stringify(JSON.parse(text)));
    documents++;
  }
  for (const name of readdirSync(join(out, 'ndjson')).sort()) {
    // Streamed: an NDJSON file of a large cohort can exceed V8's largest string.
    const input = createReadStream(join(out, 'ndjson', name), { encoding: 'utf8' });
    const output = createWriteStream(join(ndjsonDest, name));
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.length === 0) continue;
      bytes += line.length + 1;
      documents++;
      if (!output.write(JSON.stringify(JSON.parse(line)) + '\n')) await once(output, 'drain');
    }
    output.end();
    await once(output, 'finish');
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes, documents };
}

function throughputRows(caseName, run, workers) {
  const { living, deceased } = run.manifest.counts.patients;
  const patients = living + deceased;
  const resources = run.manifest.counts.totalResources;
  const seconds = run.wallMs / 1000;
  const resourcesPerSec = resources / seconds;
  return [
    { suite: SUITE, case: caseName, metric: 'wall time (process)', value: seconds, unit: 's' },
    { suite: SUITE, case: caseName, metric: 'wall time (manifest)', value: run.manifest.wallTimeMs / 1000, unit: 's' },
    { suite: SUITE, case: caseName, metric: 'patients written (living+deceased)', value: patients, unit: `${living}+${deceased}` },
    { suite: SUITE, case: caseName, metric: 'patients/s (living+deceased)', value: patients / seconds, unit: 'patients/s' },
    { suite: SUITE, case: caseName, metric: 'FHIR resources', value: resources, unit: 'resources' },
    { suite: SUITE, case: caseName, metric: 'FHIR resources/s', value: resourcesPerSec, unit: 'resources/s' },
    { suite: SUITE, case: caseName, metric: 'resources per patient', value: resources / patients, unit: 'resources/patient' },
    { suite: SUITE, case: caseName, metric: 'resources/s per worker', value: resourcesPerSec / workers, unit: 'resources/s/worker' },
    { suite: SUITE, case: caseName, metric: 'peak RSS', value: run.maxRssBytes / MIB, unit: 'MiB' },
  ];
}

export async function run(ctx) {
  const sizes = ctx.quick ? [100, 300] : [1000, 10000];
  const workerCounts = [1, 2];
  const rows = [];
  let smallGenMs;
  let best;

  for (const patients of sizes) {
    for (const workers of workerCounts) {
      const out = join(ctx.workDir, `cli-${patients}-${workers}`);
      log(`CLI: ${patients} patients, ${workers} worker(s)...`);
      const result = await runCli(ctx.root, out, patients, workers);
      log(`  ${(result.wallMs / 1000).toFixed(1)} s, ${result.manifest.counts.totalResources} resources`);
      const caseName = `${patients} patients, ${workers}w (CLI)`;
      rows.push(...throughputRows(caseName, result, workers));
      const perWorker = result.manifest.counts.totalResources / (result.wallMs / 1000) / workers;
      if (best === undefined || perWorker > best.perWorker) best = { perWorker, caseName };

      if (patients === sizes[0] && workers === 1) {
        smallGenMs = result.wallMs;
        log(`re-serializing the ${patients}-patient output...`);
        const dest = join(ctx.workDir, `reserialized-${patients}`);
        const ser = await reserialize(out, dest);
        rmSync(dest, { recursive: true, force: true });
        const caseName2 = `${patients} patients, 1w: generate ÷ re-serialize`;
        rows.push(
          { suite: SUITE, case: caseName2, metric: 're-serialize time (1 thread)', value: ser.ms / 1000, unit: 's' },
          { suite: SUITE, case: caseName2, metric: 'output size', value: ser.bytes / MIB, unit: 'MiB' },
          { suite: SUITE, case: caseName2, metric: 'JSON documents re-serialized', value: ser.documents, unit: 'documents' },
          { suite: SUITE, case: caseName2, metric: 'generate time ÷ re-serialize time', value: smallGenMs / ser.ms, unit: 'x' },
        );
      }
      rmSync(out, { recursive: true, force: true });
    }
  }

  const heaps = [];
  for (const patients of sizes) {
    const out = join(ctx.workDir, `inproc-${patients}`);
    log(`in-process generate(): ${patients} patients, 1 worker...`);
    const result = await runInProcess(ctx.root, out, patients, 1);
    rmSync(out, { recursive: true, force: true });
    log(`  ${(result.wallMs / 1000).toFixed(1)} s, heap after GC ${(result.heapUsedAfterGc / MIB).toFixed(1)} MiB`);
    heaps.push(result.heapUsedAfterGc);
    const caseName = `${patients} patients, 1w (in-process)`;
    rows.push(
      { suite: SUITE, case: caseName, metric: 'wall time (generate())', value: result.wallMs / 1000, unit: 's' },
      { suite: SUITE, case: caseName, metric: 'heap used after forced GC', value: result.heapUsedAfterGc / MIB, unit: 'MiB' },
      { suite: SUITE, case: caseName, metric: 'peak RSS', value: result.maxRssBytes / MIB, unit: 'MiB' },
    );
  }
  rows.push({
    suite: SUITE,
    case: `heap ${sizes[1]} ÷ heap ${sizes[0]} patients (target ≤ 1.20)`,
    metric: 'memory flatness (heap after GC ratio)',
    value: heaps[1] / heaps[0],
    unit: heaps[1] / heaps[0] <= 1.2 ? 'x (meets target)' : 'x (MISSES target)',
  });

  const share = best.perWorker / TARGET_RESOURCES_PER_SEC_PER_WORKER;
  rows.push(
    { suite: SUITE, case: `target 12,000 (best: ${best.caseName})`, metric: 'resources/s per worker', value: best.perWorker, unit: 'resources/s/worker' },
    { suite: SUITE, case: `target 12,000 (best: ${best.caseName})`, metric: 'share of target', value: share * 100, unit: share >= 1 ? '% (meets target)' : '% (MISSES target)' },
  );
  return rows;
}
