/**
 * The chart's side of disease: latent onsets become diagnoses at visits, each with its care plan and
 * goal; the pathway orders its labs, read off the person's own lab physiology; prescriptions follow
 * the module's medication lines, escalating when the record's own numbers (BP, HbA1c, LDL) stay
 * above target; remission or death closes what was open. Visits are fed in time order.
 */
import { eraChoice, loadEraSwitch, periodOf } from '../knowledge/availability.js';
import { allergyAlternative, conflictingAllergen, type KnownAllergy } from '../knowledge/drug-allergies.js';
import { conditionModules, type ConditionModule } from '../knowledge/conditions.js';
import { once } from '../knowledge/load.js';
import { loadContraindications, type Contraindication } from '../knowledge/contraindications.js';
import { loadDosing } from '../knowledge/dosing.js';
import { egfrCodes, eraValueModel, labKeyOfCode, loadLabs, PANEL_KEYS, type LabKey } from '../knowledge/labs.js';
import { MS_PER_DAY, MS_PER_YEAR, type Instant } from '../core/time.js';
import type {
  AdministrativeSex,
  CarePlanEntry,
  Coding,
  ConditionEntry,
  ConditionId,
  Encounter,
  GoalEntry,
  LabReport,
  LabResult,
  MedicationOrder,
} from '../record/types.js';
import { NO_BP_SHIFT, type VitalsReading } from './body.js';
import type { IdAllocator } from './ids.js';
import { stageForEgfr } from '../knowledge/kidney.js';
import { roundLab, shiftLabResult } from './lab-draw.js';
import { LabPhysiology, labOnsetsOf, type LabOnsets, type LabState, type PanelKey } from './lab-values.js';
import type { LatentCourse } from './onsets.js';
import type { Rng } from '../core/random.js';
import type { StepFragment } from './fragment.js';

type Step = ConditionModule['medications'][number];

interface Open {
  readonly course: LatentCourse;
  readonly conditionId: ConditionId;
  readonly diagnosed: Instant;
  /** The module's lines, grouped by line number, in order. */
  readonly lines: readonly (readonly Step[])[];
  /** Lines started so far (index into `lines`). */
  started: number;
  /** Lines actually prescribed (an untreated step ends the pathway without an effect). */
  treated: number;
  lastChange: Instant;
  /** Indices into `medications` of the orders of the current line. */
  current: number[];
  /** When a patient left untreated at diagnosis starts the first line after all (lateTreatment). */
  lateStart: Instant | undefined;
}

interface Draft extends Omit<ConditionEntry, 'clinicalStatus' | 'abatement' | 'code'> {
  code: ConditionEntry['code'];
  clinicalStatus: ConditionEntry['clinicalStatus'];
  abatement: Instant | undefined;
}

interface OrderDraft extends Omit<MedicationOrder, 'status' | 'end' | 'stopReason'> {
  status: MedicationOrder['status'];
  end: Instant | undefined;
  stopReason?: string;
  /** Written at a visit whose own labs then ruled it out: never sent, so not charted. */
  withdrawn?: true;
}

interface PlanDraft extends Omit<CarePlanEntry, 'status' | 'end'> {
  status: CarePlanEntry['status'];
  end: Instant | undefined;
}

interface GoalDraft extends Omit<GoalEntry, 'lifecycleStatus' | 'due' | 'review'> {
  lifecycleStatus: GoalEntry['lifecycleStatus'];
  due: Instant;
  review?: NonNullable<GoalEntry['review']>;
  /** Years between reviews (the module's dueYears). */
  readonly reviewYears: number;
}

function fastingOf(a1c: number | undefined): number | undefined {
  const hba1c = loadLabs().labs.hba1c.code.code;
  const model = eraValueModel(hba1c, loadLabs().glycemia.beforeA1c.lab.code.code);
  return a1c === undefined || model === undefined ? undefined : model.valueOf(a1c);
}

/** LOINC codes of goal targets, read off the visit: BP from the reading, the rest from today's labs. */
const TARGET_READERS: Readonly<Record<string, (r: VitalsReading | undefined, today: ReadonlyMap<string, number>) => number | undefined>> = {
  '8480-6': (r) => r?.systolic,
  '8462-4': (r) => r?.diastolic,
  '4548-4': (_r, t) => t.get('hba1c'),
  // A fasting-glucose goal of before HbA1c: the day's fasting glucose, or once HbA1c replaced it,
  // what the same line of labs.json makes of the day's HbA1c (the goal is still reviewed).
  '1558-6': (_r, t) => t.get('fastingGlucose') ?? fastingOf(t.get('hba1c')),
  '18262-6': (_r, t) => t.get('ldl'),
  '13457-7': (_r, t) => t.get('ldl'),
};

/** The condition keys that are diabetes (`labEffect: diabetes`: their latent onset raises glucose before the chart knows). */
export const diabetesKeys = once((): ReadonlySet<string> => new Set(conditionModules().filter((m) => m.labEffect === 'diabetes').map((m) => m.key)));

/** The words of a stop reason for a step-up: which of the chart's numbers stayed off target. */
const CONTROL_WORDS: Readonly<Record<NonNullable<ConditionModule['control']>['measure'], string>> = {
  bloodPressure: 'blood pressure',
  hba1c: 'HbA1c',
  ldl: 'LDL cholesterol',
  tsh: 'TSH',
};

