/**
 * Physiologic limits on every charted vital sign. The models that draw vitals (the resting body,
 * a sick visit's fever, the ED's tachypnea fading over a ward stay, an exacerbation's ranges) each
 * add to a person's own resting value, and a child's resting respiratory rate plus an adult-sized
 * illness can leave what a living child shows. The same age table `chartwright check` reads
 * (`vital-plausibility.json`) holds every reading here, once, after the steps are merged, so no
 * step can chart a value the check would call impossible. Heart rate is also held where it is drawn
 * (`body.ts`); holding it again changes nothing.
 */
import { MS_PER_YEAR, type Instant } from '../core/time.js';
import { limitsAt, loadVitalPlausibility, type AgeLimit } from '../knowledge/vital-plausibility.js';
import type { BloodPressure, VitalKind, VitalSign } from '../record/types.js';
import type { RecordItems } from './fragment.js';

/** The record's vital kinds that the plausibility table limits by age, and the table's name for each. */
const LIMITED: Partial<Record<VitalKind, AgeLimit>> = {
  heartRate: 'heartRate',
  respiratoryRate: 'respiratoryRate',
  bodyTemperature: 'temperatureC',
  oxygenSaturation: 'spo2',
};

const clamp = (value: number, [lo, hi]: readonly [number, number]): number => Math.min(hi, Math.max(lo, value));

function held(v: VitalSign, birthTime: Instant): VitalSign {
  const kind = LIMITED[v.kind];
  if (kind === undefined) return v;
  const value = clamp(v.value, limitsAt(loadVitalPlausibility(), kind, (v.time - birthTime) / MS_PER_YEAR));
  return value === v.value ? v : { ...v, value };
}

function heldPressure(b: BloodPressure, birthTime: Instant): BloodPressure {
  const k = loadVitalPlausibility();
  const age = (b.time - birthTime) / MS_PER_YEAR;
  const systolic = clamp(b.systolic, limitsAt(k, 'systolic', age));
  // A diastolic moved to its limit keeps the pulse pressure the check asks for.
  const diastolic = Math.min(clamp(b.diastolic, limitsAt(k, 'diastolic', age)), systolic - k.minimumPulsePressure);
  return systolic === b.systolic && diastolic === b.diastolic ? b : { ...b, systolic, diastolic };
}

/** The items with every vital sign and blood pressure inside the physiologic limits for the age it was taken at. */
export function withinPhysiologicLimits(items: RecordItems, birthTime: Instant): RecordItems {
  return {
    ...items,
    vitals: items.vitals.map((v) => held(v, birthTime)),
    bloodPressures: items.bloodPressures.map((b) => heldPressure(b, birthTime)),
  };
}
