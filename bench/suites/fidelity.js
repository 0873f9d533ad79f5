// Issue 4 fidelity table: generates a cohort (2,000 patients; 300 when quick) with the full module
// set and reports each prevalence measure, plus patients/s and resources/s of that run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inBand, measureCohort } from '../../scripts/fidelity.js';

export async function run(ctx) {
  const patients = ctx.quick ? 300 : 2000;
  const out = join(ctx.workDir, 'fidelity');
  const args = ['bin/chartwright.js', 'generate', '--patients', String(patients), '--seed', '1', '--reference-date', '2025-06-01', '--workers', '1', '--out', out, '--quiet'];
  const r = spawnSync(process.execPath, args, { cwd: ctx.root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generate failed: ${r.stderr}`);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  const table = measureCohort(out);
  const rows = [];
  const c = `${patients} patients, seed 1`;
  for (const [name, value] of Object.entries(table.measures)) {
    const pct = name !== 'hba1cGap';
    rows.push({ suite: 'fidelity', case: c, metric: `${name}${inBand(name, value) ? '' : ' (OUT OF BAND)'}`, value: pct ? Math.round(value * 1000) / 10 : Math.round(value * 100) / 100, unit: pct ? '%' : 'HbA1c points' });
  }
  const total = Object.values(manifest.counts.resources).reduce((a, b) => a + b, 0);
  const seconds = manifest.wallTimeMs / 1000;
  rows.push({ suite: 'fidelity', case: c, metric: 'patients/s (1 worker)', value: Math.round(patients / seconds), unit: 'patients/s' });
  rows.push({ suite: 'fidelity', case: c, metric: 'resources/s (1 worker)', value: Math.round(total / seconds), unit: 'resources/s' });
  return rows;
}
