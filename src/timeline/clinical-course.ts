/**
 * The chart's side of disease: latent onsets become diagnoses at visits, prescriptions follow the
 * module's medication lines (escalating when control stays poor), HbA1c is screened and followed,
 * and remission or death closes what was open. Visits are fed in time order.
 */
import { loadLabs, type ConditionModule } from '../knowledge/conditions.js';
import { MS_PER_YEAR, type Instant } from '../record/time.js';
import type { ConditionEntry, Encounter, LabReport, MedicationOrder } from '../record/types.js';
import { NO_BP_SHIFT, type VitalsReading } from './body.js';
import type { IdAllocator } from './ids.js';
import type { LatentCourse } from './onsets.js';
import type { Rng } from './random.js';

interface Open {
  readonly course: LatentCourse;
  readonly conditionId: string;
  readonly diagnosed: Instant;
  /** Lines started so far (index into module.medications sorted by line). */
  lines: number;
  /** Lines actually prescribed (an untreated step ends the pathway without an effect). */
  treated: number;
  lastChange: Instant;
  readonly orders: number[];
}

interface Draft extends Omit<ConditionEntry, 'clinicalStatus' | 'abatement'> {
  clinicalStatus: ConditionEntry['clinicalStatus'];
  abatement: Instant | undefined;
}

interface OrderDraft extends Omit<MedicationOrder, 'status' | 'end'> {
  status: MedicationOrder['status'];
  end: Instant | undefined;
}

const DIABETES_KEYS = new Set(['type2-diabetes', 'type1-diabetes']);

export class ClinicalCourse {
  readonly conditions: Draft[] = [];
  readonly medications: OrderDraft[] = [];
  readonly labReports: LabReport[] = [];
  private readonly open = new Map<string, Open>();
  private readonly pending: LatentCourse[];
  private readonly glycemicOffset: number;
  private readonly diabeticLevel: number;
  private lastA1c = -Infinity;
  private prediabetes: Draft | undefined;

  constructor(
    courses: readonly LatentCourse[],
    private readonly birthTime: Instant,
    private readonly ids: IdAllocator,
    private readonly rng: Rng,
    private readonly glycemiaRng: Rng,
  ) {
    this.pending = courses.filter((c) => c.onsetAge !== undefined);
    const g = loadLabs().glycemia;
    this.glycemicOffset = glycemiaRng.normal(0, g.personalSd);
    this.diabeticLevel = Math.max(6.6, glycemiaRng.normal(g.diabeticMean, g.diabeticSd));
  }

  private timeAt(age: number): Instant {
    return this.birthTime + age * MS_PER_YEAR;
  }

  /** Blood-pressure effect of the antihypertensive lines started so far. */
  bpShift(): { systolic: number; diastolic: number } {
    let sys = 0;
    let dia = 0;
    for (const o of this.open.values()) {
      const effect = o.course.module.treatmentEffect;
      if (effect === undefined || o.treated === 0) continue;
      sys += effect.systolic * o.treated;
      dia += effect.diastolic * o.treated;
    }
    return sys === 0 && dia === 0 ? NO_BP_SHIFT : { systolic: sys, diastolic: dia };
  }

  private aboveThreshold(m: ConditionModule, reading: VitalsReading | undefined): boolean {
    if (m.onset.kind !== 'measurement') return true;
    if (reading === undefined) return false;
    if (m.onset.measure === 'bmi') return reading.bmi !== undefined && reading.bmi >= m.onset.threshold;
    const { threshold, secondThreshold } = m.onset;
    if (reading.systolic === undefined || reading.diastolic === undefined) return false;
    return reading.systolic >= threshold || (secondThreshold !== undefined && reading.diastolic >= secondThreshold);
  }

  private startLine(o: Open, encounter: Encounter, at: Instant): void {
    const lines = [...o.course.module.medications].sort((a, b) => a.line - b.line);
    const step = lines[o.lines];
    if (step === undefined) return;
    o.lastChange = at;
    if (!this.rng.chance(step.share)) {
      // Untreated at this step: no later lines either (they are escalations of this one).
      o.lines = lines.length;
      return;
    }
    o.lines++;
    o.treated++;
    o.orders.push(this.medications.length);
    this.medications.push({
      id: this.ids.next(),
      medication: step.medication,
      conditionId: o.conditionId,
      encounterId: encounter.id,
      practitionerId: encounter.practitionerId,
      authored: at,
      status: 'active',
      end: undefined,
    });
  }

  /** A visit where the clinician sees the patient (well visits; not shot-only visits). */
  visit(encounter: Encounter, age: number, reading: VitalsReading | undefined): void {
    const at = encounter.start + 10 * 60_000;
    // Follow-up of open conditions: escalate when control stays poor.
    for (const o of this.open.values()) {
      const m = o.course.module;
      if (o.treated === 0 || o.lines >= m.medications.length) continue;
      if (at - o.lastChange < m.escalationAfterYears * MS_PER_YEAR) continue;
      const uncontrolled = m.onset.kind === 'measurement' ? this.aboveThreshold(m, reading) : this.rng.chance(0.2);
      if (uncontrolled) this.startLine(o, encounter, at);
    }
    // New diagnoses.
    for (let i = 0; i < this.pending.length; i++) {
      const c = this.pending[i]!;
      const onset = this.timeAt(c.onsetAge!);
      if (onset > encounter.start) continue;
      if (c.remissionAge !== undefined && this.timeAt(c.remissionAge) <= encounter.start) {
        this.pending.splice(i--, 1); // it came and went between visits, never charted
        continue;
      }
      if (!this.aboveThreshold(c.module, reading)) continue;
      this.pending.splice(i--, 1);
      this.diagnose(c, encounter, at);
    }
    if (age >= 18) this.glycemia(encounter, age, reading, at);
  }

