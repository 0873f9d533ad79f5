/**
 * Specialist pathways read off the chart the clinical course wrote: kidney failure (nephrology
 * referral at eGFR below 30, follow-up, then dialysis or a recorded decision for conservative care
 * below 15) and cancer (biopsy, oncology consult with the stage, surgery, chemotherapy, radiation
 * and endocrine therapy by stage, oncology follow-up to the end of the record). A pure function
 * returning its own resources; the caller merges them into the record.
 */
import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_YEAR, instantAtLocal, localClock, type Instant } from '../core/time.js';
import type { Rng } from '../core/random.js';
import { loadHospitalCare } from '../knowledge/hospital-care.js';
import { egfrCodes } from '../knowledge/labs.js';
import { loadPathways, type CancerPathway, type SpecialistVisit } from '../knowledge/pathways.js';
import type { Coding, ConditionEntry, Encounter, LabReport, Practitioner, ProcedureEntry, ConditionId, PractitionerId } from '../record/types.js';
import type { IdAllocator } from './ids.js';
import { specialistRole, type Site } from './providers.js';
import { clinicSlot } from './visits.js';

const SNOMED = 'http://snomed.info/sct';
const CONSULT: Coding = { system: SNOMED, code: '11429006', display: 'Consultation (procedure)' };
const FOLLOW_UP: Coding = { system: SNOMED, code: '390906007', display: 'Follow-up encounter (procedure)' };
const PROBLEM: Coding = { system: SNOMED, code: '185347001', display: 'Encounter for problem (procedure)' };

export interface PathwayInput {
  /** The clinic's time zone (clinic hours are local). */
  readonly zone: string;
  readonly conditions: readonly ConditionEntry[];
  readonly labReports: readonly LabReport[];
  /** End of the record (reference date or death). */
  readonly end: Instant;
  /** The certified cause of death and when, for deceased records. */
  readonly death: { readonly cause: string; readonly time: Instant } | undefined;
  /** The hospital whose specialists the patient is referred to. */
  readonly hospital: Site;
  /** True when [start, stop] overlaps an encounter already charted (an admission, a clinic visit): no specialist visit then. */
  readonly occupied: (start: Instant, stop: Instant) => boolean;
}

/** Days a specialist visit may slip past a clash (an admission, another visit) before it is dropped. */
const MAX_SLIP_DAYS = 60;

export interface PathwayRecords {
  readonly encounters: Encounter[];
  readonly procedures: ProcedureEntry[];
  /** New problem-list entries (dialysis dependence). */
  readonly conditions: ConditionEntry[];
  /** Stage recorded on a cancer diagnosis, by condition id. */
  readonly stages: Map<string, NonNullable<ConditionEntry['stage']>>;
  /** The specialists the pathways used, for the record's provider set. */
  readonly practitioners: Practitioner[];
  /** When a cancer's active treatment ends (the record's end while it is still under way), by condition id: no remission before it. */
  readonly treatedUntil: Map<string, Instant>;
  /** The CKD condition's code from the first dialysis on (ESRD: no stage from a later eGFR), by condition id. */
  readonly recoded: Map<string, Coding>;
  /** What each ambulatory visit is for, by encounter id (its vitals and labs, specialist-visits.ts). */
  readonly visits: Map<string, SpecialistVisit>;
}

class Chart {
  readonly out: PathwayRecords = { encounters: [], procedures: [], conditions: [], stages: new Map(), practitioners: [], treatedUntil: new Map(), recoded: new Map(), visits: new Map() };

  constructor(
    private readonly input: PathwayInput,
    readonly ids: IdAllocator,
    readonly rng: Rng,
  ) {}

  specialist(key: string): Practitioner {
    const p = this.input.hospital.staff.find((s) => s.role === specialistRole(key));
    if (p === undefined) throw new RangeError(`hospital has no ${key} specialist`);
    if (!this.out.practitioners.some((x) => x.id === p.id)) this.out.practitioners.push(p);
    return p;
  }

