/**
 * The chart side of planned hospital episodes: an emergency visit (EMER) at a hospital, and for
 * admitted episodes an inpatient stay (IMP) with its length of stay and discharge disposition;
 * the chronic condition diagnosed there if it was not yet, the episode's own encounter diagnosis,
 * arrival vitals and the procedures done. Fed in time order, interleaved with clinic visits.
 */
import type { AcuteEpisode } from '../knowledge/conditions.js';
import { loadHospitalCare } from '../knowledge/hospital-care.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { LabKey } from '../knowledge/labs.js';
import type { BloodPressure, Coding, Encounter, ProcedureEntry, VitalKind, VitalSign, ConditionId, EncounterId, PractitionerId } from '../record/types.js';
import { DISPOSITION_OF, isAdmitted, type PlannedExacerbation } from './exacerbations.js';
import type { ClinicalCourse } from './clinical-course.js';
import type { StepFragment } from './fragment.js';
import type { IdAllocator } from './ids.js';
import type { ProviderSetBuilder } from './provider-set.js';
import type { Role, Site } from './providers.js';
import type { Rng } from '../core/random.js';
import { bloodPressureReading, heightAt, weightAt, type Body } from './body.js';

const VITAL_KINDS: readonly (keyof AcuteEpisode['vitals'] & VitalKind)[] = ['oxygenSaturation', 'heartRate', 'respiratoryRate'];

/** What the hospital stays need from the rest of the life. */
export interface HospitalStayOptions {
  /** The planned episodes, in arrival order. */
  readonly episodes: readonly PlannedExacerbation[];
  /** End of the record (reference date or death); stays must be over by then. */
  readonly end: Instant;
  readonly hospital: Site;
  readonly ids: IdAllocator;
  readonly rng: Rng;
  /** Diagnoses made in hospital join the chronic course (and treatment there prevents exacerbations). */
  readonly clinical: ClinicalCourse;
  readonly providers: ProviderSetBuilder;
  /** The patient's body and birth: arrival weight and blood pressure are the person's own. */
  readonly body: Body;
  readonly birthTime: Instant;
}

/** The items of the stays charted by one {@link HospitalStays.until} call. */
interface Charted {
  readonly encounters: Encounter[];
  readonly vitals: VitalSign[];
  readonly bloodPressures: BloodPressure[];
  readonly procedures: ProcedureEntry[];
}

/**
 * Charts the planned hospital episodes as the clinic visits reach them, so a visit can tell whether
 * the patient is in hospital that day.
 */
export class HospitalStays {
  private next = 0;
  /** Stays charted so far: [arrival, discharge]. */
  private readonly stays: [Instant, Instant][] = [];

  constructor(private readonly o: HospitalStayOptions) {}

  /** True when [start, stop] overlaps a charted stay (a clinic visit cannot happen then). */
  occupied(start: Instant, stop: Instant): boolean {
    return this.stays.some(([a, b]) => start <= b && stop >= a);
  }

  /** The discharge of the charted stay overlapping [start, stop], if one does. */
  dischargeOf(start: Instant, stop: Instant): Instant | undefined {
    return this.stays.find(([a, b]) => start <= b && stop >= a)?.[1];
  }

  /** The fatal episode's admission, once charted. */
  deathEncounter: Encounter | undefined = undefined;

  /**
   * Charts every planned episode arriving before `before`, in order, and returns their encounters,
   * arrival vitals and procedures (their diagnoses go to the clinical course).
   */
  until(before: Instant): StepFragment<'lateStays'> {
    const out: Charted = { encounters: [], vitals: [], bloodPressures: [], procedures: [] };
    while (this.next < this.o.episodes.length && this.o.episodes[this.next]!.arrive < before) {
      this.chart(this.o.episodes[this.next++]!, out);
    }
    return out;
  }

  private staff(role: Role): Site['staff'][number] {
    const doctor = this.o.rng.pick(this.o.hospital.staff.filter((p) => p.role === role));
    this.o.providers.add(this.o.hospital, doctor);
    return doctor;
  }

