/**
 * A person's body over a lifetime: smooth personal trajectories for growth, weight and the vital
 * signs, so that consecutive visits tell one story instead of independent draws. Children follow
 * the CDC growth charts at a personal z-score (BMI z drifting slowly as an autoregressive process);
 * adults keep their height and gain weight through midlife.
 */
import { loadGrowthCharts } from '../knowledge/growth-charts.js';
import { loadPhysiology } from '../knowledge/lifecycle.js';
import { interpolate } from '../knowledge/schemas.js';
import { limitsAt, loadVitalPlausibility } from '../knowledge/vital-plausibility.js';
import type { AdministrativeSex } from '../record/types.js';
import { bmiAtZ, bmiPercentileOf, lmsAt, percentileOf, valueAtZ } from './growth.js';
import type { Rng } from '../core/random.js';

/** Personal traits, drawn once at birth. */
export interface Body {
  readonly sex: AdministrativeSex;
  readonly birthYear: number;
  readonly heightZ: number;
  readonly headZ: number;
  /** BMI z-score (before the calendar shift) at each whole year of age 0..20. */
  readonly bmiZ: Float64Array;
  readonly adultBmiGainPerYear: number;
  readonly offsets: {
    readonly systolic: number;
    readonly diastolic: number;
    readonly heartRate: number;
    readonly respiratoryRate: number;
    readonly temperature: number;
    readonly spo2: number;
  };
}

export function createBody(rng: Rng, sex: AdministrativeSex, birthYear: number): Body {
  const p = loadPhysiology();
  const heightZ = rng.normal();
  const bmiZ = new Float64Array(21);
  const phi = Math.exp(-1 / p.growth.bmiZTrackingYears);
  const innovation = Math.sqrt(1 - phi * phi);
  bmiZ[0] = rng.normal();
  for (let a = 1; a <= 20; a++) bmiZ[a] = phi * bmiZ[a - 1]! + innovation * rng.normal();
  return {
    sex,
    birthYear,
    heightZ,
    headZ: 0.6 * heightZ + 0.8 * rng.normal(),
    bmiZ,
    adultBmiGainPerYear: rng.normal(p.adultBmi.annualGain.mean, p.adultBmi.annualGain.sd),
    offsets: {
      systolic: rng.normal(0, p.bloodPressure.personalSd.systolic),
      diastolic: rng.normal(0, p.bloodPressure.personalSd.diastolic),
      heartRate: rng.normal(0, p.heartRate.personalSd),
      respiratoryRate: rng.normal(0, p.respiratoryRate.personalSd),
      temperature: rng.normal(0, p.bodyTemperature.personalSd),
      spo2: rng.normal(0, p.oxygenSaturation.personalSd),
    },
  };
}

/** A personal z-score held inside the physiologic range the knowledge sets. */
function withinRange(z: number): number {
  const [lo, hi] = loadPhysiology().growth.zRange;
  return Math.min(hi, Math.max(lo, z));
}

function childBmiZ(body: Body, age: number): number {
  const p = loadPhysiology().growth;
  const a = Math.min(20, Math.max(0, age));
  const lo = Math.floor(a);
  const hi = Math.min(20, lo + 1);
  const z = body.bmiZ[lo]! + (a - lo) * (body.bmiZ[hi]! - body.bmiZ[lo]!);
  const year = body.birthYear + a;
  return withinRange(z * p.bmiZSd + interpolate(p.bmiZShiftByYear, year));
}

/** Height in cm at an age (length before 24 months), without measurement noise. */
export function heightAt(body: Body, age: number): number {
  const charts = loadGrowthCharts().charts;
  const months = age * 12;
  const z = withinRange(body.heightZ);
  if (months < 24) return valueAtZ(lmsAt(charts.lengthForAgeInfant, body.sex, months), z);
  if (months <= 240) return valueAtZ(lmsAt(charts.statureForAge, body.sex, months), z);
  const adult = valueAtZ(lmsAt(charts.statureForAge, body.sex, 240), z);
  return age > 50 ? adult - (age - 50) * loadPhysiology().adultHeightLossPerYearAfter50Cm : adult;
}

