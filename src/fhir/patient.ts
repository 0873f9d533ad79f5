import type { Extension, Patient } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { PatientRecord } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import type { MetaFactory } from './meta.js';
import { PROFILES, US_CORE_EXTENSIONS } from './profiles.js';
import { fhirAddress } from './providers.js';
import { ref } from './references.js';

const IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** Identifier system of the medical record numbers we issue. */
export const MRN_SYSTEM = 'https://chartwright.dev/fhir/sid/mrn';

export function patientResource(record: PatientRecord, meta: MetaFactory): Patient {
  const d = record.demographics;
  const race: Extension[] = [];
  if (d.race.omb !== undefined) race.push({ url: 'ombCategory', valueCoding: { ...d.race.omb } });
  race.push({ url: 'text', valueString: d.race.text });
  const patient: Patient = {
    resourceType: 'Patient',
    id: record.id,
    meta: meta.forProfile(PROFILES.patient),
    extension: [
      { url: US_CORE_EXTENSIONS.race, extension: race },
      {
        url: US_CORE_EXTENSIONS.ethnicity,
        extension: [
          { url: 'ombCategory', valueCoding: { ...d.ethnicity.omb } },
          { url: 'text', valueString: d.ethnicity.text },
        ],
      },
      { url: US_CORE_EXTENSIONS.birthSex, valueCode: d.sex === 'female' ? 'F' : 'M' },
    ],
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: IDENTIFIER_TYPE, code: 'MR', display: 'Medical record number' }], text: 'Medical record number' },
        system: MRN_SYSTEM,
        value: d.mrn,
      },
      {
        use: 'official',
        type: { coding: [{ system: IDENTIFIER_TYPE, code: 'SS', display: 'Social Security number' }], text: 'Social Security number' },
        system: SYSTEMS.ssn,
        value: d.ssn,
      },
    ],
    active: record.death === undefined,
    name: [
      {
        use: 'official',
        family: d.familyName,
        given: [...d.givenNames],
        ...(d.prefix === undefined ? {} : { prefix: [d.prefix] }),
      },
    ],
    telecom: [
      { system: 'phone', value: d.phone, use: 'home' },
      ...(d.email === undefined ? [] : [{ system: 'email' as const, value: d.email, use: 'home' as const }]),
    ],
    gender: d.sex,
    birthDate: d.birthDate,
    ...(record.death === undefined ? {} : { deceasedDateTime: instantToDateTime(record.death?.time) }),
    address: [{ use: 'home', ...fhirAddress(d.address) }],
    ...(d.maritalStatus === undefined
      ? {}
      : {
          maritalStatus: {
            coding: [{ system: d.maritalStatus.system, code: d.maritalStatus.code, display: d.maritalStatus.display }],
            text: d.maritalStatus.display,
          },
        }),
    communication: [
      {
        language: {
          coding: [{ system: d.language.system, code: d.language.code, display: d.language.display }],
          text: d.language.display,
        },
        preferred: true,
      },
    ],
    generalPractitioner: [ref(record.primaryCare.practitionerId)],
    managingOrganization: ref(record.primaryCare.organizationId),
  };
  return patient;
}
