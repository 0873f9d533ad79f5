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

const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const DIAGNOSIS_ROLE = 'http://terminology.hl7.org/CodeSystem/diagnosis-role';
const ROLE_DISPLAY = { AD: 'Admission diagnosis', DD: 'Discharge diagnosis', billing: 'Billing' } as const;

function participation(code: string, display: string): { coding: { system: string; code: string; display: string }[]; text: string } {
  return { coding: [{ system: PARTICIPATION, code, display }], text: display };
}

/** What the FHIR layer knows around an encounter: its diagnoses and, for an admission, who referred the patient. */
export interface EncounterContext {
  /** Conditions diagnosed or treated at the encounter, the reason for it first. */
  readonly diagnoses: readonly string[];
  /** The emergency physician who sent an admitted patient up (the admission's referrer). */
  readonly referrerId?: string;
}

/**
 * A US Core Encounter: the clinician who saw the patient as primary performer and attender, the
 * emergency physician as referrer of an admission from the department, and the visit's diagnoses
 * ranked (an admission's reason is its admission diagnosis, the rest discharge diagnoses; a visit's
 * are its billing diagnoses).
 */
export function encounterResource(e: RecordEncounter, patientId: string, meta: MetaFactory, ctx: EncounterContext = { diagnoses: [] }): Encounter {
  const period = { start: instantToDateTime(e.start), end: instantToDateTime(e.end) };
  const diagnosis = ctx.diagnoses.map((id, i) => {
    const role = e.class === 'IMP' ? (i === 0 && id === e.reasonConditionId ? 'AD' : 'DD') : 'billing';
    return { condition: ref(id), use: { coding: [{ system: DIAGNOSIS_ROLE, code: role, display: ROLE_DISPLAY[role] }] }, rank: i + 1 };
  });
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
      { type: [participation('PPRF', 'primary performer'), participation('ATND', 'attender')], period, individual: ref(e.practitionerId) },
      ...(ctx.referrerId === undefined ? [] : [{ type: [participation('REF', 'referrer')], individual: ref(ctx.referrerId) }]),
    ],
    period,
    ...(e.reason === undefined ? {} : { reasonCode: [concept(e.reason)] }),
    ...(e.reasonConditionId === undefined ? {} : { reasonReference: [ref(e.reasonConditionId)] }),
    ...(diagnosis.length === 0 ? {} : { diagnosis }),
    ...hospitalization(e, ctx),
    location: [{ location: ref(e.locationId), status: 'completed', period }],
    serviceProvider: ref(e.organizationId),
  };
}

const ADMIT_SOURCE = 'http://terminology.hl7.org/CodeSystem/admit-source';

function hospitalization(e: RecordEncounter, ctx: EncounterContext): Pick<Encounter, 'hospitalization'> {
  const admitSource =
    e.class !== 'IMP'
      ? undefined
      : e.planned === true
        ? { coding: [{ system: ADMIT_SOURCE, code: 'outp', display: 'From outpatient department' }] }
        : ctx.referrerId !== undefined
          ? { coding: [{ system: ADMIT_SOURCE, code: 'emd', display: 'From accident/emergency department' }] }
          : undefined;
  if (admitSource === undefined && e.dischargeDisposition === undefined) return {};
  return {
    hospitalization: {
      ...(admitSource === undefined ? {} : { admitSource }),
      ...(e.dischargeDisposition === undefined ? {} : { dischargeDisposition: concept(e.dischargeDisposition) }),
    },
  };
}
