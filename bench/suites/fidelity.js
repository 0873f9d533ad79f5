// Issue 4 fidelity table: generates a cohort (2,000 living patients; 300 when quick) with the full
// module set, audits it with `chartwright check` (coherence rules + prevalence table against the
// bands in src/knowledge/data/fidelity-targets.json) and reports each row and the run's speed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run(ctx) {
  const { auditCohort } = await import(pathToFileURL(join(ctx.root, 'dist/check/audit.js')).href);
  const patients = ctx.quick ? 300 : 2000;
  const out = join(ctx.workDir, 'fidelity');
  const args = ['bin/chartwright.js', 'generate', '--patients', String(patients), '--seed', '1', '--reference-date', '2025-06-01', '--workers', '1', '--out', out, '--force', '--quiet'];
  const r = spawnSync(process.execPath, args, { cwd: ctx.root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generate failed: ${r.stderr}`);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  const report = await auditCohort(out);
  const c = `${patients} patients, seed 1`;
  const rows = [];
  for (const row of report.fidelity) {
    const points = row.kind === 'mean-difference';
    const value = row.value === null ? NaN : points ? Math.round(row.value * 100) / 100 : Math.round(row.value * 1000) / 10;
    const flag = row.status === 'pass' ? '' : ` (${row.status.toUpperCase()}, target ${row.target})`;
    rows.push({ suite: 'fidelity', case: c, metric: `${row.label}${flag}`, value, unit: points ? 'HbA1c points' : '%' });
  }
  const failed = report.checks.filter((check) => check.status === 'fail');
  rows.push({ suite: 'fidelity', case: c, metric: `coherence checks failing${failed.length ? ` (${failed.map((f) => f.id).join(', ')})` : ''}`, value: failed.length, unit: `of ${report.checks.length}` });
  const seconds = manifest.wallTimeMs / 1000;
  rows.push({ suite: 'fidelity', case: c, metric: 'patients/s (1 worker)', value: Math.round(patients / seconds), unit: 'patients/s' });
  rows.push({ suite: 'fidelity', case: c, metric: 'resources/s (1 worker)', value: Math.round(manifest.counts.totalResources / seconds), unit: 'resources/s' });
  return rows;
}
