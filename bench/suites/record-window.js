// The record window (issue 11): the coherence table of `chartwright check` on one cohort generated
// with the default window (10 years) and with `--history-years all`, every rule's violation count,
// plus encounters and resources per patient in each, so the cut the window makes is measured.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const WINDOWS = [
  { label: 'default window (10 y)', flags: [] },
  { label: '--history-years all', flags: ['--history-years', 'all'] },
];

export async function run(ctx) {
  const { auditCohort } = await import(pathToFileURL(join(ctx.root, 'dist', 'check', 'audit.js')).href);
  const patients = ctx.quick ? 60 : 2000;
  const rows = [];
  for (const w of WINDOWS) {
    const out = join(ctx.workDir, `record-window-${w.flags.length === 0 ? 'default' : 'all'}`);
    rmSync(out, { recursive: true, force: true });
    execFileSync(
      process.execPath,
      [join(ctx.root, 'bin', 'chartwright.js'), 'generate', '--patients', String(patients), '--seed', '11', '--reference-date', '2026-06-30', '--out', out, '--format', 'fhir', '--quiet', ...w.flags],
      { stdio: 'ignore' },
    );
    const report = await auditCohort(out);
    const encounters = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).counts.resources.Encounter;
    const label = `${w.label}, ${report.bundles} bundles`;
    rows.push({ suite: 'record-window', case: label, metric: 'resources per patient', value: +(report.resources / report.bundles).toFixed(1), unit: 'resources' });
    if (encounters !== undefined) rows.push({ suite: 'record-window', case: label, metric: 'encounters per patient', value: +(encounters / report.bundles).toFixed(1), unit: 'encounters' });
    for (const c of report.checks) rows.push({ suite: 'record-window', case: label, metric: c.id, value: c.violations, unit: 'violations' });
    rmSync(out, { recursive: true, force: true });
  }
  return rows;
}
