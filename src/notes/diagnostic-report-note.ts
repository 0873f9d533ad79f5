/**
 * A radiology report also as a US Core DiagnosticReport for Report and Note Exchange: category
 * Radiology (LOINC LP29684-5), the report's LOINC document code, the text as base64 `presentedForm`
 * (the same text as its DocumentReference), linked to the encounter and the reading clinician.
 */
import type { DiagnosticReport } from '@medplum/fhirtypes';
import type { MetaFactory } from '../fhir/meta.js';
import { PROFILES } from '../fhir/profiles.js';
import { ref } from '../fhir/references.js';
import { NOTE_TYPE_CODES } from './note-types.js';

export interface RadiologyReportInput {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly patientId: string;
  readonly encounterId: string;
  readonly practitionerId: string;
  /** FHIR dateTime the study was done (the encounter's start). */
  readonly effective: string;
  /** FHIR instant the report was written. */
  readonly issued: string;
}

export function radiologyDiagnosticReportResource(input: RadiologyReportInput, meta: MetaFactory): DiagnosticReport {
  const type = NOTE_TYPE_CODES['radiology-report'];
  return {
    resourceType: 'DiagnosticReport',
    id: input.id,
    meta: meta.forProfile(PROFILES.diagnosticReportNote),
    status: 'final',
    category: [{ coding: [{ system: 'http://loinc.org', code: 'LP29684-5', display: 'Radiology' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: type.loinc, display: type.display }], text: input.title },
    subject: ref(input.patientId),
    encounter: ref(input.encounterId),
    effectiveDateTime: input.effective,
    issued: input.issued,
    performer: [ref(input.practitionerId)],
    presentedForm: [
      { contentType: 'text/plain; charset=utf-8', data: Buffer.from(input.text, 'utf8').toString('base64'), title: input.title },
    ],
  };
}
