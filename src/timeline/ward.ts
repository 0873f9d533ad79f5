/**
 * The ward chart of the stays that are charted outside the hospital-stays module: admissions for an
 * acute illness (pneumonia, appendicitis, COVID-19, influenza) and delivery admissions. An acute
 * admission gets a CBC and BMP on arrival on the ward and each hospital morning, from the patient's
 * own physiology moved by the illness (pneumonia: WBC high, then falling by discharge), and nursing
 * vitals every few hours the first day and every shift after, from the patient's own resting values
 * for their age with the arrival's illness on top, fading by discharge; a delivery
 * gets a CBC on admission and a hemoglobin and hematocrit on postpartum day 1, lower after a
 * cesarean than after a vaginal birth, and nursing vitals at the same cadence, her own resting
 * values (the blood pressure of pre-eclampsia when she had it; pregnancy.yaml `deliveryVitals`). A
 * planned cancer operation gets preoperative labs and a type and screen, postoperative morning labs
 * and nursing vitals (hospital-care.json `operationWard`). Data: hospital-care.json `acuteWard` and pregnancy.yaml
 * `deliveryWard`, sources named there. Every draw comes from the ward's own streams and ids, so the
 * rest of the chart is unchanged.
 */
import { loadHospitalCare } from '../knowledge/hospital-care.js';
import { labKeyOfCode, loadLabs, type LabDraw, type LabKey } from '../knowledge/labs.js';
import { loadPregnancy } from '../knowledge/pregnancy.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { Rng } from '../core/random.js';
import type { BloodPressure, Encounter, LabReport, LabResult, MedicationOrder, ProcedureEntry, VitalKind, VitalSign } from '../record/types.js';
import { eraChoice } from '../knowledge/availability.js';
import { measure, type Body } from './body.js';
import type { RecordFragment, StepFragment } from './fragment.js';
import type { IdAllocator } from './ids.js';
import { drawLabValue, drawLinkedCbc, labResult, roundLab, shiftLabResult, type LabSubject } from './lab-draw.js';
import type { PanelKey } from './lab-values.js';

/** Delivery-stay results are reported against the pregnancy interval where their lab has one. */
const PREGNANT: LabSubject = { sex: 'female', pregnant: true };

/** No ward draw this close to discharge: its result would be issued after the patient left. */
const BEFORE_DISCHARGE_MS = 2 * MS_PER_HOUR;
/** A morning draw this soon after the admission panels would repeat them. */
const AFTER_ADMISSION_MS = 6 * MS_PER_HOUR;

/** What the ward charts need from the life. */
export interface WardInputs {
  /** The acute episodes as charted (their encounters, diagnoses and emergency-department labs). */
  readonly episodes: RecordFragment;
  /** The pregnancy records (delivery admissions and their deliveries). */
  readonly pregnancy: RecordFragment;
  /** The specialist pathways' encounters and procedures (planned operation stays and their operations). */
  readonly operations: RecordFragment;
  /** The patient's own panel at a time (`ClinicalCourse.wardPanels`), ids from the ward's allocator. */
  readonly draw: (panel: PanelKey, at: Instant) => LabResult[];
  /** The ward's own stream (forked per stay). */
  readonly rng: Rng;
  /** The ward's own ids, one allocator per kind of stay. */
  readonly ids: { readonly acute: IdAllocator; readonly delivery: IdAllocator; readonly deliveryVitals: IdAllocator; readonly operation: IdAllocator };
  /** The patient's body: resting vitals for their age (a child's blood pressure is a child's). */
  readonly body: Body;
  readonly birthTime: Instant;
  /** End of the record (reference date or death): a discharge course still running then is active, or stopped at a death. */
  readonly end: Instant;
  readonly died: boolean;
}

type MeanSd = { readonly mean: number; readonly sd: number };

