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

export type CkdStage = 1 | 2 | 3 | 4 | 5;

/** KDIGO GFR category as the stage number (G3a and G3b both stage 3). */
export function stageForEgfr(egfr: number): CkdStage {
  if (egfr >= 90) return 1;
  if (egfr >= 60) return 2;
  if (egfr >= 30) return 3;
  if (egfr >= 15) return 4;
  return 5;
}