  days([lo, hi]: readonly [number, number]): number {
    return (lo + this.rng.next() * (hi - lo)) * MS_PER_DAY;
  }

  /**
   * True when [start, stop] overlaps a charted encounter or one of the pathways' own, or, for a
   * clinic visit, falls on the day of another pathway clinic visit: the hospital books one outpatient
   * visit a day (a nephrology and an oncology follow-up on one date would be one trip, booked apart).
   */
  private clashes(start: Instant, stop: Instant, outpatient = false): boolean {
    const day = localClock(this.input.zone, start).dayNumber;
    return (
      this.input.occupied(start, stop) ||
      this.out.encounters.some((e) => (start <= e.end && stop >= e.start) || (outpatient && e.class === 'AMB' && localClock(this.input.zone, e.start).dayNumber === day))
    );
  }

  /**
   * A visit with a specialist on `day` (clinic hours), moved a day on while it would fall inside an
   * admission or another visit; undefined when it falls after the record's end.
   */
  visit(day: Instant, type: Coding, specialty: string, reasonConditionId: ConditionId, extra: { nights?: number; referrerId?: PractitionerId; role?: SpecialistVisit } = {}): Encounter | undefined {
    let slot = clinicSlot(this.rng, day, this.input.zone);
    const outpatient = extra.nights === undefined || extra.nights === 0;
    // An elective admission arrives early on the day of surgery and goes home late morning (hospital-care.json
    // operationWard); the times come from their own stream keyed by the day, so the pathway's draws keep their order.
    const stay = (s: typeof slot): typeof slot => {
      const w = loadHospitalCare().operationWard;
      const { dayNumber } = localClock(this.input.zone, s.start);
      const times = this.rng.fork('elective-stay', dayNumber);
      const start = instantAtLocal(this.input.zone, dayNumber, Math.round(times.uniform(w.admissionLocalMinutes[0], w.admissionLocalMinutes[1]) / 5) * 5);
      const end = instantAtLocal(this.input.zone, dayNumber + extra.nights!, Math.round(times.uniform(w.dischargeLocalMinutes[0], w.dischargeLocalMinutes[1])));
      return { start, end };
    };
    const timed = (s: typeof slot): typeof slot => (outpatient ? s : stay(s));
    for (let slip = 1; this.clashes(timed(slot).start, timed(slot).end, outpatient) && slip <= MAX_SLIP_DAYS; slip++) slot = clinicSlot(this.rng, day + slip * MS_PER_DAY, this.input.zone);
    slot = timed(slot);
    const end = slot.end;
    if (end >= this.input.end || this.clashes(slot.start, end, outpatient)) return undefined;
    const p = this.specialist(specialty);
    const e: Encounter = {
      id: this.ids.next(),
      class: extra.nights !== undefined && extra.nights > 0 ? 'IMP' : 'AMB',
      type,
      start: slot.start,
      end,
      practitionerId: p.id,
      organizationId: this.input.hospital.organization.id,
      locationId: this.input.hospital.location.id,
      reason: undefined,
      reasonConditionId,
      ...(extra.referrerId === undefined ? {} : { referrerId: extra.referrerId }),
      // A planned surgical stay, booked from clinic, ends with discharge home.
      ...(extra.nights !== undefined && extra.nights > 0 ? { planned: true as const, dischargeDisposition: loadHospitalCare().dischargeDispositions.home } : {}),
    };
    this.out.encounters.push(e);
    if (extra.role !== undefined && e.class === 'AMB') this.out.visits.set(e.id, extra.role);
    return e;
  }

  procedure(e: Encounter, code: Coding, minutes: number, conditionId: ConditionId): void {
    // A planned operation starts once the preoperative labs are back (hospital-care.json operationWard).
    const start = e.start + (e.planned === true ? loadHospitalCare().operationWard.incisionAfterMinutes : 10) * MS_PER_MINUTE;
    this.out.procedures.push({
      id: this.ids.next(),
      code,
      encounterId: e.id,
      practitionerId: e.practitionerId,
      start,
      end: Math.min(start + minutes * MS_PER_MINUTE, e.end),
      reasonConditionId: conditionId,
    });
  }
}