const minute = (t: Instant): Instant => Math.round(t / MS_PER_MINUTE) * MS_PER_MINUTE;
const roundTo = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** The ward chart of every acute-illness, delivery and planned-operation admission, in the order the stays were charted. */
export function chartWards(inputs: WardInputs): StepFragment<'ward'> {
  const labReports: LabReport[] = [];
  const vitals: VitalSign[] = [];
  const bloodPressures: BloodPressure[] = [];
  const acute = (inputs.episodes.encounters ?? []).filter((e) => e.class === 'IMP');
  acute.forEach((stay, i) => {
    labReports.push(...acuteWard(stay, inputs, inputs.rng.fork('acute', i)));
    nursingVitals(stay, inputs, inputs.ids.acute, inputs.rng.fork('acute-vitals', i), vitals, bloodPressures);
  });
  const dv = loadPregnancy().deliveryVitals;
  (inputs.pregnancy.deliveries ?? []).forEach((d, i) => {
    const stay = (inputs.pregnancy.encounters ?? []).find((e) => e.id === d.encounterId);
    if (stay === undefined) return;
    labReports.push(...deliveryWard(stay, d.time, d.method, inputs.ids.delivery, inputs.rng.fork('delivery', i)));
    // Pre-eclampsia (resolved at this birth) keeps her pressure at its level on the ward.
    const preeclampsia = (inputs.pregnancy.conditions ?? []).some((c) => c.key === 'preeclampsia' && c.abatement === d.time);
    const rng = inputs.rng.fork('delivery-vitals', i);
    const floor = preeclampsia ? { systolic: dv.preeclampsiaSystolic, diastolic: dv.preeclampsiaDiastolic } : undefined;
    nursingVitals(stay, inputs, inputs.ids.deliveryVitals, rng, vitals, bloodPressures, floor);
  });
  // Last, so the draws above keep their result ids and noise.
  const procedures: ProcedureEntry[] = [];
  const operated = (inputs.operations.encounters ?? []).filter((e) => e.class === 'IMP' && e.planned === true);
  operated.forEach((stay, i) => {
    const rng = inputs.rng.fork('operation', i);
    labReports.push(...operationWard(stay, inputs, rng, procedures));
    nursingVitals(stay, inputs, inputs.ids.operation, rng.fork('vitals'), vitals, bloodPressures);
  });
  const medications = operated.flatMap((stay) => dischargeAnalgesia(stay, inputs));
  return { labReports, vitals, bloodPressures, procedures, medications };
}

/**
 * The analgesic courses written at discharge from a planned operation (`operationWard.dischargeAnalgesia`):
 * each drug of its era, for the course of the discharge's date, ordered half an hour before the patient leaves.
 */
function dischargeAnalgesia(stay: Encounter, inputs: WardInputs): MedicationOrder[] {
  const w = loadHospitalCare().operationWard;
  const reason = stay.reasonConditionId;
  if (reason === undefined) return [];
  const authored = stay.end - 30 * MS_PER_MINUTE;
  const out: MedicationOrder[] = [];
  for (const a of w.dischargeAnalgesia) {
    const medication = eraChoice(a.medication, authored);
    if (medication === undefined || out.some((o) => o.medication.code === medication.code)) continue;
    const before = a.courseDaysBefore;
    const days = before !== undefined && authored < Date.parse(`${before.date}T00:00:00Z`) ? before.courseDays : a.courseDays;
    const courseEnd = authored + days * MS_PER_DAY;
    const finished = courseEnd <= inputs.end;
    out.push({
      id: inputs.ids.operation.next(),
      medication,
      conditionId: reason,
      encounterId: stay.id,
      practitionerId: stay.practitionerId,
      authored,
      status: finished ? 'completed' : inputs.died ? 'stopped' : 'active',
      end: finished ? courseEnd : inputs.died ? inputs.end : undefined,
      courseDays: days,
    });
  }
  return out;
}

/**
 * A planned operation stay: the preoperative CBC and BMP and a type and screen on arrival, back
 * before the incision, then a CBC and BMP each morning after the operation, the patient's own values
 * with the operation's blood loss (kept) and its stress leukocytosis and hyperglycemia (fading by
 * discharge). The stay's first Procedure is the operation.
 */
