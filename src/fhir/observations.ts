import { plainDisplay } from '../record/display.js';
import type { Observation } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { BloodPressure, SmokingObservation, SmokingStatus, VitalKind, VitalSign } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { VITAL_CODES } from '../record/vital-codes.js';
import { CATEGORY } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

interface VitalDefinition {
  readonly profile: string;
  readonly codes: readonly { readonly code: string; readonly display: string }[];
  readonly unit: string;
  readonly ucum: string;
}

/** LOINC codes, UCUM units and the US Core profile of each vital sign. */
export const VITALS: Readonly<Record<VitalKind, VitalDefinition>> = {
  bodyHeight: { profile: PROFILES.bodyHeight, codes: VITAL_CODES.bodyHeight, unit: 'cm', ucum: 'cm' },
  bodyWeight: { profile: PROFILES.bodyWeight, codes: VITAL_CODES.bodyWeight, unit: 'kg', ucum: 'kg' },
  bmi: { profile: PROFILES.bmi, codes: VITAL_CODES.bmi, unit: 'kg/m2', ucum: 'kg/m2' },
  heartRate: { profile: PROFILES.heartRate, codes: VITAL_CODES.heartRate, unit: '/min', ucum: '/min' },
  respiratoryRate: {
    profile: PROFILES.respiratoryRate,
    codes: VITAL_CODES.respiratoryRate,
    unit: '/min',
    ucum: '/min',
  },
  bodyTemperature: {
    profile: PROFILES.bodyTemperature,
    codes: VITAL_CODES.bodyTemperature,
    unit: 'Cel',
    ucum: 'Cel',
  },
  oxygenSaturation: {
    profile: PROFILES.pulseOximetry,
    codes: VITAL_CODES.oxygenSaturation,
    unit: '%',
    ucum: '%',
  },
  headCircumference: {
    profile: PROFILES.headCircumference,
    codes: VITAL_CODES.headCircumference,
    unit: 'cm',
    ucum: 'cm',
  },
  bmiPercentile: {
    profile: PROFILES.pediatricBmiForAge,
    codes: VITAL_CODES.bmiPercentile,
    unit: '%',
    ucum: '%',
  },
  weightForLengthPercentile: {
    profile: PROFILES.pediatricWeightForHeight,
    codes: VITAL_CODES.weightForLengthPercentile,
    unit: '%',
    ucum: '%',
  },
  headCircumferencePercentile: {
    profile: PROFILES.headCircumferencePercentile,
    codes: VITAL_CODES.headCircumferencePercentile,
    unit: '%',
    ucum: '%',
  },
};

const codeCache = new Map<VitalKind, Observation['code']>();

function vitalCode(kind: VitalKind): Observation['code'] {
  let code = codeCache.get(kind);
  if (code === undefined) {
    const def = VITALS[kind];
    code = {
      coding: def.codes.map((c) => ({ system: SYSTEMS.loinc, code: c.code, display: c.display })),
      text: def.codes[0]!.display,
    };
    codeCache.set(kind, code);
  }
  return code;
}

export function vitalSignResource(v: VitalSign, patientId: string, meta: MetaFactory): Observation {
  const def = VITALS[v.kind];
  return {
    resourceType: 'Observation',
    id: v.id,
    meta: meta.forProfile(def.profile),
    status: 'final',
    category: CATEGORY.vitalSigns,
    code: vitalCode(v.kind),
    subject: ref(patientId),
    encounter: ref(v.encounterId),
    effectiveDateTime: instantToDateTime(v.time),
    valueQuantity: { value: v.value, unit: def.unit, system: SYSTEMS.ucum, code: def.ucum },
  };
}

const BP_CODE = {
  coding: [{ system: SYSTEMS.loinc, code: '85354-9', display: 'Blood pressure panel with all children optional' }],
  text: 'Blood pressure',
};
const SYSTOLIC = { coding: [{ system: SYSTEMS.loinc, code: '8480-6', display: 'Systolic blood pressure' }] };
const DIASTOLIC = { coding: [{ system: SYSTEMS.loinc, code: '8462-4', display: 'Diastolic blood pressure' }] };

export function bloodPressureResource(bp: BloodPressure, patientId: string, meta: MetaFactory): Observation {
  const mmHg = { unit: 'mm[Hg]', system: SYSTEMS.ucum, code: 'mm[Hg]' };
  return {
    resourceType: 'Observation',
    id: bp.id,
    meta: meta.forProfile(PROFILES.bloodPressure),
    status: 'final',
    category: CATEGORY.vitalSigns,
    code: BP_CODE,
    subject: ref(patientId),
    encounter: ref(bp.encounterId),
    effectiveDateTime: instantToDateTime(bp.time),
    component: [
      { code: SYSTOLIC, valueQuantity: { value: bp.systolic, ...mmHg } },
      { code: DIASTOLIC, valueQuantity: { value: bp.diastolic, ...mmHg } },
    ],
  };
}

/** SNOMED CT codes of smoking status (US Core "Smoking Status" value set members). */
export const SMOKING_CODES: Readonly<Record<SmokingStatus, { code: string; display: string }>> = {
  never: { code: '266919005', display: 'Never smoked tobacco (finding)' },
  daily: { code: '449868002', display: 'Smokes tobacco daily (finding)' },
  occasional: { code: '428041000124106', display: 'Occasional tobacco smoker (finding)' },
  former: { code: '8517006', display: 'Ex-smoker (finding)' },
};

const SMOKING_CODE = {
  coding: [{ system: SYSTEMS.loinc, code: '72166-2', display: 'Tobacco smoking status' }],
  text: 'Tobacco smoking status',
};

export function smokingStatusResource(s: SmokingObservation, patientId: string, meta: MetaFactory): Observation {
  const value = SMOKING_CODES[s.status];
  const at = instantToDateTime(s.time);
  return {
    resourceType: 'Observation',
    id: s.id,
    meta: meta.forProfile(PROFILES.smokingStatus),
    status: 'final',
    category: CATEGORY.socialHistory,
    code: SMOKING_CODE,
    subject: ref(patientId),
    encounter: ref(s.encounterId),
    effectiveDateTime: at,
    issued: `${at.slice(0, 19)}.000Z`,
    valueCodeableConcept: { coding: [{ system: SYSTEMS.snomed, ...value }], text: plainDisplay(value.display) },
  };
}
