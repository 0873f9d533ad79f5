// `chartwright check` throughput: bundles and resources audited per second (every coherence rule plus
// the prevalence table), in process over the compiled dist/, on a freshly generated cohort.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run(ctx) {
  const { auditCohort } = await import(pathToFileURL(join(ctx.root, 'dist', 'check', 'audit.js')).href);
  const patients = ctx.quick ? 40 : 400;
  const out = join(ctx.workDir, 'check-cohort');
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(ctx.root, 'bin', 'chartwright.js'), 'generate', '--patients', String(patients), '--seed', '11', '--reference-date', '2025-06-01', '--out', out, '--format', 'fhir', '--quiet'],
    { stdio: 'ignore' },
  );
  await auditCohort(out); // warm-up: file cache, JIT, knowledge files
  const runs = ctx.quick ? 1 : 3;
  let best = Infinity;
  let report;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    report = await auditCohort(out);
    best = Math.min(best, performance.now() - t0);
  }
  const seconds = best / 1000;
  const label = `audit ${report.bundles} bundles (${report.resources} resources)`;
  return [
    { suite: 'check', case: label, metric: 'bundles/s', value: +(report.bundles / seconds).toFixed(1), unit: 'bundles/s' },
    { suite: 'check', case: label, metric: 'resources/s', value: Math.round(report.resources / seconds), unit: 'resources/s' },
    { suite: 'check', case: label, metric: 'wall time', value: Math.round(best), unit: 'ms' },
  ];
}