function controlWords(m: ConditionModule): string {
  const c = m.control;
  if (c === undefined) return 'not controlled on the previous regimen';
  const limit = c.secondAbove === undefined ? `${c.above}` : `${c.above}/${c.secondAbove}`;
  return `${CONTROL_WORDS[c.measure]} at or above ${limit} on the previous regimen`;
}

function groupLines(steps: readonly Step[]): Step[][] {
  const byLine = new Map<number, Step[]>();
  for (const s of [...steps].sort((a, b) => a.line - b.line)) {
    let group = byLine.get(s.line);
    if (group === undefined) byLine.set(s.line, (group = []));
    group.push(s);
  }
  return [...byLine.values()];
}

type CarePlanKnowledge = NonNullable<ConditionModule['carePlan']>;

/**
 * The care plan a diagnosis on `at` opens: the module's, its targets measured by the test of the
 * date (calculated LDL before direct LDL, availability.yaml); before a target could be measured at
 * all, or only as another analyte (fasting glucose before HbA1c), the first of its older plans
 * that fits (a fasting-glucose goal and urine testing). With none, the goal keeps the targets its
 * era could measure.
 */
function planOfItsEra(plan: CarePlanKnowledge, at: Instant): Pick<CarePlanKnowledge, 'activities' | 'goal'> {
  const measured = (t: CarePlanKnowledge['goal']['targets'][number]): typeof t | undefined => {
    const code = eraChoice(t.measure, at);
    if (code === undefined) return undefined;
    if (code.code === t.measure.code) return t;
    return periodOf(t.measure.system, t.measure.code)?.substitute === 'value-model' ? undefined : { ...t, measure: code };
  };
  const plans = [plan, ...plan.olderPlans];
  for (const p of plans) {
    const targets = p.goal.targets.map(measured);
    if (targets.every((t) => t !== undefined)) return { activities: p.activities, goal: { ...p.goal, targets } };
  }
  const last = plans.at(-1)!;
  return { activities: last.activities, goal: { ...last.goal, targets: last.goal.targets.flatMap((t) => measured(t) ?? []) } };
}

function isActiveAt(o: OrderDraft, at: Instant): boolean {
  return o.authored < at && (o.end === undefined || o.end > at);
}

export class ClinicalCourse {
  private readonly conditions: Draft[] = [];
  private readonly medications: OrderDraft[] = [];
  private readonly labReports: LabReport[] = [];
  private readonly carePlans: PlanDraft[] = [];
  private readonly goals: GoalDraft[] = [];
  /** What each order in `medications` does to the numbers (same index). */
  private readonly effects: Step['effect'][] = [];
  /** The RxNorm code of the module step each order in `medications` came from (same index), before any era substitution. */
  private readonly stepCodes: string[] = [];
  private readonly open = new Map<string, Open>();
  /** The treatment's blood-pressure effect after each visit, in visit order: what a sick visit between them reads. */
  private readonly shifts: { readonly at: Instant; readonly shift: { systolic: number; diastolic: number } }[] = [];
  private readonly pending: LatentCourse[];
  /** The latent onsets the lab physiology reads, by the modules' `labEffect`. */
  private readonly lifeLabOnsets: LabOnsets;
  private readonly glycemicOffset: number;
  private readonly diabeticLevel: number;
  private readonly physiology: LabPhysiology;
  private readonly lastOrdered = new Map<string, Instant>();
  private lastA1c = -Infinity;
  /** The latest value of each lab (by labs.json key), for contraindication checks. */
  private readonly latestLab = new Map<string, number>();
  private prediabetes: Draft | undefined;
  /** Draws of the era switch (its own stream, so no other draw of the course moves). */
  private readonly switchRng: Rng;
  /** Orders (index into `medications`) whose patient was asked about a newer drug, and those who stay on theirs. */
  private readonly switchDecided = new Set<number>();
  private readonly staysOn = new Set<number>();

  constructor(
    courses: readonly LatentCourse[],
    private readonly birthTime: Instant,
    private readonly ids: IdAllocator,
    private readonly rng: Rng,
    private readonly glycemiaRng: Rng,
    private readonly sex: AdministrativeSex = 'female',
    /** The patient's allergies (planned), checked before every long-term order. */
    private readonly allergies: readonly KnownAllergy[] = [],
  ) {
    this.pending = courses.filter((c) => c.onsetAge !== undefined);
    this.lifeLabOnsets = labOnsetsOf(courses);
    const g = loadLabs().glycemia;
    this.glycemicOffset = glycemiaRng.normal(0, g.personalSd);
    this.diabeticLevel = Math.max(6.6, glycemiaRng.normal(g.diabeticMean, g.diabeticSd));
    this.physiology = new LabPhysiology(rng.fork('lab-physiology'), sex, this.labOnsets());
    this.switchRng = rng.fork('era-switch');
  }

  private labOnsets(): LabOnsets {
    return this.lifeLabOnsets;
  }