function kidney(chart: Chart, input: PathwayInput): void {
  const k = loadPathways().kidney;
  const ckd = input.conditions.find((c) => c.key === k.condition);
  if (ckd === undefined) return;
  const egfrCode = egfrCodes();
  const egfr: { time: Instant; value: number }[] = [];
  for (const r of input.labReports) {
    if (r.time < ckd.recorded) continue;
    for (const x of r.results) if (egfrCode.has(x.code.code)) egfr.push({ time: r.time, value: x.value });
  }
  egfr.sort((a, b) => a.time - b.time);
  const low = egfr.find((e) => e.value < k.referral.belowEgfr);
  if (low === undefined) return;
  const consult = chart.visit(low.time + chart.days(k.referral.afterDays), CONSULT, k.referral.specialty, ckd.id, { referrerId: ckd.practitionerId, role: 'nephrology' });
  if (consult === undefined) return;
  const failing = egfr.find((e) => e.value < k.kidneyFailure.belowEgfr);
  const decision = failing === undefined ? Infinity : Math.max(consult.end, failing.time + chart.days(k.kidneyFailure.decisionAfterDays));
  let decided = false;
  for (let t = consult.start + k.followUpMonths * 30 * MS_PER_DAY; t < input.end; t += k.followUpMonths * 30 * MS_PER_DAY) {
    const due = !decided && t >= decision;
    const e = chart.visit(t, due ? PROBLEM : FOLLOW_UP, k.referral.specialty, ckd.id, { role: 'nephrology' });
    if (e === undefined) break;
    if (!due) continue;
    decided = true;
    let u = chart.rng.next();
    const option = k.kidneyFailure.options.find((o) => (u -= o.share) < 0) ?? k.kidneyFailure.options.at(-1)!;
    chart.procedure(e, option.procedure, option.kind === 'conservative' ? 30 : 240, ckd.id);
    if (option.dependence) {
      chart.out.recoded.set(ckd.id, k.endStage);
      chart.out.conditions.push({
        id: chart.ids.next(),
        key: 'dialysis-dependence',
        code: k.dependence,
        category: 'problem-list-item',
        onset: e.start,
        recorded: e.start,
        encounterId: e.id,
        practitionerId: e.practitionerId,
        clinicalStatus: 'active',
        abatement: undefined,
      });
    }
  }
}

function drawStage(chart: Chart, t: CancerPathway, c: ConditionEntry, input: PathwayInput): 1 | 2 | 3 | 4 {
  // What the record already says happened decides between the stages (Bayes with 5-year survival).
  const died = input.death !== undefined && input.death.cause === c.code.code && input.death.time - c.recorded < 5 * MS_PER_YEAR;
  const observed = input.end - c.recorded >= 5 * MS_PER_YEAR || died;
  const weights = t.stages.map((s) => s.share * (!observed ? 1 : died ? 1 - s.fiveYearSurvival : s.fiveYearSurvival));
  let u = chart.rng.next() * weights.reduce((a, b) => a + b, 0);
  const i = weights.findIndex((w) => (u -= w) < 0);
  return t.stages[i < 0 ? 3 : i]!.stage as 1 | 2 | 3 | 4;
}