/**
 * BMI at an age, without measurement noise (for ages 2 and up). Children's BMI above the 95th
 * percentile follows the CDC extended method, so a heavy child is heavy, not off the chart.
 */
export function bmiAt(body: Body, age: number): number {
  const charts = loadGrowthCharts();
  const p = loadPhysiology().adultBmi;
  if (age <= 20) return bmiAtZ(charts, body.sex, Math.max(24, age * 12), childBmiZ(body, age));
  const at20 = bmiAtZ(charts, body.sex, 240, childBmiZ(body, 20));
  const gainYears = Math.min(age, p.gainUntilAge) - 20;
  let bmi = at20 + gainYears * body.adultBmiGainPerYear;
  if (age > p.plateauUntilAge) bmi -= (age - p.plateauUntilAge) * p.annualLossAfterPlateau;
  return Math.min(p.ceiling, Math.max(p.floor, bmi));
}

/** Weight in kg at an age, without measurement noise. */
export function weightAt(body: Body, age: number): number {
  const months = age * 12;
  if (months < 24) {
    const charts = loadGrowthCharts().charts;
    const z = withinRange(0.5 * withinRange(body.heightZ) + 0.866 * childBmiZ(body, age));
    return valueAtZ(lmsAt(charts.weightForAgeInfant, body.sex, months), z);
  }
  const h = heightAt(body, age) / 100;
  return bmiAt(body, age) * h * h;
}

