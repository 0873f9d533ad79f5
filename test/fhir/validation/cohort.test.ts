/**
 * A generated cohort (every resource type and profile the generator emits) validates with zero
 * errors against US Core 6.1.0, and the fast checker agrees with Medplum's validator on a sample.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createValidator, loadProfiles, type ValidationIssue } from '../../../src/fhir/validation/index.js';
import { runCliAsync, tempDir } from '../../support/cli.js';
import { HAS_US_CORE, NO_US_CORE, US_CORE } from './us-core.js';
import { rmSync } from 'node:fs';

const out = join(tempDir('cw-cohort-'), 'out');
afterAll(() => rmSync(join(out, '..'), { recursive: true, force: true }));

const key = (issues: ValidationIssue[]): string[] => issues.map((i) => `${i.severity} ${i.path} ${i.message}`).sort();

describe(`generated cohort against US Core 6.1.0${NO_US_CORE}`, () => {
  it.skipIf(!HAS_US_CORE)('150 patients validate with zero errors through `chartwright validate`', async () => {
    const gen = await runCliAsync(['generate', '--patients', '150', '--seed', '7', '--reference-date', '2025-01-01', '--out', out, '--format', 'fhir,ndjson']);
    expect(gen.code, gen.stderr).toBe(0);
    const r = await runCliAsync(['validate', join(out, 'fhir'), '--ig', US_CORE, '--json', '--outcomes', join(out, 'validation.json')]);
    const report = JSON.parse(r.stdout) as { resources: number; errors: number; summary: { resourceType: string; profile: string; resources: number }[]; results: unknown[] };
    expect(report.errors, JSON.stringify(report.results.slice(0, 5))).toBe(0);
    expect(r.code).toBe(0);
    expect(report.resources).toBeGreaterThan(10_000);
    // Every resource the generator writes claims a US Core profile that was checked, the cause of
    // death included (US Core Simple Observation); none is validated against base R4 alone.
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { counts: { patients: { deceased: number } } };
    expect(manifest.counts.patients.deceased).toBeGreaterThan(0);
    expect(report.summary.filter((s) => s.profile === '(base R4)')).toEqual([]);
  });

  it.skipIf(!HAS_US_CORE)('the fast checker agrees with Medplum on a sample of every resource type', async () => {
    const profiles = await loadProfiles({ igPaths: [US_CORE] });
    const fast = createValidator(profiles);
    const medplum = createValidator(profiles, { engine: 'medplum' });
    const dir = join(out, 'ndjson');
    let compared = 0;
    for (const file of readdirSync(dir)) {
      const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l !== '');
      // Up to 30 resources per type, spread over the file (Medplum is slow: this is the cost).
      const step = Math.max(1, Math.floor(lines.length / 30));
      for (let i = 0; i < lines.length; i += step) {
        const resource = JSON.parse(lines[i] as string) as unknown;
        expect(key(fast.validate(resource)), `${file}:${i + 1}`).toEqual(key(medplum.validate(resource)));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
