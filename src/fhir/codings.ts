import type { CodeableConcept, Coding as FhirCoding } from '@medplum/fhirtypes';
import { plainDisplay } from '../record/display.js';
import type { Coding } from '../record/types.js';

/**
 * A CodeableConcept of one coding. The text is what a clinician reads, so SNOMED CT's semantic tag
 * ("(disorder)") stays in the coding's display and is dropped from the text.
 */
export function concept(coding: Coding): CodeableConcept {
  return { coding: [{ system: coding.system, code: coding.code, display: coding.display }], text: plainDisplay(coding.display) };
}

export function fhirCoding(coding: Coding): FhirCoding {
  return { system: coding.system, code: coding.code, display: coding.display };
}

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

export const CATEGORY = {
  vitalSigns: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }] }],
  socialHistory: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'social-history', display: 'Social History' }] }],
  laboratory: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'laboratory', display: 'Laboratory' }] }],
  exam: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'exam', display: 'Exam' }] }],
  survey: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }] }],
} as const satisfies Record<string, CodeableConcept[]>;
