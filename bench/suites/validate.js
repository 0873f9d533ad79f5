// Validation throughput with US Core 6.1.0 loaded: the compiled fast checker per worker and on all
// workers, Medplum's validateResource for comparison, and generation's rate beside them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const SUITE = 'validate';

function readResources(ndjsonDir) {
  const out = [];
  for (const file of readdirSync(ndjsonDir).sort()) {
    for (const line of readFileSync(join(ndjsonDir, file), 'utf8').split('\n')) if (line) out.push(line);
  }
  return out;
}

/** Validates `lines` in `workers` threads, each loading profiles itself; returns resources/s of the validate phase. */
async function parallelRate(root, igPath, lines, workers) {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const { loadProfiles } = await import(workerData.load);
      const { createValidator } = await import(workerData.validator);
      const v = createValidator(await loadProfiles({ igPaths: [workerData.ig] }));
      const resources = workerData.lines.map((l) => JSON.parse(l));
      parentPort.postMessage('ready');
      parentPort.once('message', () => {
        let errors = 0;
        for (const r of resources) for (const i of v.validate(r)) if (i.severity === 'error') errors++;
        parentPort.postMessage(errors);
      });
    })();`;
  const chunks = Array.from({ length: workers }, (_, w) => lines.filter((_, i) => i % workers === w));
  const threads = chunks.map((chunk) => new Worker(code, {
    eval: true,
    workerData: {
      lines: chunk,
      ig: igPath,
      load: pathToFileURL(join(root, 'dist/fhir/profiles/load.js')).href,
      validator: pathToFileURL(join(root, 'dist/fhir/validation/validator.js')).href,
    },
  }));
  await Promise.all(threads.map((t) => new Promise((resolve) => t.once('message', resolve))));
  const t0 = performance.now();
  const done = threads.map((t) => new Promise((resolve) => t.once('message', resolve)));
  for (const t of threads) t.postMessage('go');
  await Promise.all(done);
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(threads.map((t) => t.terminate()));
  return lines.length / seconds;
}

export async function run(ctx) {
  const igPath = join(ctx.root, '..', 'shared', 'fhir', 'us-core-6.1.0');
  if (!existsSync(join(igPath, 'package.json'))) {
    console.error(`bench ${SUITE}: skipped, US Core package not found at ${igPath}`);
    return [];
  }
  const patients = ctx.quick ? 20 : 150;
  const out = join(ctx.workDir, `validate-cohort-${patients}`);
  if (!existsSync(join(out, 'manifest.json'))) {
    execFileSync(process.execPath, [join(ctx.root, 'bin/chartwright.js'), 'generate', '--patients', String(patients), '--seed', '7', '--reference-date', '2025-01-01', '--out', out, '--format', 'fhir,ndjson'], { stdio: 'ignore' });
  }
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  const lines = readResources(join(out, 'ndjson'));
  const resources = lines.map((l) => JSON.parse(l));
  const rows = [];
  const totalGenerated = Object.values(manifest.counts?.resources ?? {}).reduce((a, b) => a + b, 0);
  if (manifest.wallTimeMs > 0 && totalGenerated > 0) {
    rows.push({ suite: SUITE, case: `generate ${patients} patients (beside)`, metric: 'resources/s', value: Math.round(totalGenerated / (manifest.wallTimeMs / 1000)), unit: 'res/s' });
  }

  const { loadProfiles } = await import(pathToFileURL(join(ctx.root, 'dist/fhir/profiles/load.js')).href);
  const { createValidator } = await import(pathToFileURL(join(ctx.root, 'dist/fhir/validation/validator.js')).href);
  let t0 = performance.now();
  const profiles = await loadProfiles({ igPaths: [igPath] });
  rows.push({ suite: SUITE, case: 'load base R4 + US Core', metric: 'time', value: Math.round(performance.now() - t0), unit: 'ms' });

  const fast = createValidator(profiles);
  for (const r of resources.slice(0, 2000)) fast.validate(r); // warm-up
  t0 = performance.now();
  let errors = 0;
  for (const r of resources) for (const i of fast.validate(r)) if (i.severity === 'error') errors++;
  const fastRate = resources.length / ((performance.now() - t0) / 1000);
  rows.push({ suite: SUITE, case: `fast checker, 1 worker (${resources.length} resources)`, metric: 'resources/s', value: Math.round(fastRate), unit: 'res/s' });
  rows.push({ suite: SUITE, case: 'cohort validation errors', metric: 'count', value: errors, unit: 'errors' });

  const medplum = createValidator(profiles, { engine: 'medplum' });
  const sample = resources.filter((_, i) => i % (ctx.quick ? 20 : 100) === 0);
  t0 = performance.now();
  for (const r of sample) medplum.validate(r);
  rows.push({ suite: SUITE, case: `Medplum validateResource + bindings, 1 worker (${sample.length} sampled)`, metric: 'resources/s', value: Math.round(sample.length / ((performance.now() - t0) / 1000)), unit: 'res/s' });

  const workers = availableParallelism();
  const allRate = await parallelRate(ctx.root, igPath, lines, workers);
  rows.push({ suite: SUITE, case: `fast checker, ${workers} workers`, metric: 'resources/s', value: Math.round(allRate), unit: 'res/s' });
  return rows;
}