function operationWard(stay: Encounter, inputs: WardInputs, rng: Rng, procedures: ProcedureEntry[]): LabReport[] {
  const w = loadHospitalCare().operationWard;
  const labs = loadLabs();
  const operation = (inputs.operations.procedures ?? []).find((p) => p.encounterId === stay.id);
  const keyOf = new Map(Object.entries(labs.labs).map(([k, l]) => [l.code.code, k as LabKey]));
  const preop = minute(stay.start + rng.uniform(w.preoperativeDrawMinutes[0], w.preoperativeDrawMinutes[1]) * MS_PER_MINUTE);
  if (preop >= stay.end - BEFORE_DISCHARGE_MS) return [];
  const reason = stay.reasonConditionId;
  if (reason !== undefined) procedures.push({ id: inputs.ids.operation.next(), code: w.typeAndScreen, category: w.typeAndScreenCategory, encounterId: stay.id, practitionerId: stay.practitionerId, start: preop, end: preop, reasonConditionId: reason });
  const incision = operation?.start ?? stay.start;
  const afterOperation = operation?.end ?? incision;
  const span = Math.max(1, stay.end - afterOperation);
  const hgb = labs.labs.hemoglobin.code.code;
  const hct = labs.labs.hematocrit.code.code;
  const out: LabReport[] = [];
  for (const t of [preop, ...mornings(stay, afterOperation)]) {
    const postoperative = t > afterOperation;
    const fade = postoperative ? Math.max(0, 1 - (t - afterOperation) / span) : 0;
    for (const panel of w.panels) {
      const drawn = inputs.draw(panel, t);
      // The hematocrit falls with the hemoglobin it is about three times (the draw's own ratio).
      const hgbValue = drawn.find((r) => r.code.code === hgb)?.value;
      const hctValue = drawn.find((r) => r.code.code === hct)?.value;
      const hctLoss = hgbValue === undefined || hctValue === undefined ? 0 : (w.bloodLossHemoglobin * hctValue) / hgbValue;
      const results = drawn.map((r) => {
        if (!postoperative) return r;
        const k = keyOf.get(r.code.code);
        const by = (k === undefined ? 0 : (w.postoperativeShifts[k] ?? 0) * fade) + (r.code.code === hgb ? w.bloodLossHemoglobin : r.code.code === hct ? hctLoss : 0);
        return shiftLabResult(r, k, by, 0.1);
      });
      out.push({ id: inputs.ids.operation.next(), code: labs.panels[panel].code, encounterId: stay.id, practitionerId: stay.practitionerId, time: t, results });
    }
  }
  return out;
}

const NURSING_KINDS = ['heartRate', 'respiratoryRate', 'oxygenSaturation', 'bodyTemperature'] as const satisfies readonly VitalKind[];

/**
 * Nursing vitals of an acute admission, at the cadence of `inpatientCare` (every 4 h the first day,
 * every shift after): each reading the patient's own resting value for their age, plus the
 * difference the emergency department found on arrival (fever, tachycardia, tachypnea, low SpO2),
 * fading linearly to nothing by discharge. Blood pressure is the patient's own for their age (none
 * under the age the physiology measures it), so a child's reads as a child's.
 */
