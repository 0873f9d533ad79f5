/**
 * Kidney function as the chart reports it: the CKD-EPI 2021 race-free creatinine equation (both
 * directions, so a drawn eGFR yields the creatinine a lab would have measured) and KDIGO staging.
 */
/** Administrative sex as the equation distinguishes it. */
type AdministrativeSex = 'male' | 'female';

const KAPPA = { female: 0.7, male: 0.9 } as const;
const ALPHA = { female: -0.241, male: -0.302 } as const;

/** eGFR (mL/min/1.73 m²) from serum creatinine (mg/dL), CKD-EPI 2021 (Inker et al., NEJM 2021). */
export function ckdEpi2021(creatinine: number, age: number, sex: AdministrativeSex): number {
  const r = creatinine / KAPPA[sex];
  const sexFactor = sex === 'female' ? 1.012 : 1;
  return 142 * Math.min(r, 1) ** ALPHA[sex] * Math.max(r, 1) ** -1.2 * 0.9938 ** age * sexFactor;
}

/** The serum creatinine at which CKD-EPI 2021 gives `egfr` (the equation inverted). */
export function creatinineForEgfr(egfr: number, age: number, sex: AdministrativeSex): number {
  const sexFactor = sex === 'female' ? 1.012 : 1;
  const ratio = egfr / (142 * 0.9938 ** age * sexFactor);
  const r = ratio >= 1 ? ratio ** (1 / ALPHA[sex]) : ratio ** (1 / -1.2);
  return r * KAPPA[sex];
}

/**
 * eGFR from serum creatinine by the IDMS-traceable 4-variable MDRD Study equation (Levey et al.,
 * Clin Chem 2007: 175 x Scr^-1.154 x age^-0.203 x 0.742 if female), as labs reported it for the
 * patients they did not know to be Black (the race factor 1.212 is left out).
 */
export function mdrd(creatinine: number, age: number, sex: AdministrativeSex): number {
  return 175 * creatinine ** -1.154 * Math.max(18, age) ** -0.203 * (sex === 'female' ? 0.742 : 1);
}

/** The serum creatinine at which MDRD gives `egfr`. */
function creatinineForMdrd(egfr: number, age: number, sex: AdministrativeSex): number {
  return (egfr / (175 * Math.max(18, age) ** -0.203 * (sex === 'female' ? 0.742 : 1))) ** (-1 / 1.154);
}

const ALPHA_2009 = { female: -0.329, male: -0.411 } as const;
const SEX_2009 = { female: 1.018, male: 1 } as const;

/** eGFR by the CKD-EPI 2009 creatinine equation (Levey et al., Ann Intern Med 2009), the non-Black value. */
export function ckdEpi2009(creatinine: number, age: number, sex: AdministrativeSex): number {
  const r = creatinine / KAPPA[sex];
  return 141 * Math.min(r, 1) ** ALPHA_2009[sex] * Math.max(r, 1) ** -1.209 * 0.993 ** age * SEX_2009[sex];
}

/** The serum creatinine at which CKD-EPI 2009 gives `egfr`. */
function creatinineForEpi2009(egfr: number, age: number, sex: AdministrativeSex): number {
  const ratio = egfr / (141 * 0.993 ** age * SEX_2009[sex]);
  return (ratio >= 1 ? ratio ** (1 / ALPHA_2009[sex]) : ratio ** (1 / -1.209)) * KAPPA[sex];
}

type Equation = (value: number, age: number, sex: AdministrativeSex) => number;
export type EgfrEquation = 'mdrd' | 'ckd-epi-2009' | 'ckd-epi-2021';

/**
 * The eGFR equations a lab has reported by (labs.json `egfrEquations` dates them and names their
 * LOINC codes), each with its inverse: the creatinine a lab measures is the one at which the
 * equation of the day gives the patient's GFR, so each era's report stages the kidney the same way.
 */
export const EGFR_EQUATIONS: { readonly [E in EgfrEquation]: { readonly estimate: Equation; readonly creatinineFor: Equation } } = {
  mdrd: { estimate: mdrd, creatinineFor: creatinineForMdrd },
  'ckd-epi-2009': { estimate: ckdEpi2009, creatinineFor: creatinineForEpi2009 },
  'ckd-epi-2021': { estimate: ckdEpi2021, creatinineFor: creatinineForEgfr },
};

export type CkdStage = 1 | 2 | 3 | 4 | 5;

/** KDIGO GFR category as the stage number (G3a and G3b both stage 3). */
export function stageForEgfr(egfr: number): CkdStage {
  if (egfr >= 90) return 1;
  if (egfr >= 60) return 2;
  if (egfr >= 30) return 3;
  if (egfr >= 15) return 4;
  return 5;
}

/** labs.json `kidney.children`: the FAS equation's Q by age and sex (Pottel et al., NDT 2016). */
export interface ChildKidneyKnowledge {
  readonly fasNumerator: number;
  readonly qLinear: { readonly slope: number; readonly intercept: number; readonly fromAge: number; readonly toAge: number };
  readonly qAdolescent: { readonly male: Readonly<Record<string, number>>; readonly female: Readonly<Record<string, number>> };
}

/**
 * Q, the median serum creatinine (mg/dL) of healthy children of this age and sex: linear in age to
 * the adolescent table (held at its first age below `fromAge`), then the table by whole year.
 */
export function childCreatinineQ(age: number, sex: AdministrativeSex, k: ChildKidneyKnowledge): number {
  const { slope, intercept, fromAge, toAge } = k.qLinear;
  if (age < toAge) return slope * Math.max(fromAge, age) + intercept;
  const table = k.qAdolescent[sex];
  const years = Object.keys(table).map(Number).sort((a, b) => a - b);
  const year = years.findLast((y) => y <= Math.floor(age)) ?? years[0]!;
  return table[String(year)]!;
}

/**
 * The serum creatinine a child with this GFR shows, by the full-age-spectrum equation inverted
 * (eGFR = 107.3 / (SCr / Q)): an 11-year-old's normal creatinine is about 0.5 mg/dL, where the
 * adult CKD-EPI equation inverted would give 1.2.
 */
export function childCreatinineForGfr(gfr: number, age: number, sex: AdministrativeSex, k: ChildKidneyKnowledge): number {
  return (childCreatinineQ(age, sex, k) * k.fasNumerator) / gfr;
}
