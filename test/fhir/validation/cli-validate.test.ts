import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HAS_US_CORE, NO_US_CORE, US_CORE, validPatient } from './us-core.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'cw-validate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/chartwright.js'), 'validate', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('chartwright validate: bad input', () => {
  it('reports not-JSON, empty files, bad NDJSON lines and unknown types by file and line, without a stack trace', () => {
    const dir = join(work, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'broken.json'), '{\n  "resourceType": "Patient",\n  "id": \n}\n');
    writeFileSync(join(dir, 'empty.json'), '');
    writeFileSync(join(dir, 'Patient.ndjson'), `${JSON.stringify({ resourceType: 'Patient', id: 'a' })}\nnot json\n${JSON.stringify({ resourceType: 'Nope', id: 'b' })}\n`);
    const r = cli(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('broken.json:4: not JSON (ValueExpected at line 4, column 1)');
    expect(r.stdout).toContain('empty.json: empty file');
    expect(r.stdout).toContain('Patient.ndjson:2: not JSON');
    expect(r.stdout).toContain("Patient.ndjson:3 Nope/b Nope: unknown resource type 'Nope'");
    expect(r.stderr.trim()).toBe('chartwright: 4 errors in 4 resources');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const outcomes = JSON.parse(readFileSync(join(dir, 'validation.json'), 'utf8')) as { resourceType: string; entry: { resource: { resourceType: string } }[] };
    expect(outcomes.resourceType).toBe('Bundle');
    expect(outcomes.entry).toHaveLength(4);
    expect(outcomes.entry.every((e) => e.resource.resourceType === 'OperationOutcome')).toBe(true);
  });

  it('rejects a missing path and a bad --max-errors with one line', () => {
    const missing = cli(join(work, 'does-not-exist'));
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^chartwright: .*does-not-exist: no such file or folder$/);
    const bad = cli(work, '--max-errors', 'many');
    expect(bad.status).toBe(2);
  });
});

describe(`chartwright validate with --ig US Core${NO_US_CORE}`, () => {
  it.skipIf(!HAS_US_CORE)('validates the official US Core examples with zero errors', () => {
    const dir = join(work, 'examples');
    cpSync(join(US_CORE, 'example'), dir, { recursive: true });
    const r = cli(dir, '--ig', US_CORE, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { resources: number; errors: number; summary: { profile: string }[]; igs: { name: string }[] };
    expect(report.errors).toBe(0);
    expect(report.resources).toBeGreaterThan(180);
    expect(report.igs.map((ig) => ig.name)).toEqual(['hl7.fhir.us.core']);
    expect(report.summary.map((s) => s.profile)).toContain('http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure');
  });

  it.skipIf(!HAS_US_CORE)('fails on broken resources, printing each error with its location', () => {
    const dir = join(work, 'broken');
    mkdirSync(dir);
    const noName = validPatient();
    delete noName.name;
    const bundle = {
      resourceType: 'Bundle',
      id: 'b',
      type: 'collection',
      entry: [
        { resource: { ...validPatient(), id: 'good' } },
        { resource: { ...noName, id: 'no-name' } },
        { resource: { ...validPatient(), id: 'mail', gender: 'mail' } },
        { resource: { ...validPatient(), id: 'bad-date', birthDate: '1987-02-30x' } },
      ],
    };
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
    const r = cli(dir, '--ig', US_CORE, '--max-errors', '2');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('bundle.json#entry[1] Patient/no-name Patient.name [us-core-patient]: Missing required property');
    expect(r.stdout).toContain('bundle.json#entry[2] Patient/mail Patient.gender');
    expect(r.stdout).not.toContain('Patient/bad-date'); // only the first 2 errors in full
    expect(r.stdout).toContain('First 2 of 3 errors');
    expect(r.stderr.trim()).toBe('chartwright: 3 errors in 3 resources');
  });
});