  private diagnose(c: LatentCourse, encounter: Encounter, at: Instant): Open {
    const onset = this.timeAt(c.onsetAge!);
    const draft: Draft = {
      id: this.ids.next(),
      key: c.module.key,
      code: c.module.code,
      category: c.module.category,
      onset,
      recorded: at,
      encounterId: encounter.id,
      practitionerId: encounter.practitionerId,
      clinicalStatus: 'active',
      abatement: c.remissionAge === undefined ? undefined : this.timeAt(c.remissionAge),
    };
    this.conditions.push(draft);
    const o: Open = { course: c, conditionId: draft.id, diagnosed: at, lines: 0, treated: 0, lastChange: at, orders: [] };
    this.open.set(c.module.key, o);
    if (DIABETES_KEYS.has(c.module.key) && this.prediabetes !== undefined && this.prediabetes.abatement === undefined) {
      this.prediabetes.abatement = at;
      this.prediabetes.clinicalStatus = 'inactive';
    }
    if (c.module.medications.length > 0) this.startLine(o, encounter, at);
    return o;
  }

  /**
   * The chart id of a condition at an emergency visit or admission for it: the open diagnosis, or a
   * new one made there when its latent onset has passed. Undefined when neither applies.
   */
  diagnoseAt(key: string, encounter: Encounter): string | undefined {
    const open = this.open.get(key);
    if (open !== undefined) return open.conditionId;
    const i = this.pending.findIndex((c) => c.module.key === key && this.timeAt(c.onsetAge!) <= encounter.start);
    if (i < 0) return undefined;
    const [c] = this.pending.splice(i, 1);
    return this.diagnose(c!, encounter, encounter.start + 10 * 60_000).conditionId;
  }

  /** True once a condition is on treatment (some medication line was prescribed). */
  isTreated(key: string): boolean {
    return (this.open.get(key)?.treated ?? 0) > 0;
  }

  /** Adds an episode's own diagnosis (e.g. an exacerbation), already closed or still active. */
  addEpisodeDiagnosis(entry: ConditionEntry): void {
    this.conditions.push({ ...entry });
  }

  private isDiabetic(at: Instant): boolean {
    for (const k of DIABETES_KEYS) if (this.open.has(k)) return true;
    for (const c of this.pending) if (DIABETES_KEYS.has(c.module.key) && this.timeAt(c.onsetAge!) <= at) return true;
    return false;
  }

  private glycemia(encounter: Encounter, age: number, reading: VitalsReading | undefined, at: Instant): void {
    const labs = loadLabs();
    const g = labs.glycemia;
    const diabetic = this.isDiabetic(at);
    const bmi = reading?.bmi;
    const screen =
      age >= g.screening.fromAge &&
      age <= g.screening.toAge &&
      bmi !== undefined &&
      bmi >= g.screening.minBmi &&
      at - this.lastA1c >= g.screening.intervalYears * MS_PER_YEAR - 60 * 86_400_000;
    if (!diabetic && !screen) return;
    let value: number;
    if (diabetic) {
      const t2 = this.open.get('type2-diabetes');
      const treated = t2 !== undefined && t2.treated > 0 && t2.diagnosed < at;
      value = this.diabeticLevel - (treated ? g.treatmentDrop : 0) + this.glycemiaRng.normal(0, g.visitSd * 2);
      if (!treated) value = Math.max(6.5, value);
    } else {
      value =
        g.base +
        g.perYearOver30 * Math.max(0, age - 30) +
        g.perBmiOver25 * ((bmi ?? 25) - 25) +
        this.glycemicOffset +
        this.glycemiaRng.normal(0, g.visitSd);
      value = Math.min(g.nonDiabeticMax, value);
    }
    const lab = labs.labs.hba1c;
    const scale = 10 ** lab.decimals;
    value = Math.round(value * scale) / scale;
    this.lastA1c = at;
    this.labReports.push({
      id: this.ids.next(),
      code: lab.code,
      encounterId: encounter.id,
      practitionerId: encounter.practitionerId,
      time: at,
      results: [{ id: this.ids.next(), code: lab.code, value, unit: lab.unit, low: lab.low, high: lab.high }],
    });
    if (!diabetic && value >= g.prediabetesFrom && this.prediabetes === undefined) {
      this.prediabetes = {
        id: this.ids.next(),
        key: 'prediabetes',
        code: labs.prediabetes,
        category: 'problem-list-item',
        onset: at,
        recorded: at,
        encounterId: encounter.id,
        practitionerId: encounter.practitionerId,
        clinicalStatus: 'active',
        abatement: undefined,
      };
      this.conditions.push(this.prediabetes);
    }
  }

  /** Closes the course at the end of the record: remissions that happened, prescriptions stopped. */
  finish(end: Instant, died: boolean): void {
    for (const c of this.conditions) {
      if (c.abatement !== undefined && c.abatement > end) c.abatement = undefined;
      if (c.abatement !== undefined && c.clinicalStatus === 'active') {
        const m = [...this.open.values()].find((o) => o.conditionId === c.id)?.course.module;
        c.clinicalStatus = m?.remission?.status ?? 'inactive';
      }
    }
    const abated = new Map(this.conditions.map((c) => [c.id, c.abatement]));
    for (const o of this.medications) {
      const stop = abated.get(o.conditionId);
      if (stop !== undefined) {
        o.status = 'stopped';
        o.end = Math.max(stop, o.authored);
      } else if (died) {
        o.status = 'stopped';
        o.end = end;
      }
    }
  }
}