/** One visit's measurements. Undefined fields are not measured at that age. */
export interface VitalsReading {
  readonly heightCm: number;
  readonly weightKg: number;
  readonly bmi: number | undefined;
  readonly bmiPercentile: number | undefined;
  readonly weightForLengthPercentile: number | undefined;
  readonly headCircumferenceCm: number | undefined;
  readonly headCircumferencePercentile: number | undefined;
  readonly heartRate: number;
  readonly respiratoryRate: number;
  readonly temperatureC: number;
  readonly spo2: number;
  readonly systolic: number | undefined;
  readonly diastolic: number | undefined;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** No treatment effect on blood pressure. */
export const NO_BP_SHIFT: Readonly<{ systolic: number; diastolic: number }> = { systolic: 0, diastolic: 0 };

/**
 * The person's own (noise-free, untreated) blood pressure at an age: the latent state that
 * hypertension is read from. `bmi` is the measured BMI when there is one.
 */
export function bloodPressureAt(body: Body, age: number, bmi?: number): { systolic: number; diastolic: number } {
  const bp = loadPhysiology().bloodPressure;
  if (age < 18) {
    return {
      systolic: interpolate(bp.childSystolicAt, age) + body.offsets.systolic * 0.6,
      diastolic: interpolate(bp.childDiastolicAt, age) + body.offsets.diastolic * 0.6,
    };
  }
  const bmiNow = bmi ?? bmiAt(body, age);
  const male = body.sex === 'male';
  return {
    systolic:
      bp.adultSystolic.base +
      bp.adultSystolic.perYearOver20 * Math.max(0, age - 20) +
      bp.adultSystolic.perBmiOver25 * (bmiNow - 25) +
      (male ? bp.adultSystolic.maleOffset : 0) +
      body.offsets.systolic,
    diastolic:
      bp.adultDiastolic.base +
      bp.adultDiastolic.perYearOver20 * Math.max(0, age - 20) +
      bp.adultDiastolic.perYearOver60 * Math.max(0, age - 60) +
      bp.adultDiastolic.perBmiOver25 * (bmiNow - 25) +
      (male ? bp.adultDiastolic.maleOffset : 0) +
      body.offsets.diastolic,
  };
}

/**
 * One blood-pressure reading at an age (none below the age it is measured from): the latent pressure
 * with visit-to-visit noise, shifted by treatment, held to the reading range. Clinic, sick and
 * emergency visits all read the same body.
 */
export function bloodPressureReading(
  body: Body,
  age: number,
  bmi: number | undefined,
  rng: Rng,
  bpShift: Readonly<{ systolic: number; diastolic: number }> = NO_BP_SHIFT,
): { systolic: number; diastolic: number } | undefined {
  const bp = loadPhysiology().bloodPressure;
  if (age < bp.fromAge) return undefined;
  const latent = bloodPressureAt(body, age, bmi);
  const [sLo, sHi] = bp.readingRange.systolic;
  const [dLo, dHi] = bp.readingRange.diastolic;
  const systolic = Math.round(Math.min(sHi, Math.max(sLo, latent.systolic + bpShift.systolic + rng.normal(0, bp.visitSd.systolic))));
  const diastolic = Math.round(Math.max(dLo, Math.min(dHi, systolic - 15, latent.diastolic + bpShift.diastolic + rng.normal(0, bp.visitSd.diastolic))));
  return { systolic, diastolic };
}

/**
 * Measures the body at an age, with visit-to-visit noise from `rng`; `bpShift` is the effect of
 * antihypertensive treatment on the readings.
 */
export function measure(
  body: Body,
  age: number,
  rng: Rng,
  bpShift: Readonly<{ systolic: number; diastolic: number }> = NO_BP_SHIFT,
): VitalsReading {
  const p = loadPhysiology();
  const charts = loadGrowthCharts().charts;
  const months = age * 12;
  const heightCm = round1(heightAt(body, age) + rng.normal(0, p.growth.measurementSdCm));
  const weightKg = round1(weightAt(body, age) * (1 + rng.normal(0, 0.01)));
  const bmi = months >= 24 ? round1(weightKg / ((heightCm / 100) * (heightCm / 100))) : undefined;
  const bmiPercentile =
    bmi !== undefined && months <= 240 ? round1(bmiPercentileOf(loadGrowthCharts(), body.sex, months, bmi)) : undefined;
  const wfl = charts.weightForLengthInfant;
  const weightForLengthPercentile =
    wfl !== undefined && months < 36 && heightCm >= wfl.male[0]![0]
      ? round1(percentileOf(wfl, body.sex, heightCm, weightKg))
      : undefined;
  const hc = charts.headCircumferenceForAgeInfant;
  let headCircumferenceCm: number | undefined;
  let headCircumferencePercentile: number | undefined;
  if (hc !== undefined && months < 36) {
    headCircumferenceCm = round1(valueAtZ(lmsAt(hc, body.sex, months), body.headZ) + rng.normal(0, 0.3));
    headCircumferencePercentile = round1(percentileOf(hc, body.sex, months, headCircumferenceCm));
  }
  const { systolic, diastolic } = bloodPressureReading(body, age, bmi, rng, bpShift) ?? { systolic: undefined, diastolic: undefined };
  return {
    heightCm,
    weightKg,
    bmi,
    bmiPercentile,
    weightForLengthPercentile,
    headCircumferenceCm,
    headCircumferencePercentile,
    // A slow personal rate and a slow day together stay inside what a person of that age shows (vital-plausibility.json).
    heartRate: withinLimits('heartRate', age, Math.round(interpolate(p.heartRateByAge, age) + body.offsets.heartRate + rng.normal(0, p.heartRate.visitSd))),
    respiratoryRate: withinLimits(
      'respiratoryRate',
      age,
      Math.round(interpolate(p.respiratoryRateByAge, age) + body.offsets.respiratoryRate + rng.normal(0, p.respiratoryRate.visitSd)),
    ),
    temperatureC: withinLimits('temperatureC', age, round1(p.bodyTemperature.mean + body.offsets.temperature + rng.normal(0, p.bodyTemperature.visitSd))),
    spo2: withinLimits(
      'spo2',
      age,
      Math.min(p.oxygenSaturation.max, Math.round(p.oxygenSaturation.mean + body.offsets.spo2 + rng.normal(0, p.oxygenSaturation.visitSd))),
    ),
    systolic,
    diastolic,
  };
}

/** A reading held inside the physiologic limits for the age (the same table `check` reads). */
function withinLimits(kind: 'heartRate' | 'respiratoryRate' | 'temperatureC' | 'spo2', age: number, value: number): number {
  const [lo, hi] = limitsAt(loadVitalPlausibility(), kind, age);
  return Math.min(hi, Math.max(lo, value));
}