function nursingVitals(
  stay: Encounter,
  inputs: WardInputs,
  ids: IdAllocator,
  rng: Rng,
  vitals: VitalSign[],
  bloodPressures: BloodPressure[],
  bpFloor?: { readonly systolic: MeanSd; readonly diastolic: MeanSd },
): void {
  const w = loadHospitalCare().inpatientCare;
  // A delivery has no emergency visit (its reason is the pregnancy): its vitals are her own.
  const ed = stay.type.code === loadPregnancy().codes.deliveryAdmission.code ? undefined : (inputs.episodes.encounters ?? []).find((e) => e.class === 'EMER' && e.reasonConditionId === stay.reasonConditionId && e.end <= stay.start);
  const arrival = new Map<VitalKind, number>();
  for (const v of inputs.episodes.vitals ?? []) if (ed !== undefined && v.encounterId === ed.id) arrival.set(v.kind, v.value);
  const edAge = ed === undefined ? undefined : (ed.start - inputs.birthTime) / MS_PER_YEAR;
  // The patient's own values on the day of arrival, against which the ED's illness is measured.
  const ownAtArrival = edAge === undefined ? undefined : measure(inputs.body, edAge, rng.fork('arrival'));
  const span = Math.max(1, stay.end - stay.start);
  for (let t = stay.start + w.firstDayEveryHours * MS_PER_HOUR; t < stay.end; ) {
    const fade = Math.max(0, 1 - (t - stay.start) / span);
    const own = measure(inputs.body, (t - inputs.birthTime) / MS_PER_YEAR, rng);
    const ownOf = { heartRate: own.heartRate, respiratoryRate: own.respiratoryRate, oxygenSaturation: own.spo2, bodyTemperature: own.temperatureC };
    const atArrival = ownAtArrival === undefined ? undefined : { heartRate: ownAtArrival.heartRate, respiratoryRate: ownAtArrival.respiratoryRate, oxygenSaturation: ownAtArrival.spo2, bodyTemperature: ownAtArrival.temperatureC };
    for (const kind of NURSING_KINDS) {
      const sick = arrival.get(kind);
      const illness = sick === undefined || atArrival === undefined ? 0 : sick - atArrival[kind];
      const raw = ownOf[kind] + illness * fade;
      const value = kind === 'bodyTemperature' ? roundTo(raw, 1) : kind === 'oxygenSaturation' ? Math.min(100, Math.round(raw)) : Math.round(raw);
      vitals.push({ id: ids.next(), kind, encounterId: stay.id, time: t, value });
    }
    if (own.systolic !== undefined && own.diastolic !== undefined) {
      const systolic = bpFloor === undefined ? own.systolic : Math.max(own.systolic, Math.round(rng.normal(bpFloor.systolic.mean, bpFloor.systolic.sd)));
      const diastolic = bpFloor === undefined ? own.diastolic : Math.max(own.diastolic, Math.round(rng.normal(bpFloor.diastolic.mean, bpFloor.diastolic.sd)));
      bloodPressures.push({ id: ids.next(), encounterId: stay.id, time: t, systolic, diastolic });
    }
    t += (t - stay.start < MS_PER_DAY ? w.firstDayEveryHours : w.everyHours) * MS_PER_HOUR;
  }
}

/** The hospital mornings of a stay after its admission draw, each far enough from discharge. */
function mornings(stay: Encounter, admissionDraw: Instant): Instant[] {
  const hour = loadHospitalCare().inpatientCare.morningLabsHourUtc;
  const out: Instant[] = [];
  for (let t = Math.floor(stay.start / MS_PER_DAY) * MS_PER_DAY + hour * MS_PER_HOUR; t < stay.end - BEFORE_DISCHARGE_MS; t += MS_PER_DAY) {
    if (t >= admissionDraw + AFTER_ADMISSION_MS) out.push(t);
  }
  return out;
}

/**
 * One acute admission: the admission panels, then each morning's, every value the patient's own plus
 * the illness's shift, which fades linearly to nothing by discharge. An analyte the emergency
 * department already counted starts from that count instead (one patient, one WBC an hour apart).
 */
