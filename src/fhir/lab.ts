import type { DiagnosticReport, Observation } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { LabReport, LabResult } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { CATEGORY, concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const DR_CATEGORY = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const INTERPRETATION_DISPLAY = { H: 'High', L: 'Low', N: 'Normal' } as const;

function quantity(value: number, unit: string): { value: number; unit: string; system: string; code: string } {
  return { value, unit, system: SYSTEMS.ucum, code: unit };
}

/** The instant the result went out (an `instant`, so with milliseconds). */
function issuedOf(report: LabReport): string {
  return `${instantToDateTime(report.issued ?? report.time).slice(0, 19)}.000Z`;
}

/** A US Core laboratory result Observation with its reference range and H/L/N interpretation. */
export function labObservationResource(
  r: LabResult,
  report: LabReport,
  patientId: string,
  meta: MetaFactory,
): Observation {
  const flag = r.value > r.high ? 'H' : r.value < r.low ? 'L' : 'N';
  const when = instantToDateTime(report.time);
  return {
    resourceType: 'Observation',
    id: r.id,
    meta: meta.forProfile(PROFILES.observationLab),
    status: 'final',
    category: [...CATEGORY.laboratory],
    code: concept(r.code),
    subject: ref(patientId),
    encounter: ref(report.encounterId),
    effectiveDateTime: when,
    issued: issuedOf(report),
    valueQuantity: quantity(r.value, r.unit),
    interpretation: [
      { coding: [{ system: INTERPRETATION, code: flag, display: INTERPRETATION_DISPLAY[flag] }], text: INTERPRETATION_DISPLAY[flag] },
    ],
    referenceRange: [{ low: quantity(r.low, r.unit), high: quantity(r.high, r.unit) }],
  };
}

/** A US Core laboratory DiagnosticReport grouping its results. */
export function labReportResource(report: LabReport, patientId: string, meta: MetaFactory): DiagnosticReport {
  const when = instantToDateTime(report.time);
  return {
    resourceType: 'DiagnosticReport',
    id: report.id,
    meta: meta.forProfile(PROFILES.diagnosticReportLab),
    status: 'final',
    category: [{ coding: [{ system: DR_CATEGORY, code: 'LAB', display: 'Laboratory' }] }],
    code: concept(report.code),
    subject: ref(patientId),
    encounter: ref(report.encounterId),
    effectiveDateTime: when,
    issued: issuedOf(report),
    performer: [ref(report.practitionerId)],
    result: report.results.map((r) => ref(r.id)),
  };
}
