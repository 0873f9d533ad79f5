import type { Encounter } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { Encounter as RecordEncounter, EncounterClass } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const CLASS_DISPLAY: Readonly<Record<EncounterClass, string>> = {
  AMB: 'ambulatory',
  EMER: 'emergency',
  IMP: 'inpatient encounter',
  VR: 'virtual',
};

export const ENCOUNTER_IDENTIFIER_SYSTEM = 'https://chartwright.dev/fhir/sid/encounter';

export function encounterResource(e: RecordEncounter, patientId: string, meta: MetaFactory): Encounter {
  const period = { start: instantToDateTime(e.start), end: instantToDateTime(e.end) };
  return {
    resourceType: 'Encounter',
    id: e.id,
    meta: meta.forProfile(PROFILES.encounter),
    identifier: [{ system: ENCOUNTER_IDENTIFIER_SYSTEM, value: e.id }],
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: e.class, display: CLASS_DISPLAY[e.class] },
    type: [concept(e.type)],
    subject: ref(patientId),
    participant: [
      {
        type: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                code: 'PPRF',
                display: 'primary performer',
              },
            ],
            text: 'primary performer',
          },
        ],
        period,
        individual: ref(e.practitionerId),
      },
    ],
    period,
    ...(e.reason === undefined ? {} : { reasonCode: [concept(e.reason)] }),
    ...(e.reasonConditionId === undefined ? {} : { reasonReference: [ref(e.reasonConditionId)] }),
    ...(e.dischargeDisposition === undefined ? {} : { hospitalization: { dischargeDisposition: concept(e.dischargeDisposition) } }),
    location: [{ location: ref(e.locationId), status: 'completed', period }],
    serviceProvider: ref(e.organizationId),
  };
}
