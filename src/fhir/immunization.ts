import type { Immunization } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { Immunization as RecordImmunization } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

export function immunizationResource(
  imm: RecordImmunization,
  patientId: string,
  locationId: string,
  practitionerId: string,
  meta: MetaFactory,
): Immunization {
  return {
    resourceType: 'Immunization',
    id: imm.id,
    meta: meta.forProfile(PROFILES.immunization),
    status: 'completed',
    vaccineCode: concept(imm.vaccine),
    patient: ref(patientId),
    encounter: ref(imm.encounterId),
    occurrenceDateTime: instantToDateTime(imm.time),
    primarySource: true,
    location: ref(locationId),
    performer: [
      {
        function: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0443', code: 'AP', display: 'Administering Provider' }],
        },
        actor: ref(practitionerId),
      },
    ],
    ...(imm.doseNumber === undefined ? {} : { protocolApplied: [{ doseNumberPositiveInt: imm.doseNumber }] }),
  };
}
