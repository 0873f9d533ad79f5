import type { AllergyIntolerance } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { Allergy } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

export function allergyResource(a: Allergy, patientId: string, meta: MetaFactory): AllergyIntolerance {
  const clinical = a.clinicalStatus === 'active' ? { code: 'active', display: 'Active' } : { code: 'resolved', display: 'Resolved' };
  return {
    resourceType: 'AllergyIntolerance',
    id: a.id,
    meta: meta.forProfile(PROFILES.allergyIntolerance),
    clinicalStatus: { coding: [{ system: CLINICAL, ...clinical }], text: clinical.display },
    verificationStatus: { coding: [{ system: VERIFICATION, code: 'confirmed', display: 'Confirmed' }], text: 'Confirmed' },
    ...(a.type === undefined ? {} : { type: a.type }),
    ...(a.category === undefined ? {} : { category: [a.category] }),
    ...(a.criticality === undefined ? {} : { criticality: a.criticality }),
    code: { ...concept(a.code), text: a.name },
    patient: ref(patientId),
    encounter: ref(a.encounterId),
    ...(a.onset === undefined ? {} : { onsetDateTime: instantToDateTime(a.onset) }),
    recordedDate: instantToDateTime(a.recorded),
    recorder: ref(a.practitionerId),
    ...(a.reactions.length === 0
      ? {}
      : {
          reaction: a.reactions.map((r) => ({
            manifestation: [concept(r.manifestation)],
            severity: r.severity,
          })),
        }),
  };
}