function acuteWard(stay: Encounter, inputs: WardInputs, rng: Rng): LabReport[] {
  const w = loadHospitalCare().acuteWard;
  const labs = loadLabs();
  const conditions = inputs.episodes.conditions ?? [];
  const key = conditions.find((c) => c.id === stay.reasonConditionId)?.key;
  const shift: Partial<Record<LabKey, number>> = { ...(key === undefined ? {} : w.labShifts[key]) };
  // The emergency visit that led to the stay: its results by analyte.
  const ed = (inputs.episodes.encounters ?? []).find((e) => e.class === 'EMER' && e.reasonConditionId === stay.reasonConditionId && e.end <= stay.start);
  const edValues = new Map<LabKey, number>();
  for (const r of inputs.episodes.labReports ?? []) {
    if (ed === undefined || r.encounterId !== ed.id) continue;
    for (const x of r.results) {
      const k = labKeyOfCode(x.code.code);
      if (k !== undefined) edValues.set(k, x.value);
    }
  }
  const admission = minute(stay.start + rng.uniform(w.admissionDrawHours[0], w.admissionDrawHours[1]) * MS_PER_HOUR);
  if (admission >= stay.end - BEFORE_DISCHARGE_MS) return [];
  const span = stay.end - stay.start;
  const out: LabReport[] = [];
  for (const t of [admission, ...mornings(stay, admission)]) {
    const fade = Math.max(0, 1 - (t - stay.start) / span);
    for (const panel of w.panels) {
      const drawn = inputs.draw(panel, t);
      if (t === admission) {
        for (const r of drawn) {
          const k = labKeyOfCode(r.code.code);
          const anchorSd = k === undefined ? undefined : w.emergencyAnchorSd[k as keyof typeof w.emergencyAnchorSd];
          const edValue = k === undefined ? undefined : edValues.get(k);
          if (k !== undefined && anchorSd !== undefined && edValue !== undefined) shift[k] = (edValue + rng.normal(0, anchorSd) - r.value) / fade;
        }
      }
      const results = drawn.map((r) => {
        const k = labKeyOfCode(r.code.code);
        const by = k === undefined ? undefined : shift[k];
        return shiftLabResult(r, k, by === undefined ? undefined : by * fade, 0.1);
      });
      out.push({ id: inputs.ids.acute.next(), code: labs.panels[panel].code, encounterId: stay.id, practitionerId: stay.practitionerId, time: t, results });
    }
  }
  return out;
}

/**
 * One delivery admission: the admission CBC (third-trimester values, hematocrit following the
 * hemoglobin), then the postpartum day-1 hemoglobin and hematocrit, the hemoglobin lower by the
 * drop of the delivery method.
 */
function deliveryWard(stay: Encounter, delivered: Instant, method: 'vaginal' | 'cesarean', ids: IdAllocator, rng: Rng): LabReport[] {
  const k = loadPregnancy();
  const w = k.deliveryWard;
  const cbc = k.labs.cbc;
  const hgb = cbc.results.find((r) => r.lab === 'hemoglobin');
  const hct = cbc.results.find((r) => r.lab === 'hematocrit');
  if (hgb === undefined || hct === undefined) return [];
  const admission = minute(Math.min(stay.start + rng.uniform(w.admissionDrawHours.min, w.admissionDrawHours.max) * MS_PER_HOUR, delivered - 30 * MS_PER_MINUTE));
  const values = drawLinkedCbc(cbc.results, rng, w.hematocritSd);
  const hemoglobin = values[cbc.results.indexOf(hgb)]!;
  const admissionResults = cbc.results.map((r, i) => labResult(r.lab, values[i]!, ids, PREGNANT));
  const out: LabReport[] = [{ id: ids.next(), code: loadLabs().panels[cbc.panel].code, encounterId: stay.id, practitionerId: stay.practitionerId, time: admission, results: admissionResults }];
  // Postpartum day 1: the first ward morning after the birth, sooner on a short stay (before discharge).
  const hour = loadHospitalCare().inpatientCare.morningLabsHourUtc;
  const earliest = delivered + w.postpartumAfterHours * MS_PER_HOUR;
  let t = Math.floor(earliest / MS_PER_DAY) * MS_PER_DAY + hour * MS_PER_HOUR;
  if (t < earliest) t += MS_PER_DAY;
  t = Math.min(t, minute(stay.end - BEFORE_DISCHARGE_MS - MS_PER_HOUR));
  if (t <= delivered + MS_PER_HOUR) return out;
  const drop = w.hemoglobinDrop[method];
  const after = roundLab('hemoglobin', Math.max(hgb.min ?? 0, hemoglobin - Math.max(-0.3, rng.normal(drop.mean, drop.sd))));
  const admittedHct = admissionResults[cbc.results.indexOf(hct)]!.value;
  const afterHct = (after * admittedHct) / hemoglobin + rng.normal(0, w.hematocritSd / 2);
  const id = ids.next();
  out.push({ id, code: w.postpartumPanel, encounterId: stay.id, practitionerId: stay.practitionerId, time: t, results: [labResult('hemoglobin', after, ids, PREGNANT), labResult('hematocrit', afterHct, ids, PREGNANT)] });
  return out;
}
