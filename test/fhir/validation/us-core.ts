/** Where the US Core 6.1.0 package lives for tests; tests that need it skip, saying why, without it. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const US_CORE = fileURLToPath(new URL('../../../../shared/fhir/us-core-6.1.0', import.meta.url));
export const HAS_US_CORE = existsSync(`${US_CORE}/package.json`);
export const NO_US_CORE = HAS_US_CORE ? '' : ' (SKIPPED: US Core 6.1.0 package not found at ../shared/fhir/us-core-6.1.0)';

export const P = (name: string): string => `http://hl7.org/fhir/us/core/StructureDefinition/${name}`;

/** A US Core Patient that passes every check. */
export function validPatient(): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: 'p1',
    meta: { profile: [P('us-core-patient')] },
    identifier: [{ system: 'http://hospital.example.org', value: '1032702' }],
    name: [{ family: 'Shaw', given: ['Amy'] }],
    gender: 'female',
    birthDate: '1987-02-20',
    telecom: [{ system: 'phone', value: '555-555-5555', use: 'home' }],
  };
}

/** A US Core blood pressure that passes every check (systolic and diastolic components). */
export function validBloodPressure(): Record<string, unknown> & { component: Record<string, unknown>[] } {
  const mmHg = (value: number) => ({ value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
  return {
    resourceType: 'Observation',
    id: 'bp',
    meta: { profile: [P('us-core-blood-pressure')] },
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2024-01-01T10:00:00Z',
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: mmHg(120) },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: mmHg(80) },
    ],
  };
}
