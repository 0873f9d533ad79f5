#!/usr/bin/env node
// Generates a cohort and prints the issue-4 fidelity table against its bands, to tune the
// condition files: node scripts/calibrate.js [patients=2000] [seed=1]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BANDS, inBand, measureCohort } from './fidelity.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const patients = process.argv[2] ?? '2000';
const seed = process.argv[3] ?? '1';
const out = mkdtempSync(join(tmpdir(), 'chartwright-calibrate-'));
const args = ['bin/chartwright.js', 'generate', '--patients', patients, '--seed', seed, '--reference-date', '2025-06-01', '--out', out, '--quiet'];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
const table = measureCohort(out);
const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
console.log(`living ${table.living}, adults ${table.adults}, wall ${manifest.wallTimeMs} ms`);
for (const [name, value] of Object.entries(table.measures)) {
  const [lo, hi] = BANDS[name];
  const shown = name === 'hba1cGap' ? value.toFixed(2) : `${(value * 100).toFixed(1)}%`;
  console.log(`${name.padEnd(14)} ${shown.padStart(7)}  band ${lo}-${hi}  ${inBand(name, value) ? 'ok' : 'OUT'}`);
}
console.log(`hba1c mean diabetic ${table.hba1c.diabetic.toFixed(2)} (n=${table.hba1c.diabeticN}), other ${table.hba1c.other.toFixed(2)} (n=${table.hba1c.otherN})`);
console.log(JSON.stringify(manifest.counts));
rmSync(out, { recursive: true, force: true });
