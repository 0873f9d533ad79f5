/**
 * Medicines in pregnancy: at the first prenatal visit the drugs a pregnancy rules out (ACE
 * inhibitors, sacubitril-valsartan, statins, warfarin, SGLT2 inhibitors; metformin in favour of
 * insulin) are stopped, the condition they treated gets the pregnancy's agent instead (labetalol for
 * chronic hypertension, insulin for type 2 diabetes), and at her first clinic visit once the
 * pregnancy is over (42 days after a birth, 14 after a loss) the prior therapy resumes and the
 * replacement stops. The clinical course planned her drugs as if she were never pregnant; this step
 * rewrites that plan around each pregnancy, so it needs no knowledge of why each drug was chosen.
 */
import { eraChoice } from '../knowledge/availability.js';
import { loadPregnancyMedications, type PregnancyMedications } from '../knowledge/pregnancy-medications.js';
import { MS_PER_DAY, MS_PER_MINUTE, type Instant } from '../core/time.js';
import type { Rng } from '../core/random.js';
import type { ConditionEntry, DeliveryEntry, Encounter, MedicationOrder } from '../record/types.js';
import type { IdAllocator } from './ids.js';

/** What the step reads: the planned orders, the conditions they treat, her pregnancies, her clinic visits. */
export interface PregnancyMedicationInputs {
  /** The orders as the clinical course planned them (as if she were never pregnant). */
  readonly medications: readonly MedicationOrder[];
  /** The conditions the orders treat (the order's `conditionId`), for the module key a replacement is chosen by. */
  readonly conditions: readonly ConditionEntry[];
  /** The pregnancy step's conditions (`key: 'pregnancy'`), encounters and deliveries. */
  readonly pregnancy: {
    readonly conditions?: readonly ConditionEntry[] | undefined;
    readonly encounters?: readonly Encounter[] | undefined;
    readonly deliveries?: readonly DeliveryEntry[] | undefined;
  };
  /** Clinic visits at which a prior therapy may resume (in-person primary care visits). */
  readonly visits: readonly Encounter[];
  /** End of the record (reference date or death). */
  readonly end: Instant;
  readonly died: boolean;
}

/** The span over which the pregnancy's rules hold: first prenatal visit to the visit that resumes the prior therapy. */
interface Window {
  /** The first prenatal visit, where the drugs are stopped. */
  readonly stopAt: Encounter;
  /** The visit the prior therapy resumes at; undefined while she is still pregnant or not yet seen. */
  resumeAt: Encounter | undefined;
}

type OrderDraft = { -readonly [K in keyof MedicationOrder]: MedicationOrder[K] };

/** The windows of her pregnancies, in time order; a pregnancy beginning before the last one's resume visit joins it. */
function pregnancyWindows(inputs: PregnancyMedicationInputs, k: PregnancyMedications): Window[] {
  const encounters = new Map((inputs.pregnancy.encounters ?? []).map((e) => [e.id, e]));
  const deliveries = new Set((inputs.pregnancy.deliveries ?? []).map((d) => d.time));
  const visits = [...inputs.visits].sort((a, b) => a.start - b.start);
  const windows: Window[] = [];
  const pregnancies = (inputs.pregnancy.conditions ?? []).filter((c) => c.key === 'pregnancy').sort((a, b) => a.recorded - b.recorded);
  for (const p of pregnancies) {
    const stopAt = encounters.get(p.encounterId);
    if (stopAt === undefined) continue;
    let resumeAt: Encounter | undefined;
    if (p.abatement !== undefined) {
      const days = deliveries.has(p.abatement) ? k.resumeAfterDays.birth : k.resumeAfterDays.loss;
      const from = p.abatement + days * MS_PER_DAY;
      resumeAt = visits.find((v) => v.start >= from && v.end <= inputs.end);
    }
    const last = windows[windows.length - 1];
    if (last !== undefined && (last.resumeAt === undefined || last.resumeAt.start >= stopAt.start)) {
      last.resumeAt = resumeAt;
      continue;
    }
    windows.push({ stopAt, resumeAt });
  }
  return windows;
}

/**
 * The condition's pregnancy agent: the only one listed, or one of several drawn by their shares
 * among those marketed on the date (labetalol or nifedipine for chronic hypertension; labetalol alone
 * before extended-release nifedipine). Its own stream, so no other draw moves.
 */
function pickReplacement(k: PregnancyMedications, condition: string | undefined, at: Instant, rng: Rng): PregnancyMedications['replacements'][number] | undefined {
  const options = k.replacements.filter((r) => r.condition === condition && eraChoice(r.medication, at) !== undefined);
  if (options.length <= 1) return options[0] ?? k.replacements.find((r) => r.condition === condition);
  return options[rng.weightedIndex(options.map((r) => r.share ?? 0))];
}

