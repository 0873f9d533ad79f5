/**
 * Personal laboratory physiology: the latent levels a person's lab results are read from (LDL
 * rising with age and with hyperlipidemia, eGFR declining with age and faster with diabetes and
 * hypertension, CKD setting its own course from onset, TSH high in untreated hypothyroidism), and
 * the panels a lab would report from them. Latent traits are drawn once per life, so successive
 * results are a trajectory rather than independent draws; only visit noise is drawn per result.
 */
import type { Instant } from '../core/time.js';
import {
  egfrCodes,
  egfrEraAt,
  loadLabs,
  LAB_EFFECTS,
  PANEL_ANALYTES,
  type LabDistribution,
  type LabEffect,
  type LabKey,
  type Panel,
  type PanelKey,
} from '../knowledge/labs.js';
import type { AdministrativeSex, LabResult } from '../record/types.js';
import type { IdAllocator } from './ids.js';
import { childCreatinineForGfr, childCreatinineQ, EGFR_EQUATIONS, stageForEgfr, type CkdStage } from '../knowledge/kidney.js';
import type { Rng } from '../core/random.js';
import { drawLabValue, labResult } from './lab-draw.js';

export type { PanelKey };

/** The analytes drawn around a personal set point by their within-subject CV (labs.json `variation.cv`). */
const VARIED_LABS = ['sodium', 'potassium', 'chloride', 'co2', 'calcium', 'wbc', 'platelets'] as const;
type VariedLab = (typeof VARIED_LABS)[number];
export { PANEL_ANALYTES, panelModelGaps } from '../knowledge/labs.js';
export { drawLabValue, labResult, roundLab, shiftLabResult, type LabSubject } from './lab-draw.js';

/**
 * Latent onset ages of the conditions that move lab values (undefined: never in this life), one per
 * {@link LabEffect}: a condition module sets one with its `labEffect`.
 */
export type LabOnsets = { readonly [E in LabEffect]: number | undefined };

/** The lab onsets of a life: each effect at the earliest onset among the modules that set it. */
export function labOnsetsOf(courses: readonly { readonly module: { readonly labEffect?: LabEffect | undefined }; readonly onsetAge: number | undefined }[]): LabOnsets {
  const out = Object.fromEntries(LAB_EFFECTS.map((e) => [e, undefined])) as { [E in LabEffect]: number | undefined };
  for (const c of courses) {
    const e = c.module.labEffect;
    if (e !== undefined && c.onsetAge !== undefined) out[e] = Math.min(out[e] ?? Infinity, c.onsetAge);
  }
  return out;
}

/** What treatment and disease state change today: supplied by the clinical course. */
export interface LabState {
  /** When the sample is drawn (the lab reports by the methods of that date). */
  readonly at: Instant;
  readonly age: number;
  readonly bmi: number | undefined;
  /** Today's latent HbA1c (%), without visit noise. */
  readonly hba1c: number;
  readonly diabetic: boolean;
  /** Multiplier on LDL from lipid-lowering therapy (1: none). */
  readonly ldlFactor: number;
  /** Hypothyroidism: not present, untreated, or replaced long enough to have normalised TSH. */
  readonly thyroid: 'normal' | 'untreated' | 'treated';
}

interface CkdCourse {
  readonly onset: number;
  readonly startEgfr: number;
  readonly declinePerYear: number;
  readonly albuminuric: boolean;
}

export class LabPhysiology {
  private readonly labs = loadLabs();
  private readonly ldlOffset: number;
  private readonly hdlOffset: number;
  private readonly tgOffset: number;
  private readonly egfrAt20: number;
  private readonly hemoglobinOffset: number;
  private readonly tshNormal: number;
  private readonly tshUntreated: number;
  private readonly diabeticAlbuminuria: boolean;
  private readonly ckd: CkdCourse | undefined;

  /** Visit-to-visit noise: `traits`' own stream unless another is given. */
  private readonly rng: Rng;
  /** This person's own distribution of each analyte: their homeostatic set point, varied by its within-subject CV (labs.json `variation`). */
  private readonly daily: Readonly<Record<VariedLab, LabDistribution>>;

