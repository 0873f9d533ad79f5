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
