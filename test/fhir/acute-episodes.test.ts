/**
 * Acute episodes in FHIR: the encounters (sick visit, emergency, admission), encounter diagnoses,
 * procedures and medication courses of generated records validate against US Core 6.1.0 with
 * zero errors, through both the fast checker and Medplum's validator.
 */
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { recordToResources } from '../../src/fhir/record-to-fhir.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { createValidator, loadProfiles } from '../../src/fhir/validation/index.js';
import { loadAcuteModules } from '../../src/knowledge/acute.js';
import type { IsoDate } from '../../src/core/time.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';
import { HAS_US_CORE, NO_US_CORE, US_CORE } from './validation/us-core.js';

const acute = new Set(loadAcuteModules().map((m) => m.key));

/** Records with admissions, emergency visits and as many acute modules as the first lives have. */
function sampleRecords(): PatientRecord[] {
  const ctx = createCohortContext({ seed: toSeed(3), referenceDate: '2025-06-01' as IsoDate, age: undefined, gender: undefined, state: undefined });
  const picked: PatientRecord[] = [];
  const keys = new Set<string>();
  let admissions = 0;
  for (let i = 0; i < 400 && (keys.size < acute.size || admissions < 3); i++) {
    for (const r of simulateIndex(ctx, i)) {
      const mine = r.conditions.filter((c) => acute.has(c.key) && !keys.has(c.key));
      const admitted = r.encounters.some((e) => e.class === 'IMP');
      if (mine.length === 0 && !(admitted && admissions < 3)) continue;
      for (const c of mine) keys.add(c.key);
      if (admitted) admissions++;
      picked.push(r);
    }
  }
  return picked;
}

describe(`acute episodes against US Core 6.1.0${NO_US_CORE}`, () => {
  it.skipIf(!HAS_US_CORE)('validates every episode resource with zero errors (fast checker and Medplum)', async () => {
    const profiles = await loadProfiles({ igPaths: [US_CORE] });
    const fast = createValidator(profiles);
    const medplum = createValidator(profiles, { engine: 'medplum' });
    const meta = new MetaFactory('0123456789abcdef');
    const records = sampleRecords();
    const types = new Set<string>();
    let checked = 0;
    for (const r of records) {
      const episodeIds = new Set<string>();
      for (const c of r.conditions) if (acute.has(c.key)) episodeIds.add(c.id);
      for (const e of r.encounters) if (e.reasonConditionId !== undefined && episodeIds.has(e.reasonConditionId)) episodeIds.add(e.id);
      for (const p of r.procedures) episodeIds.add(p.id);
      for (const m of r.medications) if (episodeIds.has(m.conditionId)) episodeIds.add(m.id);
      for (const l of r.labReports) {
        if (!episodeIds.has(l.encounterId)) continue;
        episodeIds.add(l.id);
        for (const x of l.results) episodeIds.add(x.id);
      }
      const resources = recordToResources(r, meta).filter((x: Resource) => x.id !== undefined && episodeIds.has(x.id));
      for (const resource of resources) {
        const errors = fast.validate(resource).filter((i) => i.severity === 'error');
        expect(errors, `${resource.resourceType}/${resource.id}`).toEqual([]);
        // Medplum is slow: check it on the first resources of each kind.
        const kind = `${resource.resourceType}:${(resource as { class?: { code?: string } }).class?.code ?? ''}`;
        if (!types.has(kind)) {
          types.add(kind);
          expect(medplum.validate(resource).filter((i) => i.severity === 'error'), kind).toEqual([]);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
    for (const kind of ['Encounter:AMB', 'Encounter:EMER', 'Encounter:IMP', 'Condition:', 'Procedure:', 'MedicationRequest:', 'DiagnosticReport:', 'Observation:']) expect(types.has(kind), kind).toBe(true);
  });
});