/**
 * The orders with each pregnancy's changes: a ruled-out drug running at the first prenatal visit is
 * stopped there (status reason from the data); one the course would have started during the
 * pregnancy is not ordered; one the course would have had running at the resume visit is ordered
 * again there (same drug, the course's own end); the condition's replacement runs from the stop
 * (or the first ruled-out order of the pregnancy) to the resume visit. Orders of other drugs pass
 * unchanged. New orders take ids from `ids` and the minute they are written within the visit from
 * `rng`, so nothing else in the record moves.
 */
export function pregnancyMedications(
  inputs: PregnancyMedicationInputs,
  rng: Rng,
  ids: IdAllocator,
  k: PregnancyMedications = loadPregnancyMedications(),
): MedicationOrder[] {
  const ruledOut = new Map(k.drugs.map((d) => [d.drug, d]));
  if (!inputs.medications.some((m) => ruledOut.has(m.medication.code))) return [...inputs.medications];
  const windows = pregnancyWindows(inputs, k);
  if (windows.length === 0) return [...inputs.medications];
  const keyOf = new Map(inputs.conditions.map((c) => [c.id, c.key]));
  const planned = inputs.medications;
  let orders: OrderDraft[] = planned.map((m) => ({ ...m }));
  // Written after the visit's diagnoses are recorded (10 minutes in, as the pregnancy step records them).
  const writtenAt = (e: Encounter): Instant => Math.min(e.end, e.start + rng.int(11, 20) * MS_PER_MINUTE);
  for (const w of windows) {
    const from = w.stopAt.start;
    const until = w.resumeAt?.start ?? Infinity;
    const next: OrderDraft[] = [];
    const added: OrderDraft[] = [];
    /** The ruled-out orders of this window, by condition: when each first runs in it, and where. */
    const firstByCondition = new Map<MedicationOrder['conditionId'], { at: Instant; encounterId: Encounter['id'] | undefined; practitionerId: MedicationOrder['practitionerId'] }>();
    for (const o of orders) {
      const drug = ruledOut.get(o.medication.code);
      const stop = o.end ?? Infinity;
      if (drug === undefined || stop <= from || o.authored >= until) {
        next.push(o);
        continue;
      }
      const first = o.authored < from ? { at: from, encounterId: w.stopAt.id, practitionerId: w.stopAt.practitionerId } : { at: o.authored, encounterId: o.encounterId, practitionerId: o.practitionerId };
      const prior = firstByCondition.get(o.conditionId);
      if (prior === undefined || first.at < prior.at) firstByCondition.set(o.conditionId, first);
      // Running at the first prenatal visit: stopped there. Started during the pregnancy: never ordered.
      if (o.authored < from) next.push({ ...o, status: 'stopped', end: from, stopReason: drug.reason });
      // Running (in the course's plan) at the resume visit: ordered again there, to the course's own end.
      // (Not when the course itself changes it at that visit: the change is ordered there already.)
      if (w.resumeAt !== undefined && stop > until) {
        const authored = writtenAt(w.resumeAt);
        if (stop - authored >= MS_PER_DAY) added.push({ ...o, id: ids.next(), encounterId: w.resumeAt.id, practitionerId: w.resumeAt.practitionerId, authored });
      }
    }
    for (const [conditionId, first] of firstByCondition) {
      const replacement = pickReplacement(k, keyOf.get(conditionId), first.at, rng.fork('agent', conditionId, first.at));
      const medication = replacement === undefined ? undefined : eraChoice(replacement.medication, first.at);
      if (replacement === undefined || medication === undefined) continue;
      // Already taken (insulin with metformin): it simply continues.
      const same = next.filter((o) => o.medication.code === medication.code);
      if (same.some((o) => o.authored <= first.at && (o.end ?? Infinity) > first.at)) continue;
      const authored = first.encounterId === w.stopAt.id ? writtenAt(w.stopAt) : first.at;
      // The course's own order of the same drug, started while she is pregnant, takes over from it.
      const takeover = same.map((o) => o.authored).filter((t) => t > authored && t < until).sort((a, b) => a - b)[0];
      const stop = takeover ?? (w.resumeAt === undefined ? (inputs.died ? inputs.end : undefined) : until);
      added.push({
        id: ids.next(),
        medication,
        conditionId,
        encounterId: first.encounterId,
        practitionerId: first.practitionerId,
        authored,
        status: stop === undefined ? 'active' : 'stopped',
        end: stop,
        ...(stop !== undefined && takeover === undefined && w.resumeAt !== undefined ? { stopReason: replacement.reason } : {}),
      });
    }
    orders = [...next, ...added];
  }
  return orders;
}
