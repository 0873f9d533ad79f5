import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempDir } from '../support/cli.js';
import { HAS_US_CORE, NO_US_CORE, US_CORE } from '../fhir/validation/us-core.js';

const BASE = ['generate', '--patients', '6', '--seed', '2024', '--reference-date', '2025-06-01', '--workers', '1', '--quiet'];

/**
 * An IG that redefines US Core's Patient profile with `Patient.photo` required: every generated
 * Patient claims that profile and none has a photo, so `--validate` must stop the run.
 */
function strictPatientIg(): string {
  const dir = join(tempDir('cw-strict-ig-'), 'package');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'example.strict.patient', version: '0.0.1' }));
  const sd = JSON.parse(readFileSync(join(US_CORE, 'StructureDefinition-us-core-patient.json'), 'utf8')) as {
    snapshot: { element: { id: string; min: number }[] };
  };
  const photo = sd.snapshot.element.find((e) => e.id === 'Patient.photo');
  if (photo === undefined) throw new Error('US Core Patient has no Patient.photo element');
  photo.min = 1;
  writeFileSync(join(dir, 'StructureDefinition-us-core-patient.json'), JSON.stringify(sd));
  return dir;
}

describe('generate --validate', () => {
  it(`validates every resource against US Core as it writes and records it in the manifest${NO_US_CORE}`, { skip: !HAS_US_CORE }, async () => {
    const out = join(tempDir(), 'out');
    const r = await runCliAsync([...BASE, '--out', out, '--validate', '--ig', US_CORE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { validation: { igs: string[]; warnings: number } };
    expect(manifest.validation.igs).toEqual(['hl7.fhir.us.core#6.1.0']);
    expect(readdirSync(join(out, 'fhir')).length).toBeGreaterThanOrEqual(6);
  });

  it(`fails the run on the first invalid resource, naming it, and writes no bundle for it${NO_US_CORE}`, { skip: !HAS_US_CORE }, async () => {
    const out = join(tempDir(), 'out');
    // Two workers: the failure crosses the thread boundary and must keep its code (exit 1, not an internal error).
    const r = await runCliAsync([...BASE, '--workers', '2', '--out', out, '--validate', '--ig', US_CORE, '--ig', strictPatientIg()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^chartwright: --validate: patient [0-9a-f-]{36} fails validation: Patient\/[0-9a-f-]{36} at Patient\.photo: .*nothing of it was written\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const written = existsSync(join(out, 'fhir')) ? readdirSync(join(out, 'fhir')) : [];
    expect(written).toEqual([]);
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
  });

  it('validates against base R4 alone without --ig, and refuses --ig without --validate or a missing IG', async () => {
    const out = join(tempDir(), 'out');
    const plain = await runCliAsync([...BASE, '--out', out, '--validate']);
    expect(plain.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { validation: { igs: string[]; warnings: number } };
    expect(manifest.validation.igs).toEqual([]);
    // Every resource claims a US Core profile no loaded IG defines: a warning each, never an error.
    expect(manifest.validation.warnings).toBeGreaterThan(0);

    const noValidate = await runCliAsync([...BASE, '--out', join(tempDir(), 'o2'), '--ig', 'x']);
    expect(noValidate.code).toBe(2);
    expect(noValidate.stderr).toContain('--ig');
    const o3 = join(tempDir(), 'o3');
    const missing = await runCliAsync([...BASE, '--out', o3, '--validate', '--ig', '/nonexistent/ig']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('chartwright: /nonexistent/ig: IG package not found');
    expect(existsSync(o3)).toBe(false);
  });
});
