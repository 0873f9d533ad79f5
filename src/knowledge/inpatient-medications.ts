/**
 * The orders an inpatient team writes at admission, per admission reason, from
 * data/inpatient-medications.yaml (each regimen names its guideline; each drug its dose, route,
 * timing, era and where its RxNorm code was confirmed).
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema } from './schemas.js';

const RouteSchema = z.enum(['intravenous', 'subcutaneous', 'oral', 'inhaled']);

const DrugSchema = z.strictObject({
  medication: CodingSchema,
  confirmed: z.string().min(1),
  /** First day the drug was ordered for this use (its approval, or the trial that made it standard). */
  from: z.iso.date().optional(),
  dose: z.strictObject({ value: z.number().positive(), unit: z.string().min(1) }),
  route: RouteSchema,
  everyHours: z.number().positive().optional(),
  /** Below this eGFR (mL/min/1.73 m2) the drug is not ordered and the slot's next alternative is. */
  minEgfr: z.number().positive().optional(),
  /** A continuous infusion: the dose is a rate, with no repeat interval. */
  continuous: z.literal(true).optional(),
  /** Ages (years) the entry is ordered at: from `minAgeYears`, before `maxAgeYears` (adult doses and products, children's). */
  minAgeYears: z.number().nonnegative().optional(),
  maxAgeYears: z.number().positive().optional(),
  /**
   * A child's dose by the weight charted before the orders: `mgPerKg`, rounded to `roundMg`, never
   * above `dose.value` (the adult dose, in mg). `text` carries `{mg}` for the dose and may carry
   * `{basis}` ("50 mg/kg", or "the maximum dose" at the cap).
   */
  byWeight: z.strictObject({ mgPerKg: z.number().positive(), roundMg: z.number().positive(), source: z.string().min(1) }).optional(),
  text: z.string().min(1),
});

const SlotsSchema = z.array(z.array(z.string().min(1)).min(1)).min(1);
const RegimenSchema = z.strictObject({ name: z.string().min(1), reasons: z.array(z.string().regex(/^\d+$/)).min(1), source: z.string().min(1), slots: SlotsSchema });

export const InpatientMedicationsSchema = z
  .strictObject({
    sources: z.array(z.string().min(1)).min(1),
    routes: z.record(RouteSchema, CodingSchema),
    drugs: z.record(z.string().min(1), DrugSchema),
    regimens: z.array(RegimenSchema).min(1),
    otherMedical: z.strictObject({ source: z.string().min(1), slots: SlotsSchema }),
    operation: z.strictObject({ source: z.string().min(1), slots: SlotsSchema }),
    ordersAfterMinutes: z.number().int().nonnegative(),
    /** Antithrombotics held after thrombolysis: each named drug starts `holdHours` after the procedure. */
    afterThrombolysis: z.strictObject({ procedures: z.array(z.string().regex(/^\d+$/)).min(1), holdHours: z.number().positive(), drugs: z.array(z.string().min(1)).min(1), source: z.string().min(1) }),
  })
  .superRefine((k, ctx) => {
    const slots = [...k.regimens.flatMap((r) => r.slots), k.otherMedical.slots, k.operation.slots, [k.afterThrombolysis.drugs]].flat(2);
    for (const d of slots) if (k.drugs[d] === undefined) ctx.addIssue({ code: 'custom', message: `slot names unknown drug ${d}` });
    for (const d of Object.values(k.drugs)) {
      if ((d.everyHours === undefined) === (d.continuous === undefined)) ctx.addIssue({ code: 'custom', message: `${d.text}: give everyHours or continuous, not both` });
      if (d.byWeight !== undefined && (d.dose.unit !== 'mg' || !d.text.includes('{mg}'))) ctx.addIssue({ code: 'custom', message: `${d.text}: a weight-based dose is in mg and its text names {mg}` });
      if (d.byWeight === undefined && d.text.includes('{')) ctx.addIssue({ code: 'custom', message: `${d.text}: only a weight-based dose has placeholders` });
      if (d.minAgeYears !== undefined && d.maxAgeYears !== undefined && d.minAgeYears >= d.maxAgeYears) ctx.addIssue({ code: 'custom', message: `${d.text}: empty age range` });
    }
    const reasons = k.regimens.flatMap((r) => r.reasons);
    if (new Set(reasons).size !== reasons.length) ctx.addIssue({ code: 'custom', message: 'an admission reason is in two regimens' });
  });
export type InpatientMedications = z.infer<typeof InpatientMedicationsSchema>;
export type InpatientDrug = z.infer<typeof DrugSchema>;
export type InpatientRoute = z.infer<typeof RouteSchema>;

export const loadInpatientMedications = once(() => loadKnowledgeFile('inpatient-medications.yaml', InpatientMedicationsSchema));

/** The regimen's slots for a stay: by its reason code, else the planned operation's or any medical stay's. */
export function regimenFor(reason: string | undefined, planned: boolean, k: InpatientMedications = loadInpatientMedications()): { readonly name: string; readonly slots: readonly (readonly string[])[] } {
  if (planned) return { name: 'planned operation', slots: k.operation.slots };
  const r = k.regimens.find((x) => reason !== undefined && x.reasons.includes(reason));
  return r ?? { name: 'other medical', slots: k.otherMedical.slots };
}

/** The drug entry by key; a key the file does not define is a knowledge error. */
export function inpatientDrug(key: string, k: InpatientMedications = loadInpatientMedications()): InpatientDrug {
  const d = k.drugs[key];
  if (d === undefined) throw new KnowledgeError(`inpatient-medications.yaml: no drug ${key}`);
  return d;
}
