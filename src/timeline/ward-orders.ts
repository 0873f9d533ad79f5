/**
 * The medications an inpatient team orders at admission (data/inpatient-medications.yaml): per
 * stay, the regimen of its admission reason (IV furosemide for acute heart failure; aspirin,
 * heparin, atorvastatin and metoprolol for a myocardial infarction; ceftriaxone and azithromycin
 * for pneumonia; ...), VTE prophylaxis for any other medical stay and a planned operation. Each
 * slot takes its first alternative that the stay's date allows (enoxaparin from 1998, else heparin)
 * and the patient's recorded allergies and latest eGFR do not rule out (the check outpatient orders
 * use; enoxaparin below its eGFR floor gives way to subcutaneous heparin); a slot
 * with none is left out. The orders run from the admission orders to discharge, completed then (or
 * stopped at a death in the stay). A pure function of the stays; ids from the step's own allocator.
 */
import { conflictingAllergen, type KnownAllergy } from '../knowledge/drug-allergies.js';
import { inpatientDrug, loadInpatientMedications, regimenFor, type InpatientMedications } from '../knowledge/inpatient-medications.js';
import { MS_PER_MINUTE, type Instant } from '../core/time.js';
import { egfrCodes } from '../knowledge/labs.js';
import type { Encounter, LabReport, MedicationOrder } from '../record/types.js';
import type { StepFragment } from './fragment.js';
import type { IdAllocator } from './ids.js';

/** What the ward orders read from the chart. */
export interface WardOrderInputs {
  /** The inpatient stays (acute episodes, chronic-disease admissions, planned operations), not delivery stays. */
  readonly stays: readonly Encounter[];
  readonly allergies: readonly KnownAllergy[];
  /** The chart's lab reports (the ward's included): the latest eGFR by an order's time rules out a drug below its floor. */
  readonly labReports: readonly LabReport[];
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
  for (const stay of [...inputs.stays].sort((a, b) => a.start - b.start)) {
    const conditionId = stay.reasonConditionId;
    if (conditionId === undefined) continue;
    const authored = Math.min(stay.start + k.ordersAfterMinutes * MS_PER_MINUTE, stay.end);
    const { slots } = regimenFor(stay.reason?.code, stay.planned === true, k);
    const terminal = stay.dischargeDisposition?.code === 'exp' || (inputs.died && stay.end >= inputs.end);
    const running = stay.end > inputs.end;
    for (const slot of slots) {
      const key = slot.find((d) => {
        const drug = inpatientDrug(d, k);
        const from = drug.from === undefined ? -Infinity : Date.parse(`${drug.from}T00:00:00Z`);
        const kidney = drug.minEgfr === undefined ? undefined : egfrAt(authored);
        if (kidney !== undefined && kidney < drug.minEgfr!) return false;
        return authored >= from && conflictingAllergen(drug.medication.code, inputs.allergies, authored) === undefined;
      });
      if (key === undefined) continue;
      const drug = inpatientDrug(key, k);
      medications.push({
        id: inputs.ids.next(),
        medication: drug.medication,
        conditionId,
        encounterId: stay.id,
        practitionerId: stay.practitionerId,
        authored,
        status: running && !inputs.died ? 'active' : terminal ? 'stopped' : 'completed',
        end: running && !inputs.died ? undefined : Math.min(stay.end, inputs.end),
        ...(terminal ? { stopReason: 'Patient died in hospital' } : {}),
        inpatient: { value: drug.dose.value, unit: drug.dose.unit, route: k.routes[drug.route]!, everyHours: drug.everyHours, text: drug.text },
      });
    }
  }
  return { medications };
}