  private chart(p: PlannedExacerbation, out: Charted): void {
    const e = p.episode;
    if (p.discharge > this.o.end) return; // still under way at the end of the record
    const key = p.module.key;
    // Treatment prevents some exacerbations (never a fatal event: the death was already drawn).
    if (p.outcome !== 'died' && e.treatedRateRatio < 1 && p.keep >= e.treatedRateRatio && this.o.clinical.isTreated(key)) return;
    const care = loadHospitalCare();
    const edDoctor = this.staff('emergency');
    const base = {
      organizationId: this.o.hospital.organization.id,
      locationId: this.o.hospital.location.id,
    };
    const ed: Encounter = {
      id: this.o.ids.next(),
      class: 'EMER',
      type: care.encounterTypes.emergency,
      start: p.arrive,
      end: p.edEnd,
      practitionerId: edDoctor.id,
      ...base,
      reason: e.diagnosis ?? p.module.code,
    };
    out.encounters.push(ed);
    const conditionId = this.o.clinical.diagnoseAt(key, ed);
    let episodeId: ConditionId | undefined;
    if (e.diagnosis !== undefined) {
      episodeId = this.o.ids.next<ConditionId>();
      const resolved = p.discharge + e.resolvesAfterDays * MS_PER_DAY;
      const closed = p.outcome !== 'died' && resolved <= this.o.end;
      this.o.clinical.addEpisodeDiagnosis({
        id: episodeId,
        key: e.key,
        code: e.diagnosis,
        category: 'encounter-diagnosis',
        onset: p.arrive,
        recorded: p.arrive + 15 * MS_PER_MINUTE,
        encounterId: ed.id,
        practitionerId: edDoctor.id,
        clinicalStatus: closed ? 'resolved' : 'active',
        abatement: closed ? resolved : undefined,
      });
    }
    const reasonId = episodeId ?? conditionId;
    const disposition = (code: 'home' | 'snf' | 'exp'): Coding => care.dischargeDispositions[code];
    const withReason = <T extends Encounter>(enc: T): T =>
      reasonId === undefined ? enc : ({ ...enc, reasonConditionId: reasonId } as T);
    out.encounters[out.encounters.length - 1] = withReason(isAdmitted(p) ? ed : { ...ed, dischargeDisposition: disposition('home') });
    const edId = ed.id;
    const t = p.arrive + 5 * MS_PER_MINUTE;
    for (const kind of VITAL_KINDS) {
      const range = e.vitals[kind];
      if (range === undefined) continue;
      const value = Math.round(this.o.rng.uniform(range[0], range[1]));
      out.vitals.push({ id: this.o.ids.next(), kind, encounterId: edId, time: t, value });
    }
    this.triage(out, edId, t);
    this.procedure(out, p, 'emergency', edId, edDoctor.id, p.arrive + 20 * MS_PER_MINUTE, reasonId);
    this.stays.push([p.arrive, p.discharge]);
    if (!isAdmitted(p)) return;
    const hospitalist = this.staff('hospitalist');
    const stay: Encounter = withReason({
      id: this.o.ids.next(),
      class: 'IMP',
      type: care.encounterTypes.inpatient,
      start: p.edEnd,
      end: p.discharge,
      practitionerId: hospitalist.id,
      ...base,
      reason: e.diagnosis ?? p.module.code,
      dischargeDisposition: disposition(DISPOSITION_OF[p.outcome]),
    });
    out.encounters.push(stay);
    this.procedure(out, p, 'inpatient', stay.id, hospitalist.id, p.edEnd + 2 * 60 * MS_PER_MINUTE, reasonId);
    this.ward(out, p, stay);
    if (p.outcome === 'died') this.deathEncounter = stay;
  }