function cancer(chart: Chart, input: PathwayInput, c: ConditionEntry, t: CancerPathway): void {
  // Until the plan below reaches its follow-up, treatment is under way when the record ends.
  chart.out.treatedUntil.set(c.id, input.end);
  const cancers = loadPathways().cancers;
  const biopsyVisit = chart.visit(c.recorded + chart.days([3, 14]), PROBLEM, t.biopsy.specialty, c.id, { role: 'biopsy' });
  if (biopsyVisit === undefined) return;
  chart.procedure(biopsyVisit, t.biopsy.procedure, 30, c.id);
  const consult = chart.visit(biopsyVisit.end + chart.days(cancers.consultAfterDays), CONSULT, cancers.oncologist, c.id, { referrerId: c.practitionerId, role: 'oncology-consult' });
  if (consult === undefined) return;
  const stage = drawStage(chart, t, c, input);
  chart.out.stages.set(c.id, { summary: cancers.stageCodes[String(stage) as '1']!, assessed: consult.start });
  const key = String(stage) as '1';
  let cursor = consult.end;
  let operated = false;
  const surgeries = (t.surgery?.options ?? []).filter((o) => o.stages.includes(stage));
  let u = chart.rng.next();
  const surgery = surgeries.find((o) => (u -= o.share) < 0);
  if (surgery !== undefined && t.surgery !== undefined) {
    const e = chart.visit(cursor + chart.days([14, 35]), PROBLEM, t.surgery.specialty, c.id, { nights: surgery.inpatientDays });
    if (e === undefined) return;
    chart.procedure(e, surgery.procedure, 120, c.id);
    cursor = e.end;
    operated = true;
  }
  const chemo = t.chemotherapy;
  if (chemo !== undefined && chart.rng.chance(chemo.byStage[key] ?? 0)) {
    const cycles = chart.rng.int(chemo.cycles[0], chemo.cycles[1]);
    let day = cursor + chart.days([21, 42]);
    for (let n = 0; n < cycles; n++, day += chemo.everyDays * MS_PER_DAY) {
      const e = chart.visit(day, PROBLEM, cancers.oncologist, c.id, { role: 'chemotherapy' });
      if (e === undefined) return;
      chart.procedure(e, cancers.modalities.chemotherapy, 180, c.id);
      cursor = e.end;
    }
  }
  const rt = t.radiation;
  if (rt !== undefined && !(rt.notAfterSurgery && operated) && chart.rng.chance(rt.byStage[key] ?? 0)) {
    const weeks = Math.round(rt.weeks[0] + chart.rng.next() * (rt.weeks[1] - rt.weeks[0]));
    let day = cursor + chart.days([14, 35]);
    for (let w = 0; w < weeks; w++, day += 7 * MS_PER_DAY) {
      const e = chart.visit(day, PROBLEM, cancers.radiationOncologist, c.id, { role: 'radiation' });
      if (e === undefined) return;
      chart.procedure(e, cancers.modalities.radiation, 20, c.id);
      cursor = e.end;
    }
  }
  chart.out.treatedUntil.set(c.id, cursor);
  const hormone = t.hormone;
  let first = true;
  const hormoneDue = hormone !== undefined && chart.rng.chance(hormone.byStage[key] ?? 0);
  // Oncology follow-up from the end of active treatment to the end of the record (survivorship, or death).
  for (let day = cursor + 30 * MS_PER_DAY; day < input.end; ) {
    const e = chart.visit(day, FOLLOW_UP, cancers.oncologist, c.id, { role: 'oncology-follow-up' });
    if (e === undefined) return;
    if (first && hormoneDue) chart.procedure(e, cancers.modalities.hormone, 15, c.id);
    first = false;
    const years = (e.start - c.recorded) / MS_PER_YEAR;
    const row = cancers.followUp.find((f) => years < f.untilYears) ?? cancers.followUp.at(-1)!;
    day = e.start + row.everyMonths * 30 * MS_PER_DAY;
  }
}

/** The pathways' encounters, procedures, findings and stages for one record. */
export function planPathways(input: PathwayInput, ids: IdAllocator, rng: Rng): PathwayRecords {
  const chart = new Chart(input, ids, rng);
  kidney(chart, input);
  const types = loadPathways().cancers.types;
  for (const c of input.conditions) {
    const t = types[c.key];
    if (t !== undefined && c.category === 'problem-list-item') cancer(chart, input, c, t);
  }
  return chart.out;
}