  /**
   * `traits` keys the person's latent levels (its `traits` child) and, unless `noise` is given, the
   * visit noise; a second physiology over the same `traits` with its own `noise` reads the same person
   * without moving the first one's draws (the ward's labs).
   */
  constructor(
    traitsRng: Rng,
    private readonly sex: AdministrativeSex,
    private readonly onsets: LabOnsets,
    noise?: Rng,
  ) {
    this.rng = noise ?? traitsRng;
    const { lipids, kidney, blood, thyroid } = this.labs;
    const traits = traitsRng.fork('traits');
    this.ldlOffset = traits.normal(0, lipids.ldlPersonalSd);
    this.hdlOffset = traits.normal(0, lipids.hdlSd);
    this.tgOffset = traits.normal(0, lipids.triglyceridesSd);
    this.egfrAt20 = traits.normal(kidney.egfrAt20, kidney.egfrPersonalSd);
    this.hemoglobinOffset = traits.normal(0, blood.hemoglobinSd);
    this.tshNormal = thyroid.normalMedian * Math.exp(traits.normal(0, thyroid.normalLogSd));
    this.tshUntreated = traits.uniform(thyroid.untreatedMin, thyroid.untreatedMax);
    this.diabeticAlbuminuria = traits.chance(kidney.diabeticAlbuminuriaShare);
    // Own stream, so the traits above keep their draws.
    const points = traitsRng.fork('set-points');
    const population: Record<VariedLab, LabDistribution> = { ...this.labs.chemistry, wbc: blood.wbc, platelets: blood.platelets };
    const cv = this.labs.variation.cv;
    this.daily = Object.fromEntries(
      VARIED_LABS.map((k) => {
        const d = population[k];
        // The population spread less the within-person part, so people still differ as much as before.
        const between = Math.sqrt(Math.max(0, d.sd ** 2 - (cv[k] * d.mean) ** 2));
        const setPoint = drawLabValue({ ...d, sd: between }, points);
        return [k, { mean: setPoint, sd: cv[k] * setPoint, ...(d.min === undefined ? {} : { min: d.min }), ...(d.max === undefined ? {} : { max: d.max }) }];
      }),
    ) as Record<VariedLab, LabDistribution>;
    if (onsets.ckd !== undefined) {
      const { stage, startEgfr } = kidney.stageAtOnset[traits.weightedIndex(kidney.stageAtOnset.map((s) => s.share))]!;
      const start = startEgfr === 'trajectory' ? Math.max(kidney.nonCkdFloor, this.naturalEgfr(onsets.ckd)) : traits.uniform(startEgfr.min, startEgfr.max);
      this.ckd = {
        onset: onsets.ckd,
        startEgfr: start,
        declinePerYear: traits.uniform(kidney.ckdDeclinePerYear.min, kidney.ckdDeclinePerYear.max),
        albuminuric: stage <= 2 || traits.chance(kidney.advancedAlbuminuriaShare),
      };
    }
  }

  private naturalEgfr(age: number): number {
    const k = this.labs.kidney;
    const o = this.onsets;
    let egfr = this.egfrAt20 - k.declinePerYear * Math.max(0, age - k.declineFromAge);
    if (o.diabetes !== undefined) egfr -= k.diabetesExtraDecline * Math.max(0, age - o.diabetes);
    if (o.hypertension !== undefined) egfr -= k.hypertensionExtraDecline * Math.max(0, age - o.hypertension);
    return Math.min(egfr, k.egfrMax);
  }

  /** Latent eGFR at an age: the CKD course once it has begun, else the age trajectory kept above the CKD range. */
  latentEgfr(age: number): number {
    const c = this.ckd;
    if (c === undefined || age < c.onset) return Math.max(this.labs.kidney.nonCkdFloor, this.naturalEgfr(age));
    return Math.max(this.labs.kidney.egfrMin, c.startEgfr - c.declinePerYear * (age - c.onset));
  }

  private inCkd(age: number): boolean {
    return this.ckd !== undefined && age >= this.ckd.onset;
  }