  /**
   * The rest of the triage set: temperature, weight, and the patient's own blood pressure on the
   * treatment of the day. A heart attack, a stroke or failing heart without a blood pressure is not
   * a triage anyone would sign. Drawn from a stream of the arrival's own so other draws stay as they were.
   */
  private triage(out: Charted, edId: EncounterId, t: Instant): void {
    const rng = this.o.rng.fork('triage', t);
    const age = (t - this.o.birthTime) / MS_PER_YEAR;
    const [lo, hi] = loadHospitalCare().inpatientCare.normalVitals.bodyTemperature;
    out.vitals.push({ id: this.o.ids.next(), kind: 'bodyTemperature', encounterId: edId, time: t, value: Math.round(rng.uniform(lo, hi) * 10) / 10 });
    const weightKg = Math.round(weightAt(this.o.body, age) * (1 + rng.normal(0, 0.01)) * 10) / 10;
    out.vitals.push({ id: this.o.ids.next(), kind: 'bodyWeight', encounterId: edId, time: t, value: weightKg });
    const heightM = heightAt(this.o.body, age) / 100;
    const bp = bloodPressureReading(this.o.body, age, weightKg / (heightM * heightM), rng, this.o.clinical.bpShiftAt(t));
    if (bp !== undefined) out.bloodPressures.push({ id: this.o.ids.next(), encounterId: edId, time: t, ...bp });
  }

  /**
   * The ward's chart of a stay: nursing vitals every few hours the first day and every shift after,
   * moving from the arrival values toward normal as the patient recovers (not for a stay ending in
   * death), and morning labs each day, moved by the stay's condition and fading toward discharge.
   */
  private ward(out: Charted, p: PlannedExacerbation, stay: Encounter): void {
    const w = loadHospitalCare().inpatientCare;
    const e = p.episode;
    const rng = this.o.rng;
    const span = Math.max(1, stay.end - stay.start);
    const recovery = (t: Instant): number => (p.outcome === 'died' ? 0 : Math.min(1, (t - stay.start) / span));
    const normal = w.normalVitals;
    const draw = (range: readonly [number, number]): number => rng.uniform(range[0], range[1]);
    for (let t = stay.start + w.firstDayEveryHours * MS_PER_HOUR; t < stay.end; ) {
      const f = recovery(t);
      for (const kind of ['heartRate', 'respiratoryRate', 'oxygenSaturation'] as const) {
        const sick = e.vitals[kind] ?? normal[kind];
        const value = Math.round((1 - f) * draw(sick) + f * draw(normal[kind]));
        out.vitals.push({ id: this.o.ids.next(), kind, encounterId: stay.id, time: t, value });
      }
      out.vitals.push({ id: this.o.ids.next(), kind: 'bodyTemperature', encounterId: stay.id, time: t, value: Math.round(draw(normal.bodyTemperature) * 10) / 10 });
      out.bloodPressures.push({ id: this.o.ids.next(), encounterId: stay.id, time: t, systolic: Math.round(draw(normal.systolic)), diastolic: Math.round(draw(normal.diastolic)) });
      t += (t - stay.start < MS_PER_DAY ? w.firstDayEveryHours : w.everyHours) * MS_PER_HOUR;
    }
    const shift = w.labShifts[e.key] ?? {};
    const firstMorning = Math.floor(stay.start / MS_PER_DAY) * MS_PER_DAY + w.morningLabsHourUtc * MS_PER_HOUR;
    for (let t = firstMorning; t < stay.end; t += MS_PER_DAY) {
      if (t < stay.start + 2 * MS_PER_HOUR) continue; // too soon after arrival for a morning draw
      const fade = 1 - recovery(t);
      const today = Object.fromEntries(Object.entries(shift).map(([k, v]) => [k, v * fade])) as Partial<Record<LabKey, number>>;
      this.o.clinical.inpatientLabs(stay, t, w.panels, today);
    }
  }

  private procedure(
    out: Charted,
    p: PlannedExacerbation,
    setting: 'emergency' | 'inpatient',
    encounterId: EncounterId,
    practitionerId: PractitionerId,
    from: Instant,
    reasonConditionId: ConditionId | undefined,
  ): void {
    let start = from;
    const limit = setting === 'emergency' ? p.edEnd : p.discharge;
    for (const step of p.episode.procedures) {
      if (step.setting !== setting || !this.o.rng.chance(step.share)) continue;
      const stop = Math.min(limit, start + 30 * MS_PER_MINUTE);
      if (start >= limit) break;
      out.procedures.push({ id: this.o.ids.next(), code: step.code, encounterId, practitionerId, start, end: stop, reasonConditionId });
      start = stop + 10 * MS_PER_MINUTE;
    }
  }
}