  /**
   * Panels drawn on a ward after the chart is complete (the acute-illness and delivery stays of
   * `ward.ts`): this person's own physiology (same latent kidneys, glycemia and blood count), with
   * visit noise from `noise` and ids from `ids`, so the chart's other labs keep their draws and ids.
   * Nothing joins the course (no CKD restaging or drug stop from a value the course never saw).
   * Glycemia follows the latent diabetes onset, diagnosed or not.
   */
  wardPanels(noise: Rng, ids: IdAllocator): (panel: PanelKey, at: Instant) => LabResult[] {
    const onsets = this.labOnsets();
    const physiology = new LabPhysiology(this.rng.fork('lab-physiology'), this.sex, onsets, noise);
    return (panel, at) => {
      const age = (at - this.birthTime) / MS_PER_YEAR;
      const diabetic = onsets.diabetes !== undefined && age >= onsets.diabetes;
      const state: LabState = { at, age, bmi: undefined, hba1c: this.latentA1c(age, undefined, at, diabetic), diabetic, ldlFactor: this.ldlFactor(at), thyroid: this.thyroidState(at) };
      return physiology.panel(panel, state, ids);
    };
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

  /**
   * The blood-pressure effect of the treatment the patient was on at `time`, as the last clinic
   * visit before it left it: a sick or emergency visit between clinic visits reads the same
   * treated pressure the clinic does.
   */
  bpShiftAt(time: Instant): { systolic: number; diastolic: number } {
    let shift = NO_BP_SHIFT;
    for (const s of this.shifts) {
      if (s.at > time) break;
      shift = s.shift;
    }
    return shift;
  }

  private aboveThreshold(m: ConditionModule, reading: VitalsReading | undefined): boolean {
    if (m.onset.kind !== 'measurement') return true;
    if (reading === undefined) return false;
    if (m.onset.measure === 'bmi') return reading.bmi !== undefined && reading.bmi >= m.onset.threshold;
    const { threshold, secondThreshold } = m.onset;
    if (reading.systolic === undefined || reading.diastolic === undefined) return false;
    return reading.systolic >= threshold || (secondThreshold !== undefined && reading.diastolic >= secondThreshold);
  }

  private startLine(o: Open, encounter: Encounter, at: Instant, deferred = false): void {
    const group = o.lines[o.started];
    if (group === undefined) return;
    if (group.every((step) => this.contraindicated(step.medication.code) !== undefined)) {
      // Ruled out by the chart's labs (metformin below eGFR 30): go straight to the next line.
      o.started++;
      this.startLine(o, encounter, at);
      return;
    }
    o.lastChange = at;
    if (!deferred && !this.rng.chance(group[0]!.share)) {
      const late = o.course.module.lateTreatment;
      if (o.treated === 0 && o.started === 0 && late !== undefined && !this.rng.chance(late.neverShare)) {
        // Untreated today, started later: exponential delay with the module's median.
        const years = (-Math.log(1 - this.rng.next()) / Math.LN2) * late.medianDelayYears;
        o.lateStart = at + years * MS_PER_YEAR;
        return;
      }
      // Untreated at this step: no later lines either (they are escalations of this one).
      o.started = o.lines.length;
      return;
    }
    o.lateStart = undefined;
    o.started++;
    o.treated++;
    // A titration with nothing to titrate (the starting strength was never ordered: not yet marketed
    // at diagnosis) starts the starting strength instead; a switch from a drug another condition's
    // order supplies (lisinopril for her hypertension) goes ahead.
    const steps = group.map((step) =>
      typeof step.replaces === 'string' && !o.current.some((i) => this.stepCodes[i] === step.replaces) && !this.isTaking(step.replaces)
        ? (o.lines.flat().find((s) => s.medication.code === step.replaces) ?? step)
        : step,
    );
    for (const step of steps) {
      if (step.replaces === false) continue;
      const stopReason = `Changed to ${step.medication.display}: ${controlWords(o.course.module)}`;
      o.current = o.current.filter((i) => {
        const prior = this.medications[i]!;
        if (step.replaces !== true && this.stepCodes[i] !== step.replaces) return true;
        if (prior.status === 'active' && prior.end === undefined) {
          prior.status = 'stopped';
          prior.end = at;
          prior.stopReason = stopReason;
        }
        return false;
      });
    }
    for (const step of steps) {
      const medication = this.drugOfItsEra(step, at);
      if (medication === undefined) continue; // none yet, or ruled out; the line stays counted
      // Already taken for another condition, at any strength (lisinopril for hypertension and heart
      // failure): one order serves both.
      if (this.isTaking(medication.code)) continue;
      // A drug never given with one already running (lisinopril beside sacubitril-valsartan): that one serves.
      if (this.excludedByActive(medication.code)) continue;
      this.stopExcluded(medication.code, at);
      this.prescribe(o, step, medication, encounter, at);
    }
  }

  /**
   * The drug a step is ordered as on `at`: the drug of the date's era (an older alternative, or none
   * before it existed); for a patient allergic to it, the data's alternative of the same purpose;
   * none when the chart's labs rule it out.
   */
  private drugOfItsEra(step: Step, at: Instant): Coding | undefined {
    let medication = eraChoice(step.medication, at);
    if (medication === undefined) return undefined;
    const allergen = conflictingAllergen(medication.code, this.allergies, at);
    if (allergen !== undefined) {
      const alternative = allergyAlternative(medication.code, allergen);
      medication = alternative === undefined ? undefined : eraChoice(alternative, at);
      if (medication === undefined || conflictingAllergen(medication.code, this.allergies, at) !== undefined) return undefined;
    }
    return this.contraindicated(medication.code) === undefined ? medication : undefined;
  }

  /** Whether an active order is this drug or its ingredient at another strength (dosing.yaml names). */
  private isTaking(code: string): boolean {
    const name = ingredientOf(code);
    return this.medications.some((m) => m.status === 'active' && m.end === undefined && (m.medication.code === code || (name !== undefined && ingredientOf(m.medication.code) === name)));
  }

  /** Whether a running order is of a drug that `code` is never given with (contraindications.yaml combinations). */
  private excludedByActive(code: string): boolean {
    const name = ingredientOf(code);
    if (name === undefined) return false;
    const partners = new Set(loadContraindications().combinations.filter((c) => c.notWith.includes(name)).map((c) => c.drug));
    return this.medications.some((m) => m.status === 'active' && m.end === undefined && partners.has(m.medication.code));
  }

  /** Starting `code` stops every running order it is never given with, whatever condition ordered it. */
  private stopExcluded(code: string, at: Instant): void {
    const rule = loadContraindications().combinations.find((c) => c.drug === code);
    if (rule === undefined) return;
    for (const m of this.medications) {
      const name = ingredientOf(m.medication.code);
      if (m.status !== 'active' || m.end !== undefined || name === undefined || !rule.notWith.includes(name)) continue;
      m.status = 'stopped';
      m.end = at;
      m.stopReason = rule.reason;
    }
  }

  private prescribe(o: Open, step: Step, medication: Coding, encounter: Encounter, at: Instant): void {
    o.current.push(this.medications.length);
    this.medications.push({
      id: this.ids.next(),
      medication,
      conditionId: o.conditionId,
      encounterId: encounter.id,
      practitionerId: encounter.practitionerId,
      authored: at,
      status: 'active',
      end: undefined,
    });
    this.effects.push(step.effect);
    this.stepCodes.push(step.medication.code);
  }

  /**
   * A drug superseded since it was started (tolbutamide once glipizide and then metformin are
   * marketed, regular insulin once NPH is): at each visit after, the patient is changed to the
   * drug its step is ordered as today with the data's per-visit share, so the change spreads over
   * years rather than happening to everyone at once; a share stays on what works
   * (availability.yaml `eraSwitch`). The new order keeps the line and its effect.
   */
  private switchToNewer(o: Open, encounter: Encounter, at: Instant): void {
    const rule = loadEraSwitch();
    for (const i of [...o.current]) {
      const prior = this.medications[i]!;
      if (prior.status !== 'active' || prior.end !== undefined || prior.authored >= at) continue;
      // A product off the market (U-40 insulin after 1979, beef-pork insulin after 1999) is changed
      // at the first visit after, whatever the patient's wish to stay on it.
      const withdrawn = at >= (periodOf(prior.medication.system, prior.medication.code)?.until ?? Infinity);
      if (this.staysOn.has(i) && !withdrawn) continue;
      const step = o.lines.flat().find((x) => x.medication.code === this.stepCodes[i]);
      if (step === undefined) continue;
      const newer = this.drugOfItsEra(step, at);
      if (newer === undefined || newer.code === prior.medication.code || this.isTaking(newer.code)) continue;
      // Only a drug marketed since the order was written (not an allergy's alternative, chosen for another reason).
      if (!withdrawn && (periodOf(newer.system, newer.code)?.from ?? -Infinity) <= prior.authored) continue;
      if (withdrawn) {
        this.changeOrder(o, i, step, newer, encounter, at, rule.withdrawnReason);
        continue;
      }
      if (!this.switchDecided.has(i)) {
        this.switchDecided.add(i);
        if (this.switchRng.chance(rule.neverShare)) {
          this.staysOn.add(i);
          continue;
        }
      }
      if (!this.switchRng.chance(rule.perVisitShare)) continue;
      this.changeOrder(o, i, step, newer, encounter, at, rule.reason);
    }
  }

  /** Stops order `i` and starts `newer` in its step, the stop reason naming the change and `why`. */
  private changeOrder(o: Open, i: number, step: Step, newer: Coding, encounter: Encounter, at: Instant, why: string): void {
    const prior = this.medications[i]!;
    prior.status = 'stopped';
    prior.end = at;
    prior.stopReason = `Changed to ${newer.display}: ${why}`;
    o.current = o.current.filter((j) => j !== i);
    this.prescribe(o, step, newer, encounter, at);
  }

  /** A visit where the clinician sees the patient (well visits; not shot-only visits). */
  visit(encounter: Encounter, age: number, reading: VitalsReading | undefined): void {
    const at = encounter.start + 10 * 60_000;
    // New diagnoses, each with its care plan and first-line treatment.
    for (let i = 0; i < this.pending.length; i++) {
      const c = this.pending[i]!;
      const onset = this.timeAt(c.onsetAge!);
      if (this.timeAt(c.detectableAge ?? c.onsetAge!) > encounter.start) continue;
      if (c.remissionAge !== undefined && this.timeAt(c.remissionAge) <= encounter.start) {
        this.pending.splice(i--, 1); // it came and went between visits, never charted
        continue;
      }
      if (!this.aboveThreshold(c.module, reading)) continue;
      this.pending.splice(i--, 1);
      this.diagnose(c, encounter, at, onset);
    }
    // Labs of the day: what the pathways and screening call for, before today's treatment changes.
    const today = new Map<string, number>();
    const drawn = age >= 18 ? this.glycemia(encounter, age, reading, at) : undefined;
    if (drawn !== undefined) today.set('hba1c', drawn.a1c);
    if (drawn?.fasting !== undefined) today.set('fastingGlucose', drawn.fasting.results[0]!.value);
    this.orderLabs(encounter, age, reading, at, today, drawn?.fasting);
    this.reviewGoals(at, reading, today);
    // Follow-up of conditions diagnosed before today: escalate when control stays poor.
    for (const o of this.open.values()) {
      const m = o.course.module;
      if (o.diagnosed >= at) continue;
      if (o.course.remissionAge !== undefined && this.timeAt(o.course.remissionAge) <= at) continue;
      // A patient whose pathway has gone as far as it will still has their drugs brought up to date.
      if (o.treated > 0) this.switchToNewer(o, encounter, at);
      if (o.started >= o.lines.length) continue;
      if (o.treated === 0) {
        // Left untreated at diagnosis: started at the first visit past the delay that finds the number still off target.
        if (o.lateStart !== undefined && at >= o.lateStart && (m.control === undefined || this.uncontrolled(m, reading, today))) {
          this.startLine(o, encounter, at, true);
        }
        continue;
      }
      if (at - o.lastChange < m.escalationAfterYears * MS_PER_YEAR - 30 * MS_PER_DAY) continue;
      if (this.uncontrolled(m, reading, today)) this.startLine(o, encounter, at);
    }
    this.shifts.push({ at, shift: this.bpShift() });
  }

  /**
   * Goals that have fallen due are reviewed against today's numbers and given a new due date (a
   * revised goal), so none stays active years past due; a goal nothing measures stays in progress.
   */
  private reviewGoals(at: Instant, reading: VitalsReading | undefined, today: ReadonlyMap<string, number>): void {
    for (const g of this.goals) {
      if (g.lifecycleStatus !== 'active' || g.due > at) continue;
      const values = g.targets.map((t) => ({ t, v: TARGET_READERS[t.measure.code]?.(reading, today) }));
      const measured = values.filter((x): x is { t: (typeof values)[number]['t']; v: number } => x.v !== undefined);
      if (g.targets.length > 0 && measured.length === 0) continue; // not measured today: review at a visit that measures it
      let achievement: NonNullable<GoalEntry['review']>['achievement'] = 'in-progress';
      if (measured.length > 0) {
        const met = measured.every((x) => x.v < x.t.high);
        const before = g.review?.achievement;
        achievement = met ? 'achieved' : before === 'achieved' ? 'worsening' : 'not-achieved';
      }
      g.review = { at, achievement };
      g.due = at + g.reviewYears * MS_PER_YEAR;
    }
  }

  private uncontrolled(m: ConditionModule, reading: VitalsReading | undefined, today: ReadonlyMap<string, number>): boolean {
    const c = m.control;
    if (c === undefined) return m.onset.kind === 'measurement' ? this.aboveThreshold(m, reading) : this.rng.chance(0.2);
    if (c.measure === 'bloodPressure') {
      if (reading?.systolic === undefined || reading.diastolic === undefined) return false;
      return reading.systolic >= c.above || (c.secondAbove !== undefined && reading.diastolic >= c.secondAbove);
    }
    const value = today.get(c.measure);
    return value !== undefined && value >= c.above;
  }

  private diagnose(c: LatentCourse, encounter: Encounter, at: Instant, onset: Instant): Open {
    const m = c.module;
    const draft: Draft = {
      id: this.ids.next(),
      key: m.key,
      code: m.code,
      category: m.category,
      onset,
      recorded: at,
      encounterId: encounter.id,
      practitionerId: encounter.practitionerId,
      clinicalStatus: 'active',
      abatement: c.remissionAge === undefined ? undefined : this.timeAt(c.remissionAge),
    };
    this.conditions.push(draft);
    const o: Open = {
      course: c,
      conditionId: draft.id,
      diagnosed: at,
      lines: groupLines(m.medications),
      started: 0,
      treated: 0,
      lastChange: at,
      current: [],
      lateStart: undefined,
    };
    this.open.set(m.key, o);
    if (diabetesKeys().has(m.key) && this.prediabetes !== undefined && this.prediabetes.abatement === undefined) {
      this.prediabetes.abatement = at;
      this.prediabetes.clinicalStatus = 'inactive';
    }
    if (m.carePlan !== undefined) {
      const plan = planOfItsEra(m.carePlan, at);
      const goal: GoalDraft = {
        id: this.ids.next(),
        conditionId: draft.id,
        description: plan.goal.description,
        targets: plan.goal.targets,
        start: at,
        due: at + plan.goal.dueYears * MS_PER_YEAR,
        reviewYears: plan.goal.dueYears,
        encounterId: encounter.id,
        practitionerId: encounter.practitionerId,
        lifecycleStatus: 'active',
      };
      this.goals.push(goal);
      this.carePlans.push({
        id: this.ids.next(),
        conditionId: draft.id,
        title: m.carePlan.title,
        activities: plan.activities,
        goalIds: [goal.id],
        encounterId: encounter.id,
        practitionerId: encounter.practitionerId,
        start: at,
        end: undefined,
        status: 'active',
      });
    }
    if (o.lines.length > 0) this.startLine(o, encounter, at);
    return o;
  }

  /**
   * The chart id of a condition at an emergency visit or admission for it: the open diagnosis, or a
   * new one made there when its latent onset has passed. Undefined when neither applies.
   */
  diagnoseAt(key: string, encounter: Encounter): ConditionId | undefined {
    const open = this.open.get(key);
    if (open !== undefined) return open.conditionId;
    const i = this.pending.findIndex((c) => c.module.key === key && this.timeAt(c.onsetAge!) <= encounter.start);
    if (i < 0) return undefined;
    const [c] = this.pending.splice(i, 1);
    return this.diagnose(c!, encounter, encounter.start + 10 * 60_000, this.timeAt(c!.onsetAge!)).conditionId;
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
    for (const k of diabetesKeys()) if (this.open.has(k)) return true;
    for (const c of this.pending) if (diabetesKeys().has(c.module.key) && this.timeAt(c.onsetAge!) <= at) return true;
    return false;
  }

  /** Sum of the HbA1c effects of diabetes drugs taken before `at`. */
  private a1cTreatment(at: Instant): number {
    let drop = 0;
    this.medications.forEach((o, i) => {
      const e = this.effects[i]?.hba1c;
      if (e !== undefined && isActiveAt(o, at)) drop += e;
    });
    return drop;
  }

  private ldlFactor(at: Instant): number {
    let f = 1;
    this.medications.forEach((o, i) => {
      const e = this.effects[i]?.ldlFactor;
      if (e !== undefined && isActiveAt(o, at)) f = Math.min(f, e);
    });
    return f;
  }

  /** Latent HbA1c today, before visit noise. */
  private latentA1c(age: number, bmi: number | undefined, at: Instant, diabetic: boolean): number {
    const g = loadLabs().glycemia;
    if (diabetic) {
      const dmOnset = this.lifeLabOnsets.diabetes ?? Infinity;
      const years = Math.max(0, age - dmOnset);
      const drop = this.a1cTreatment(at);
      const value = this.diabeticLevel + g.progressionPerYear * years + drop;
      return drop === 0 ? Math.max(g.untreatedDiabeticMin, value) : value;
    }
    const value = g.base + g.perYearOver30 * Math.max(0, age - 30) + g.perBmiOver25 * ((bmi ?? 25) - 25) + this.glycemicOffset;
    return Math.min(g.nonDiabeticMax, value);
  }

  /**
   * Today's glycemia: the modeled HbA1c, and the fasting glucose report charted for it before HbA1c
   * existed (so a panel drawn at the same draw reports that glucose, not a second one).
   */
  private glycemia(encounter: Encounter, age: number, reading: VitalsReading | undefined, at: Instant): { a1c: number; fasting?: LabReport } | undefined {
    const labs = loadLabs();
    const g = labs.glycemia;
    const diabetic = this.isDiabetic(at);
    const bmi = reading?.bmi;
    const screen =
      age >= g.screening.fromAge &&
      age <= g.screening.toAge &&
      bmi !== undefined &&
      bmi >= g.screening.minBmi &&
      at - this.lastA1c >= g.screening.intervalYears * MS_PER_YEAR - 60 * MS_PER_DAY;
    if (!diabetic && !screen) return undefined;
    let value = this.latentA1c(age, bmi, at, diabetic) + this.glycemiaRng.normal(0, diabetic ? g.visitSd * 2 : g.visitSd);
    if (!diabetic) value = Math.min(g.nonDiabeticMax, value);
    else if (this.a1cTreatment(at) === 0) value = Math.max(g.untreatedDiabeticMin, value);
    const lab = labs.labs.hba1c;
    value = roundLab('hba1c', value);
    this.lastA1c = at;
    // Before HbA1c the era's test (availability.yaml) is a fasting glucose, valued off this A1c by
    // labs.json's line; an alternative without a value model is left for the era pass to drop. A
    // screen (not yet diabetic) is a diagnostic test: by fasting glucose until HbA1c diagnosed (2010).
    const byGlucose = !diabetic && at < Date.parse(`${g.screening.a1cDiagnosisFrom}T00:00:00Z`);
    const chosen = eraChoice(byGlucose ? g.beforeA1c.lab.code : lab.code, at);
    const model = chosen === undefined || chosen.code === lab.code.code ? undefined : eraValueModel(lab.code.code, chosen.code);
    const charted = model === undefined ? { code: lab.code, value, unit: lab.unit, low: lab.low, high: lab.high } : { code: model.to, value: model.valueOf(value), unit: model.lab.unit, low: model.lab.low, high: model.lab.high };
    const report: LabReport = {
      id: this.ids.next(),
      code: charted.code,
      encounterId: encounter.id,
      practitionerId: encounter.practitionerId,
      time: at,
      results: [{ id: this.ids.next(), ...charted }],
    };
    this.labReports.push(report);
    // Named as its day named it (availability.yaml: prediabetes from 2002, impaired fasting glucose
    // from 1997, impaired glucose tolerance from 1979); before 1979 there was no such diagnosis.
    const finding = eraChoice(labs.prediabetes, at);
    if (!diabetic && value >= g.prediabetesFrom && this.prediabetes === undefined && finding !== undefined) {
      this.prediabetes = {
        id: this.ids.next(),
        key: 'prediabetes',
        code: finding,
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
    return model === undefined ? { a1c: value } : { a1c: value, fasting: report };
  }

  private due(panel: PanelKey, at: Instant, intervalYears: number): boolean {
    const last = this.lastOrdered.get(panel);
    return last === undefined || at - last >= intervalYears * MS_PER_YEAR - 60 * MS_PER_DAY;
  }

  /** Panels the pathways of open conditions and adult screening call for today. */
  private panelsDue(age: number, at: Instant): PanelKey[] {
    const labs = loadLabs();
    const want = new Set<PanelKey>();
    for (const o of this.open.values()) {
      const m = o.course.module;
      const abatement = o.course.remissionAge === undefined ? Infinity : this.timeAt(o.course.remissionAge);
      if (abatement <= at) continue;
      const diagnosedToday = o.diagnosed === at;
      for (const p of m.labs) if (diagnosedToday || this.due(p, at, m.labIntervalYears)) want.add(p);
    }
    for (const s of labs.screening) if (age >= s.fromAge && this.due(s.panel, at, s.intervalYears)) want.add(s.panel);
    return PANEL_KEYS.filter((p) => want.has(p));
  }

  /** TSH's state: from the latent hypothyroidism onset (`labEffect: hypothyroidism`), treated once a diagnosed module's line has been taken long enough. */
  private thyroidState(at: Instant): LabState['thyroid'] {
    const onset = this.lifeLabOnsets.hypothyroidism;
    if (onset === undefined || this.timeAt(onset) > at) return 'normal';
    const settle = loadLabs().thyroid.treatedAfterDays * MS_PER_DAY;
    for (const o of this.open.values()) {
      if (o.course.module.labEffect !== 'hypothyroidism') continue;
      for (const i of o.current) {
        const order = this.medications[i]!;
        if (order.authored + settle <= at && (order.end === undefined || order.end > at)) return 'treated';
      }
    }
    return 'untreated';
  }

  private orderLabs(encounter: Encounter, age: number, reading: VitalsReading | undefined, at: Instant, today: Map<string, number>, fasting?: LabReport): void {
    const panels = this.panelsDue(age, at);
    if (panels.length === 0) return;
    const diabetic = this.isDiabetic(at);
    const state: LabState = {
      at,
      age,
      bmi: reading?.bmi,
      hba1c: today.get('hba1c') ?? this.latentA1c(age, reading?.bmi, at, diabetic),
      diabetic,
      ldlFactor: this.ldlFactor(at),
      thyroid: this.thyroidState(at),
    };
    const labs = loadLabs();
    const glucose = labs.labs.glucose.code.code;
    for (const p of panels) {
      this.lastOrdered.set(p, at);
      let results = this.physiology.panel(p, state, this.ids);
      if (fasting !== undefined && results.some((r) => r.code.code === glucose) && eraChoice(labs.panels[p].code, at) !== undefined) {
        // One draw, one glucose: the panel drawn with the fasting glucose reports it as its glucose
        // (the sample is fasting), and the separate report is not charted.
        const drawn = fasting;
        results = results.map((r) => (r.code.code === glucose ? drawn.results[0]! : r));
        this.labReports.splice(this.labReports.indexOf(drawn), 1);
        fasting = undefined;
      }
      this.labReports.push({
        id: this.ids.next(),
        code: labs.panels[p].code,
        encounterId: encounter.id,
        practitionerId: encounter.practitionerId,
        time: at,
        results,
      });
      for (const r of results) this.remember(r, today);
    }
    this.stopContraindicated(at, encounter);
  }

  /** The rule that rules a drug out at the latest lab values, if one does. */
  private contraindicated(rxnorm: string): Contraindication | undefined {
    return loadContraindications().rules.find((c) => {
      if (c.drug !== rxnorm) return false;
      const v = this.latestLab.get(c.lab);
      return v !== undefined && v < c.below;
    });
  }

  /**
   * Stops the active orders a new lab value rules out. An order written at this same draw (the first
   * line started at the diagnosis, before the day's labs were back) is withdrawn instead, as the
   * prescriber would on seeing the result, and the condition goes on to its next line as if the lab
   * had been known (metformin at an eGFR of 23: never sent, the next line instead).
   */
  private stopContraindicated(at: Instant, encounter: Encounter): void {
    const restart = new Set<Open>();
    this.medications.forEach((o, i) => {
      if (o.status !== 'active' || o.end !== undefined) return;
      const rule = this.contraindicated(o.medication.code);
      if (rule === undefined) return;
      o.status = 'stopped';
      o.end = at;
      o.stopReason = rule.reason;
      if (o.authored !== at) return;
      o.withdrawn = true;
      const open = [...this.open.values()].find((x) => x.current.includes(i));
      if (open === undefined) return;
      open.current = open.current.filter((j) => j !== i);
      restart.add(open);
    });
    for (const open of restart) {
      // The line's other drugs, if any were sent, keep it treated; else it never started.
      if (open.current.some((j) => this.medications[j]!.authored === at && this.medications[j]!.withdrawn !== true)) continue;
      open.treated--;
      this.startLine(open, encounter, at);
    }
  }

  private remember(r: LabResult, today: Map<string, number>): void {
    const labs = loadLabs().labs;
    const egfr = egfrCodes().has(r.code.code);
    for (const [key, lab] of Object.entries(labs)) if (lab.code.code === r.code.code || (egfr && key === 'egfr')) this.latestLab.set(key, r.value);
    if (r.code.code === labs.ldl.code.code) today.set('ldl', r.value);
    else if (r.code.code === labs.tsh.code.code) today.set('tsh', r.value);
    else if (egfr) {
      today.set('egfr', r.value);
      // A module with `stageByEgfr` (CKD) carries the stage of the latest eGFR on its problem-list entry.
      for (const staged of this.open.values()) {
        if (!staged.course.module.stageByEgfr) continue;
        const draft = this.conditions.find((c) => c.id === staged.conditionId);
        if (draft !== undefined && draft.abatement === undefined) {
          const codes = loadLabs().kidney.stageCodes;
          draft.code = codes[String(stageForEgfr(r.value)) as keyof typeof codes];
        }
      }
    }
  }

  /**
   * The morning labs of one inpatient day: the patient's own panels (their kidneys, glycemia, blood
   * count), each value moved by `shift` (the stay's condition, already faded for the day). They join
   * the chart like any other labs (the CKD stage follows their eGFR; a contraindicated drug stops).
   */
  inpatientLabs(encounter: Encounter, at: Instant, panels: readonly PanelKey[], shift: Readonly<Partial<Record<LabKey, number>>>): void {
    const age = (at - this.birthTime) / MS_PER_YEAR;
    const diabetic = this.isDiabetic(at);
    const state: LabState = {
      at,
      age,
      bmi: undefined,
      hba1c: this.latentA1c(age, undefined, at, diabetic),
      diabetic,
      ldlFactor: this.ldlFactor(at),
      thyroid: this.thyroidState(at),
    };
    const labs = loadLabs();
    const today = new Map<string, number>();
    for (const p of panels) {
      const results = this.physiology.panel(p, state, this.ids).map((r) => {
        const key = labKeyOfCode(r.code.code);
        return shiftLabResult(r, key, key === undefined ? undefined : shift[key], 0);
      });
      this.labReports.push({ id: this.ids.next(), code: labs.panels[p].code, encounterId: encounter.id, practitionerId: encounter.practitionerId, time: at, results });
      for (const r of results) this.remember(r, today);
    }
    this.stopContraindicated(at, encounter);
  }

  /** The diagnoses and lab reports charted so far, for what reads the chart before it is closed (specialist pathways). */
  charted(): { readonly conditions: readonly ConditionEntry[]; readonly labReports: readonly LabReport[] } {
    return { conditions: this.conditions as readonly ConditionEntry[], labReports: this.labReports };
  }

  /**
   * Closes the course at the end of the record (remissions that happened, prescriptions stopped,
   * plans closed) and returns what it charted. `remissionNotBefore` holds, by condition id, when
   * active treatment ends: a remission drawn earlier waits for it.
   */
  finish(end: Instant, died: boolean, remissionNotBefore: ReadonlyMap<string, Instant> = new Map()): StepFragment<'course'> {
    for (const c of this.conditions) {
      // A remission cannot be declared while treatment is still under way (a cancer's pathway).
      const treated = remissionNotBefore.get(c.id);
      if (c.abatement !== undefined && treated !== undefined && c.abatement < treated) c.abatement = treated;
      if (c.abatement !== undefined && c.abatement > end) c.abatement = undefined;
      if (c.abatement !== undefined && c.clinicalStatus === 'active') {
        const m = [...this.open.values()].find((o) => o.conditionId === c.id)?.course.module;
        c.clinicalStatus = m?.remission?.status ?? 'inactive';
      }
    }
    const abated = new Map(this.conditions.map((c) => [c.id, c.abatement]));
    for (const o of this.medications) {
      if (o.status === 'stopped') continue;
      const stop = abated.get(o.conditionId);
      if (stop !== undefined) {
        o.status = 'stopped';
        o.end = Math.max(stop, o.authored);
      } else if (died) {
        o.status = 'stopped';
        o.end = end;
      }
    }
    const goalById = new Map(this.goals.map((g) => [g.id, g]));
    for (const p of this.carePlans) {
      const stop = abated.get(p.conditionId);
      const status = stop !== undefined ? 'completed' : died ? 'revoked' : 'active';
      if (status === 'active') continue;
      p.status = status;
      p.end = Math.max(stop ?? end, p.start);
      for (const id of p.goalIds) {
        const g = goalById.get(id);
        if (g !== undefined) g.lifecycleStatus = status === 'completed' ? 'completed' : 'cancelled';
      }
    }
    const medications = this.medications.filter((o) => o.withdrawn !== true);
    return { conditions: this.conditions, medications, labReports: this.labReports, carePlans: this.carePlans, goals: this.goals };
  }
}

/** A drug's ingredient as dosing.yaml names it (both lisinopril strengths are "lisinopril"). */
function ingredientOf(code: string): string | undefined {
  return loadDosing().drugs[code]?.name;
}