  private albuminuric(age: number): boolean {
    if (this.inCkd(age) && this.ckd!.albuminuric) return true;
    const dm = this.onsets.diabetes;
    return this.diabeticAlbuminuria && dm !== undefined && age >= dm + this.labs.kidney.diabeticAlbuminuriaAfterYears;
  }

  private result(ids: IdAllocator, key: LabKey, raw: number, code = this.labs.labs[key].code): LabResult {
    return labResult(key, raw, ids, { sex: this.sex }, code);
  }

  /** A child's creatinine, flagged against the children's interval (Q x 0.67 to Q x 1.33), not an adult's. */
  private childCreatinine(ids: IdAllocator, raw: number, age: number): LabResult {
    const c = this.labs.kidney.children;
    const q = childCreatinineQ(age, this.sex, c);
    const r = this.result(ids, 'creatinine', raw);
    return { ...r, low: Math.round(q * c.referenceRatio.min * 100) / 100, high: Math.round(q * c.referenceRatio.max * 100) / 100 };
  }

  /** Today's value of an analyte: drawn from the person's own distribution (set point, within-subject CV, the population's bounds). */
  private own(k: VariedLab, r: Rng): number {
    return drawLabValue(this.daily[k], r);
  }

  /** The results of one panel, in the panel's member order. */
  panel(key: PanelKey, s: LabState, ids: IdAllocator): LabResult[] {
    const values: Readonly<Partial<Record<LabKey, number>>> = this.models[key](s);
    const panel: Panel = this.labs.panels[key];
    // eGFR is reported by the equation of the day, under that equation's code, and not at all before
    // labs computed it, nor for a child (the adult equations hold from 18).
    const children = this.labs.kidney.children;
    const egfr = s.age < children.reportEgfrFromAge ? undefined : egfrEraAt(s.at);
    const out: LabResult[] = [];
    for (const m of panel.members) {
      if (m === 'creatinine' && s.age < children.reportEgfrFromAge) out.push(this.childCreatinine(ids, values[m]!, s.age));
      else if (m !== 'egfr') out.push(this.result(ids, m, values[m]!));
      else if (egfr !== undefined) out.push(this.result(ids, m, values[m]!, egfr.code));
    }
    return out;
  }

