/**
 * Postpartum care after each birth (ACOG Committee Opinion 736, 2018): a blood-pressure check within
 * days of discharge after a hypertensive pregnancy (pre-eclampsia, or chronic hypertension on the
 * chart), an early contact within three weeks for every birth from 2018, and the comprehensive
 * postpartum visit at six to eight weeks with her weight, blood pressure and, from 2015 (ACOG CO
 * 630), depression screening. Data: pregnancy.yaml `postpartum`, sources named there. Read off the
 * charted deliveries with its own stream and ids, so the rest of the chart is unchanged.
 */
import { loadPregnancy, type PregnancyKnowledge } from '../knowledge/pregnancy.js';
import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { BloodPressure, ConditionEntry, EncounterId, Encounter, ProcedureEntry, ScreeningScore, VitalSign } from '../record/types.js';
import { measure } from './body.js';
import type { RecordFragment, StepFragment } from './fragment.js';
import { freeSlot, type PregnancyContext } from './pregnancy.js';
import { ambulatoryEncounter } from './site-encounter.js';

/** What the postpartum step reads: her deliveries, her chronic conditions, and where she is seen (as for her prenatal care). */
export type PostpartumInputs = Pick<PregnancyContext, 'rng' | 'ids' | 'birthTime' | 'end' | 'clinic' | 'practitionerAt' | 'providers' | 'body' | 'zone'> & {
  /** The pregnancy step's fragment: delivery admissions, deliveries, pre-eclampsia Conditions. */
  readonly pregnancy: RecordFragment;
  /** The clinical course's Conditions (chronic hypertension makes a pregnancy hypertensive). */
  readonly conditions: readonly ConditionEntry[];
  /** Whether she already has a booked visit or a hospital stay on the day of `t`. */
  readonly busyDay: (t: Instant) => boolean;
};

/** Whether the birth of `delivery` followed a hypertensive pregnancy: pre-eclampsia, or hypertension charted and active. */
export function hypertensivePregnancy(deliveredAt: Instant, discharge: Instant, pregnancyConditions: readonly ConditionEntry[], conditions: readonly ConditionEntry[]): boolean {
  // Pre-eclampsia resolves at the birth it complicated.
  if (pregnancyConditions.some((c) => c.key === 'preeclampsia' && c.abatement === deliveredAt)) return true;
  return conditions.some((c) => c.key === 'hypertension' && c.recorded <= discharge && (c.abatement === undefined || c.abatement > discharge));
}

/** The postpartum visits of every birth in the record, with their vitals and screening. */
export function chartPostpartum(inputs: PostpartumInputs, k: PregnancyKnowledge = loadPregnancy()): StepFragment<'postpartum'> {
  const pp = k.postpartum;
  const encounters: Encounter[] = [];
  const vitals: VitalSign[] = [];
  const bloodPressures: BloodPressure[] = [];
  const procedures: ProcedureEntry[] = [];
  const scores: ScreeningScore[] = [];
  const taken = new Set<number>();
  const stays = inputs.pregnancy.encounters ?? [];
  const pregnancyConditions = inputs.pregnancy.conditions ?? [];
  const ageAt = (t: Instant): number => (t - inputs.birthTime) / MS_PER_YEAR;
  (inputs.pregnancy.deliveries ?? []).forEach((d, i) => {
    const stay = stays.find((e) => e.id === d.encounterId);
    if (stay === undefined) return;
    const rng = inputs.rng.fork('birth', i);
    const discharge = stay.end;
    const preeclampsia = pregnancyConditions.some((c) => c.key === 'preeclampsia' && c.abatement === d.time);
    const hypertensive = hypertensivePregnancy(d.time, discharge, pregnancyConditions, inputs.conditions);
    const early = hypertensive && discharge >= pp.bloodPressureCheck.from ? pp.bloodPressureCheck.days : discharge >= pp.earlyContact.from ? pp.earlyContact.days : undefined;
    const plan: { days: { min: number; max: number }; comprehensive: boolean }[] = [
      ...(early === undefined ? [] : [{ days: early, comprehensive: false }]),
      { days: pp.comprehensiveDays, comprehensive: true },
    ];
    for (const visit of plan) {
      const slot = freeSlot({ rng, zone: inputs.zone, busyDay: inputs.busyDay }, discharge + rng.uniform(visit.days.min, visit.days.max) * MS_PER_DAY, taken);
      if (slot.end > inputs.end) return;
      const practitioner = inputs.practitionerAt(ageAt(slot.start));
      inputs.providers.add(inputs.clinic, practitioner);
      const encounterId = inputs.ids.next<EncounterId>();
      encounters.push(ambulatoryEncounter(encounterId, pp.visit, slot, inputs.clinic, practitioner, stay.reasonConditionId));
      const at = slot.start + 5 * MS_PER_MINUTE;
      const own = measure(inputs.body, ageAt(at), rng);
      if (visit.comprehensive) vitals.push({ id: inputs.ids.next(), kind: 'bodyWeight', encounterId, time: at, value: Math.round(own.weightKg * 10) / 10 });
      if (own.systolic !== undefined && own.diastolic !== undefined) {
        // Pre-eclampsia still raises her pressure in the first days; it has settled by the comprehensive visit.
        const residual = preeclampsia && !visit.comprehensive;
        const up = (m: { mean: number; sd: number }): number => (residual ? Math.max(0, Math.round(rng.normal(m.mean, m.sd))) : 0);
        bloodPressures.push({ id: inputs.ids.next(), encounterId, time: at, systolic: own.systolic + up(pp.preeclampsiaResidual.systolic), diastolic: own.diastolic + up(pp.preeclampsiaResidual.diastolic) });
      }
      if (visit.comprehensive && slot.start >= pp.depressionScreening.from) {
        const t = slot.start + 15 * MS_PER_MINUTE;
        procedures.push({ id: inputs.ids.next(), code: pp.depressionScreening.code, encounterId, practitionerId: practitioner.id, start: t, end: t, reasonConditionId: stay.reasonConditionId });
        // The instrument's score, from its own stream (the visit's other draws keep theirs).
        const sc = pp.depressionScreening.score;
        const srng = rng.fork('epds');
        const positive = srng.chance(sc.positiveShare);
        const g = positive ? sc.positive : sc.negative;
        const value = Math.min(g.max, Math.max(g.min, Math.round(srng.normal(g.mean, g.sd))));
        scores.push({ id: inputs.ids.next(), code: sc.code, encounterId, practitionerId: practitioner.id, time: t, value, positive: value >= sc.positiveAtLeast });
        if (value >= sc.positiveAtLeast) {
          // A positive screen: a visit for evaluation within weeks, on a day she has nothing else booked.
          const next = freeSlot({ rng: srng, zone: inputs.zone, busyDay: inputs.busyDay }, slot.start + srng.uniform(sc.followUpDays.min, sc.followUpDays.max) * MS_PER_DAY, taken);
          if (next.end <= inputs.end) {
            const p = inputs.practitionerAt(ageAt(next.start));
            inputs.providers.add(inputs.clinic, p);
            // For the screen's finding, not the (resolved) pregnancy: no problem-list reason of its own.
            encounters.push(ambulatoryEncounter(inputs.ids.next<EncounterId>(), sc.followUp, next, inputs.clinic, p));
          }
        }
      }
    }
  });
  return { encounters, vitals, bloodPressures, procedures, screeningScores: scores };
}
