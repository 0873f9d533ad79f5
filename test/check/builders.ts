/**
 * Hand-built FHIR resources in the issue-4 contract shape (Condition, MedicationRequest, lab
 * Observation and DiagnosticReport), to add clinical content to generated bundles and to build
 * small cohorts of known prevalence.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Resource = Record<string, unknown> & { resourceType: string; id: string };
export interface Bundle {
  resourceType: 'Bundle';
  id: string;
  type: string;
  timestamp: string;
  entry: { fullUrl: string; resource: Resource; request: { method: string; url: string } }[];
}

let counter = 0;
/** A fresh UUID-shaped id (deterministic within a test run). */
export function nextId(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export const urn = (id: string): string => `urn:uuid:${id}`;

export function entry(resource: Resource): Bundle['entry'][number] {
  return { fullUrl: urn(resource.id), resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } };
}

export function patientOf(bundle: Bundle): Resource {
  const p = bundle.entry.find((e) => e.resource.resourceType === 'Patient');
  if (p === undefined) throw new Error('bundle has no Patient');
  return p.resource;
}

export function condition(patientId: string, code: string, opts: { onset?: string; status?: string; abatement?: string } = {}): Resource {
  return {
    resourceType: 'Condition',
    id: nextId(),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: opts.status ?? 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    code: { coding: [{ system: 'http://snomed.info/sct', code }] },
    subject: { reference: urn(patientId) },
    onsetDateTime: opts.onset ?? '2020-01-01T10:00:00Z',
    recordedDate: opts.onset ?? '2020-01-01T10:00:00Z',
    ...(opts.abatement === undefined ? {} : { abatementDateTime: opts.abatement }),
  };
}

export function medication(patientId: string, reasonId: string, authoredOn: string): Resource {
  return {
    resourceType: 'MedicationRequest',
    id: nextId(),
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076', display: 'lisinopril 10 MG Oral Tablet' }] },
    subject: { reference: urn(patientId) },
    authoredOn,
    reasonReference: [{ reference: urn(reasonId) }],
    dosageInstruction: [
      {
        sequence: 1,
        text: 'Take 1 tablet (10 mg) by mouth once daily',
        timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
        asNeededBoolean: false,
        route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006', display: 'Oral route (qualifier value)' }] },
        doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet', system: 'http://unitsofmeasure.org', code: '{tablet}' } }],
      },
    ],
    dispenseRequest: {
      numberOfRepeatsAllowed: 3,
      quantity: { value: 90, unit: 'tablet', system: 'http://unitsofmeasure.org', code: '{tablet}' },
      expectedSupplyDuration: { value: 90, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' },
    },
  };
}

export function observation(patientId: string, loinc: string, at: string, value: { quantity?: number; unit?: string; codes?: string[] }, lab = false): Resource {
  return {
    resourceType: 'Observation',
    id: nextId(),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: lab ? 'laboratory' : 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    subject: { reference: urn(patientId) },
    effectiveDateTime: at,
    ...(value.quantity === undefined
      ? {}
      : { valueQuantity: { value: value.quantity, unit: value.unit ?? '1', system: 'http://unitsofmeasure.org', code: value.unit ?? '1' } }),
    ...(value.codes === undefined ? {} : { valueCodeableConcept: { coding: value.codes.map((c) => ({ system: 'http://snomed.info/sct', code: c })) } }),
    ...(lab ? { referenceRange: [{ low: { value: 4, unit: '%', system: 'http://unitsofmeasure.org', code: '%' }, high: { value: 5.6, unit: '%', system: 'http://unitsofmeasure.org', code: '%' } }] } : {}),
  };
}

export function labReport(patientId: string, at: string, results: readonly string[]): Resource {
  return {
    resourceType: 'DiagnosticReport',
    id: nextId(),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
    subject: { reference: urn(patientId) },
    effectiveDateTime: at,
    issued: at,
    result: results.map((id) => ({ reference: urn(id) })),
  };
}

/** A completed SNOMED CT procedure at `at`, for `reasonId` when given. */
export function procedure(pid: string, code: string, at: string, reasonId?: string): Resource {
  return {
    resourceType: 'Procedure',
    id: nextId(),
    status: 'completed',
    code: { coding: [{ system: 'http://snomed.info/sct', code }] },
    subject: { reference: urn(pid) },
    performedPeriod: { start: at, end: at },
    ...(reasonId === undefined ? {} : { reasonReference: [{ reference: urn(reasonId) }] }),
  };
}

export function immunization(patientId: string, cvx: string, at: string): Resource {
  return {
    resourceType: 'Immunization',
    id: nextId(),
    status: 'completed',
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: cvx }] },
    patient: { reference: urn(patientId) },
    occurrenceDateTime: at,
  };
}

/** A minimal bundle: one Patient and the given resources (built by `extra(patientId)`). */
export function miniBundle(opts: { birthDate: string; gender?: string; deceased?: string; referenceDate?: string; address?: Array<{ state: string }> }, extra: (patientId: string) => Resource[] = () => []): Bundle {
  const id = nextId();
  const patient: Resource = {
    resourceType: 'Patient',
    id,
    gender: opts.gender ?? 'female',
    birthDate: opts.birthDate,
    ...(opts.deceased === undefined ? {} : { deceasedDateTime: opts.deceased }),
    ...(opts.address === undefined ? {} : { address: opts.address }),
  };
  const resources = [patient, ...extra(id)];
  // As every generated bundle: one Provenance targeting the patient's record.
  const provenance: Resource = {
    resourceType: 'Provenance',
    id: nextId(),
    target: resources.map((r) => ({ reference: urn(r.id!) })),
    recorded: `${opts.referenceDate ?? '2025-06-01'}T00:00:00Z`,
    agent: [{ who: { display: 'Chartwright' } }],
  } as Resource;
  return {
    resourceType: 'Bundle',
    id,
    type: 'transaction',
    timestamp: `${opts.referenceDate ?? '2025-06-01'}T00:00:00Z`,
    entry: [...resources, provenance].map(entry),
  };
}

/** Writes bundles as `OUT/fhir/<name>.json` (name = key). */
export function writeCohort(out: string, bundles: ReadonlyMap<string, Bundle | string>): void {
  mkdirSync(join(out, 'fhir'), { recursive: true });
  for (const [name, b] of bundles) writeFileSync(join(out, 'fhir', `${name}.json`), typeof b === 'string' ? b : JSON.stringify(b));
}
