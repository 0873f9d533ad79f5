/**
 * The medications an inpatient team orders at admission (data/inpatient-medications.yaml): per
 * stay, the regimen of its admission reason (IV furosemide for acute heart failure; aspirin,
 * heparin, atorvastatin and metoprolol for a myocardial infarction; ceftriaxone and azithromycin
 * for pneumonia; ...), VTE prophylaxis for any other medical stay and a planned operation. Each
 * slot takes its first alternative that the stay's date allows (enoxaparin from 1998, else heparin)
 * and the patient's recorded allergies and latest eGFR do not rule out (the check outpatient orders
 * use; enoxaparin below its eGFR floor gives way to subcutaneous heparin) and that is given at the
 * patient's age (a child's entry dosed by the weight charted before the orders); a slot with none
 * is left out. After thrombolysis the antithrombotics start a day later. The orders run from the admission orders to discharge, completed then (or
 * stopped at a death in the stay). A pure function of the stays; ids from the step's own allocator.
 */
import { conflictingAllergen, type KnownAllergy } from '../knowledge/drug-allergies.js';
import { inpatientDrug, loadInpatientMedications, regimenFor, type InpatientDrug, type InpatientMedications } from '../knowledge/inpatient-medications.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import { egfrCodes } from '../knowledge/labs.js';
import type { Encounter, LabReport, MedicationOrder, ProcedureEntry, VitalSign } from '../record/types.js';
import type { StepFragment } from './fragment.js';
import type { IdAllocator } from './ids.js';

/** What the ward orders read from the chart. */
export interface WardOrderInputs {
  /** The inpatient stays (acute episodes, chronic-disease admissions, planned operations), not delivery stays. */
  readonly stays: readonly Encounter[];
  readonly allergies: readonly KnownAllergy[];
  /** The chart's lab reports (the ward's included): the latest eGFR by an order's time rules out a drug below its floor. */
  readonly labReports: readonly LabReport[];
  /** The chart's vital signs: a child's dose goes by the weight taken before the orders (the emergency visit's, the ward's). */
  readonly vitals: readonly VitalSign[];
  /** Birth: each drug is ordered only at its ages (adult doses from 18; VTE prophylaxis for adults only). */
  readonly birthTime: Instant;
  /** The chart's procedures: after thrombolysis the antithrombotics wait (AHA/ASA 2019). */
  readonly procedures: readonly ProcedureEntry[];
  /** End of the record: a stay still running then keeps its orders active (or stopped at a death). */
  readonly end: Instant;
  readonly died: boolean;
  readonly ids: IdAllocator;
}

/** The admission orders of every inpatient stay, in the order of the stays. */
export function chartWardOrders(inputs: WardOrderInputs, k: InpatientMedications = loadInpatientMedications()): StepFragment<'wardOrders'> {
  const medications: MedicationOrder[] = [];
  const egfr = egfrCodes();
  const egfrs = inputs.labReports.flatMap((r) => r.results.filter((x) => egfr.has(x.code.code)).map((x) => ({ time: r.time, value: x.value }))).sort((a, b) => a.time - b.time);
  /** The latest eGFR drawn by `t` (the admission labs count: orders are written an hour in). */
  const egfrAt = (t: Instant) => egfrs.findLast((e) => e.time <= t)?.value;
  const weights = inputs.vitals.filter((v) => v.kind === 'bodyWeight').sort((a, b) => a.time - b.time);
  /** The weight taken in the week before the orders (a child's admission is weighed in the emergency department or on the ward). */
  const weightAt = (t: Instant) => weights.findLast((w) => w.time <= t && w.time > t - WEIGHT_WINDOW_DAYS * MS_PER_DAY)?.value;
  for (const stay of [...inputs.stays].sort((a, b) => a.start - b.start)) {
    const conditionId = stay.reasonConditionId;
    if (conditionId === undefined) continue;
    const authored = Math.min(stay.start + k.ordersAfterMinutes * MS_PER_MINUTE, stay.end);
    const { slots } = regimenFor(stay.reason?.code, stay.planned === true, k);
    const terminal = stay.dischargeDisposition?.code === 'exp' || (inputs.died && stay.end >= inputs.end);
    const running = stay.end > inputs.end;
    const age = (authored - inputs.birthTime) / MS_PER_YEAR;
    // Thrombolysis in the day before the orders (in the emergency department that admitted her) holds the antithrombotics.
    const hold = k.afterThrombolysis;
    const lysed = inputs.procedures.findLast((p) => hold.procedures.includes(p.code.code) && p.start <= authored && p.start > authored - hold.holdHours * MS_PER_HOUR);
    const heldUntil = lysed === undefined ? undefined : lysed.start + hold.holdHours * MS_PER_HOUR;
    const weightKg = weightAt(authored);
    for (const slot of slots) {
      const key = slot.find((d) => {
        const drug = inpatientDrug(d, k);
        if (age < (drug.minAgeYears ?? 0) || age >= (drug.maxAgeYears ?? Infinity)) return false;
        // A child's dose needs a charted weight; without one the slot's next alternative is taken.
        if (drug.byWeight !== undefined && weightKg === undefined) return false;
        const from = drug.from === undefined ? -Infinity : Date.parse(`${drug.from}T00:00:00Z`);
        const kidney = drug.minEgfr === undefined ? undefined : egfrAt(authored);
        if (kidney !== undefined && kidney < drug.minEgfr!) return false;
        return authored >= from && conflictingAllergen(drug.medication.code, inputs.allergies, authored) === undefined;
      });
      if (key === undefined) continue;
      const drug = inpatientDrug(key, k);
      const start = heldUntil !== undefined && hold.drugs.includes(key) ? heldUntil : authored;
      // Held past discharge, or past the end of the record: not ordered.
      if (start >= stay.end || start > inputs.end) continue;
      const dose = drug.byWeight === undefined ? { value: drug.dose.value, text: drug.text } : weightDose(drug, weightKg!);
      medications.push({
        id: inputs.ids.next(),
        medication: drug.medication,
        conditionId,
        encounterId: stay.id,
        practitionerId: stay.practitionerId,
        authored: start,
        status: running && !inputs.died ? 'active' : terminal ? 'stopped' : 'completed',
        end: running && !inputs.died ? undefined : Math.min(stay.end, inputs.end),
        ...(terminal ? { stopReason: 'Patient died in hospital' } : {}),
        inpatient: { value: dose.value, unit: drug.dose.unit, route: k.routes[drug.route]!, everyHours: drug.everyHours, text: dose.text },
      });
    }
  }
  return { medications };
}

/** How far back a charted weight still doses a child's admission orders. */
const WEIGHT_WINDOW_DAYS = 7;

/** A child's dose: mg/kg of the charted weight, rounded to the entry's step, capped at the adult dose (`{basis}` names which). */
function weightDose(drug: InpatientDrug, weightKg: number): { value: number; text: string } {
  const w = drug.byWeight!;
  const byKg = Math.max(w.roundMg, Math.round((w.mgPerKg * weightKg) / w.roundMg) * w.roundMg);
  const mg = Math.min(drug.dose.value, byKg);
  // At the cap the order says so: "1,000 mg (50 mg/kg)" for a 60 kg teenager would misstate the dose.
  const basis = byKg > drug.dose.value ? 'the maximum dose' : `${w.mgPerKg} mg/kg`;
  return { value: mg, text: drug.text.replaceAll('{mg}', mg.toLocaleString('en-US')).replaceAll('{basis}', basis) };
}
