/**
 * The bundle's Provenance (US Core Provenance): one per patient bundle, targeting every resource of
 * the patient's record in it (the Patient, its clinical resources and notes; not the shared
 * organizations, locations and practitioners, which belong to no patient). Its agents are the
 * organizations that recorded the care (author: each organization that ran an encounter, the
 * patient's clinic first) and the clinic that sends the chart (transmitter). Organizations only:
 * US Core's provenance-1 asks for `onBehalfOf` only when `who` is a Practitioner or Device.
 */
import type { Provenance, ProvenanceAgent, Resource } from '@medplum/fhirtypes';
import type { PatientRecord } from '../record/types.js';
import { derivedId } from './derived-id.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { SHARED_TYPES } from './record-to-fhir.js';
import { ref } from './references.js';

const AUTHOR = { system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' };
const TRANSMITTER = { system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-provenance-participant-type', code: 'transmitter', display: 'Transmitter' };

/**
 * @param resources the bundle's resources, in bundle order (the Provenance goes after them)
 * @param recorded when the bundle was generated: the run's reference instant, so output stays deterministic
 */
export function provenanceResource(record: PatientRecord, resources: readonly Resource[], recorded: string, meta: MetaFactory): Provenance {
  const names = new Map(record.providers.organizations.map((o) => [o.id, o.name]));
  const clinic = record.primaryCare.organizationId;
  const authors = [clinic];
  for (const e of record.encounters) if (!authors.includes(e.organizationId)) authors.push(e.organizationId);
  const agent = (type: typeof AUTHOR, id: string): ProvenanceAgent => ({ type: { coding: [type], text: type.display }, who: ref(id, names.get(id)) });
  return {
    resourceType: 'Provenance',
    id: derivedId(record.id, 'provenance'),
    meta: meta.forProfile(PROFILES.provenance),
    target: resources.filter((r) => !SHARED_TYPES.has(r.resourceType)).map((r) => ref(r.id!)),
    recorded,
    agent: [...authors.map((id) => agent(AUTHOR, id)), agent(TRANSMITTER, clinic)],
  };
}