  /**
   * The value model of each panel, keyed by every {@link PanelKey}: a panel added to the knowledge
   * without a model here fails to compile, and each model must return every analyte it declares in
   * {@link PANEL_ANALYTES}. Draw order inside a model is part of the output: change it and every
   * later value of the patient changes.
   */
  private readonly models: { readonly [K in PanelKey]: (s: LabState) => Analytes<K> } = {
    bmp: (s) => {
      const r = this.rng;
      const L = this.labs;
      const c = L.chemistry;
      const years = Math.floor(s.age);
      const latent = this.latentEgfr(s.age);
      let egfr = latent * (1 + L.variation.egfrCv * r.normal(0, 1));
      if (!this.inCkd(s.age)) egfr = Math.max(L.kidney.nonCkdFloor, egfr);
      // The creatinine at which the equation of the day gives this GFR; the lab reports that
      // equation's eGFR of it, so the two agree exactly (before labs reported eGFR, today's
      // equation stands in for the body's own stage, which still moves potassium).
      const era = egfrEraAt(s.at);
      const equation = EGFR_EQUATIONS[era?.equation ?? 'ckd-epi-2021'];
      // A child's creatinine follows the children's equation (the adult one inverted at 11 gives an
      // adult's 1.2 mg/dL); no eGFR is reported for a child, so the body's own GFR stages it.
      const child = s.age < L.kidney.children.reportEgfrFromAge;
      const creatinine = Math.round((child ? childCreatinineForGfr(Math.max(4, egfr), s.age, this.sex, L.kidney.children) : equation.creatinineFor(Math.max(4, egfr), years, this.sex)) * 100) / 100;
      const reported = child ? Math.round(egfr) : Math.round(equation.estimate(creatinine, years, this.sex));
      const stage = stageForEgfr(reported);
      const k = c.potassiumStageTerm;
      const advanced = this.inCkd(s.age) ? Math.max(0, stage - k.overStage) + (stage >= 3 ? k.fromStage3 : 0) : 0;
      const { averageGlucose: line, panelGlucose } = L.glycemia;
      const glucose = Math.max(panelGlucose.min, line.slope * s.hba1c + line.intercept + r.normal(0, panelGlucose.visitSd));
      const bun = Math.max(c.bunMin, c.bunBase + c.bunPerCreatinine * creatinine + r.normal(0, c.bunSd));
      const sodium = this.own('sodium', r);
      const potassium = this.own('potassium', r) + c.potassiumPerStageOver3 * advanced;
      const chloride = this.own('chloride', r);
      const co2 = this.own('co2', r) - (stage >= c.co2DropAdvancedCkd.fromStage && this.inCkd(s.age) ? c.co2DropAdvancedCkd.mmolL : 0);
      const calcium = this.own('calcium', r);
      return { glucose, bun, creatinine, egfr: reported, sodium, potassium, chloride, co2, calcium };
    },
    cbc: (s) => {
      const r = this.rng;
      const b = this.labs.blood;
      const advancedCkd = this.inCkd(s.age) && this.latentEgfr(s.age) < b.advancedCkdBelowEgfr;
      const hemoglobin =
        (this.sex === 'female' ? b.hemoglobinFemale : b.hemoglobinMale) + this.hemoglobinOffset - (advancedCkd ? b.hemoglobinDropAdvancedCkd : 0) + r.normal(0, b.hemoglobinVisitSd);
      const hematocrit = hemoglobin * b.hematocritPerHemoglobin + r.normal(0, b.hematocritVisitSd);
      const wbc = this.own('wbc', r);
      const platelets = this.own('platelets', r);
      return { hemoglobin, hematocrit, wbc, platelets };
    },
    lipid: (s) => {
      const r = this.rng;
      const p = this.labs.lipids;
      const bmiOver = (s.bmi ?? 25) - 25;
      let ldl = p.ldlAt20 + p.ldlPerYearTo60 * Math.min(p.ldlRisesUntilAge - 20, Math.max(0, s.age - 20)) + this.ldlOffset;
      const hl = this.onsets.hyperlipidemia;
      if (hl !== undefined && s.age >= hl) ldl += p.hyperlipidemiaShift;
      ldl = Math.max(p.ldlMin, ldl * s.ldlFactor + r.normal(0, p.ldlVisitSd));
      const hdl = Math.max(p.hdlMin, (this.sex === 'female' ? p.hdlFemale : p.hdlMale) + this.hdlOffset + p.hdlPerBmiOver25 * bmiOver + r.normal(0, p.hdlVisitSd));
      const triglycerides = Math.max(
        p.triglyceridesMin,
        p.triglyceridesBase + p.triglyceridesPerBmiOver25 * bmiOver + (s.diabetic ? p.triglyceridesDiabetic : 0) + this.tgOffset + r.normal(0, p.triglyceridesVisitSd),
      );
      // Friedewald's sum as the lab's calculated total, from the values it reports.
      return { ldl, hdl, triglycerides, totalCholesterol: Math.round(ldl) + Math.round(hdl) + Math.round(triglycerides / 5) };
    },
    tsh: (s) => {
      const level = s.thyroid === 'untreated' ? this.tshUntreated : this.tshNormal;
      return { tsh: level * Math.exp(this.rng.normal(0, this.labs.thyroid.visitLogSd)) };
    },
    uacr: (s) => {
      const r = this.rng;
      const k = this.labs.kidney;
      const uacr = this.albuminuric(s.age)
        ? r.uniform(k.uacrAlbuminuric.min, k.uacrAlbuminuric.max)
        : drawLabValue(k.uacrNormal, r);
      return { uacr };
    },
  };
}

type Analytes<K extends PanelKey> = Record<(typeof PANEL_ANALYTES)[K][number], number>;

/** The CKD stage a chart would record from the latest eGFR (stages 1-2 need albuminuria, which CKD here always has). */
export function stageOfReport(results: readonly LabResult[]): CkdStage | undefined {
  const codes = egfrCodes();
  const egfr = results.find((r) => codes.has(r.code.code));
  return egfr === undefined ? undefined : stageForEgfr(egfr.value);
}
