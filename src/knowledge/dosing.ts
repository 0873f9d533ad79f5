/**
 * How each ordered drug is taken and dispensed, from data/dosing.yaml: the structured dosage a
 * pharmacy fills and the size of each fill. Every RxNorm code a module orders must have an entry
 * (test/knowledge checks it), so no order goes out as "take as directed".
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema } from './schemas.js';

/** FHIR Timing.repeat.when codes the data may use (HL7 EventTiming). */
const EventTimingSchema = z.enum(['MORN', 'HS', 'C', 'CM', 'CV', 'AC', 'ACM', 'ACD', 'ACV', 'EVE']);

/** One administration pattern: `amount` of `unit`, either so many times a day or every so often. */
const DoseSchema = z
  .strictObject({
    amount: z.number().positive(),
    unit: z.string().min(1),
    perDay: z.number().int().positive().optional(),
    everyHours: z.number().positive().optional(),
    everyMinutes: z.number().positive().optional(),
    when: z.array(EventTimingSchema).default([]),
    /** Most the patient may take in the period (as-needed drugs). */
    maxPer: z.strictObject({ amount: z.number().positive(), hours: z.number().positive() }).optional(),
  })
  .refine((d) => [d.perDay, d.everyHours, d.everyMinutes].filter((x) => x !== undefined).length === 1, {
    message: 'a dose needs exactly one of perDay, everyHours, everyMinutes',
  });

const FillSchema = z.strictObject({
  quantity: z.number().positive(),
  unit: z.string().min(1),
  supplyDays: z.number().int().positive(),
  refills: z.number().int().nonnegative(),
});

/**
 * A liquid dosed by the child's weight: each dose is `mgPerKg` of the recorded weight (capped at the
 * adult dose `maxMgPerDose`), measured in mL of a `mgPerMl` liquid rounded to `roundMl` (what an oral
 * syringe measures). The drug's dose lines then count doses (amount 1 = one weight-based dose) and
 * its `sig` carries `{ml}` and `{mg}` for the measured volume and the milligrams it holds.
 */
const ByWeightSchema = z.strictObject({
  mgPerKg: z.number().positive(),
  maxMgPerDose: z.number().positive(),
  mgPerMl: z.number().positive(),
  roundMl: z.number().positive(),
  /** Dispensed as whole bottles of this many mL. */
  bottleMl: z.number().positive(),
  /** A different mg/kg (and cap) for one acute condition, keyed by its module key (strep: IDSA 2012). */
  byCondition: z.record(z.string(), z.strictObject({ mgPerKg: z.number().positive(), maxMgPerDose: z.number().positive() })).default({}),
  source: z.string().min(1),
});

const DrugDosingSchema = z.strictObject({
  name: z.string().min(1),
  byWeight: ByWeightSchema.optional(),
  doses: z.array(DoseSchema).min(1),
  route: z.string().min(1),
  /** Reasons an as-needed drug is taken for (keys of `reasons`); absent for scheduled drugs. */
  asNeeded: z.array(z.string().min(1)).optional(),
  /** Units taken on the first day instead of the daily amount (azithromycin's loading dose). */
  loadingDose: z.number().positive().optional(),
  /** The patient-facing instruction, as printed on the label. */
  sig: z.string().min(1),
  /** Fixed fill (devices, vials); without it chronic drugs get `chronicFill` of the daily count and courses the whole course. */
  fill: FillSchema.optional(),
});

export const DosingSchema = z
  .strictObject({
    sources: z.array(z.string().min(1)).min(1),
    routes: z.record(z.string(), CodingSchema),
    reasons: z.record(z.string(), CodingSchema),
    units: z.record(z.string(), z.strictObject({ code: z.string().min(1), display: z.string().min(1) })),
    chronicFill: z.strictObject({ supplyDays: z.number().int().positive(), refills: z.number().int().nonnegative() }),
    /** Keyed by RxNorm code, or by the code of an era's product in the historical-medication code system. */
    drugs: z.record(z.string().regex(/^(\d+|[a-z0-9]+(-[a-z0-9]+)*)$/), DrugDosingSchema),
  })
  .superRefine((d, ctx) => {
    for (const [code, drug] of Object.entries(d.drugs)) {
      const templated = drug.sig.includes('{ml}');
      if (templated !== (drug.byWeight !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['drugs', code], message: 'a weight-dosed drug (byWeight) and only one has {ml} in its sig' });
      }
      const units = [...drug.doses.map((x) => x.unit), ...(drug.fill === undefined ? [] : [drug.fill.unit])];
      for (const u of units) if (d.units[u] === undefined) ctx.addIssue({ code: 'custom', path: ['drugs', code], message: `unknown unit ${u}` });
      if (d.routes[drug.route] === undefined) ctx.addIssue({ code: 'custom', path: ['drugs', code], message: `unknown route ${drug.route}` });
      for (const r of drug.asNeeded ?? []) {
        if (d.reasons[r] === undefined) ctx.addIssue({ code: 'custom', path: ['drugs', code], message: `unknown reason ${r}` });
      }
    }
  });
export type Dosing = z.infer<typeof DosingSchema>;
export type DrugDosing = Dosing['drugs'][string];
export type DoseLine = DrugDosing['doses'][number];

export const loadDosing = once(() => loadKnowledgeFile('dosing.yaml', DosingSchema));

/** One weight-based dose: the volume measured, the milligrams it holds, and the weight it was worked from. */
export interface WeightDose {
  readonly ml: number;
  readonly mg: number;
  readonly weightKg: number;
}

/** The dose a weight-dosed liquid gives a child of `weightKg` for a condition; undefined for fixed-dose drugs. */
export function weightDose(drug: DrugDosing, weightKg: number, conditionKey?: string): WeightDose | undefined {
  const w = drug.byWeight;
  if (w === undefined) return undefined;
  const rule = (conditionKey === undefined ? undefined : w.byCondition[conditionKey]) ?? w;
  const mg = Math.min(rule.maxMgPerDose, rule.mgPerKg * weightKg);
  const ml = Math.max(w.roundMl, Math.round(mg / w.mgPerMl / w.roundMl) * w.roundMl);
  const rounded = Math.round(ml * 100) / 100;
  return { ml: rounded, mg: Math.round(rounded * w.mgPerMl), weightKg };
}

/**
 * The dosing of one order: fixed-dose drugs as the data has them; a weight-dosed liquid with its
 * dose lines in mL for this child (the dose the order was written with) and its sig filled in.
 */
export function dosingForOrder(drug: DrugDosing, dose: WeightDose | undefined): DrugDosing {
  if (dose === undefined || drug.byWeight === undefined) return drug;
  const scale = (n: number): number => Math.round(n * dose.ml * 100) / 100;
  return {
    ...drug,
    doses: drug.doses.map((d) => ({
      ...d,
      amount: scale(d.amount),
      ...(d.maxPer === undefined ? {} : { maxPer: { ...d.maxPer, amount: scale(d.maxPer.amount) } }),
    })),
    sig: drug.sig.replaceAll('{ml}', String(dose.ml)).replaceAll('{mg}', String(dose.mg)),
  };
}

/** Units a scheduled dose line uses per day (as-needed lines: the most allowed per day). */
export function unitsPerDay(d: DoseLine): number {
  if (d.perDay !== undefined) return d.amount * d.perDay;
  if (d.maxPer !== undefined) return (d.maxPer.amount * 24) / d.maxPer.hours;
  const hours = d.everyHours ?? (d.everyMinutes ?? 60) / 60;
  return d.amount * Math.floor(24 / hours);
}

/** What one fill dispenses: the data's fixed fill, a chronic fill, or the whole course. */
export function fillFor(drug: DrugDosing, courseDays: number | undefined, dosing: Dosing = loadDosing()): {
  quantity: number;
  unit: string;
  supplyDays: number;
  refills: number;
} {
  if (drug.fill !== undefined) {
    if (courseDays === undefined) return drug.fill;
    return { ...drug.fill, supplyDays: Math.min(drug.fill.supplyDays, courseDays), refills: 0 };
  }
  const perDay = drug.doses.reduce((s, d) => s + unitsPerDay(d), 0);
  const unit = drug.doses[0]!.unit;
  if (drug.byWeight !== undefined && courseDays !== undefined) {
    // Liquids come in bottles: enough whole bottles for the course.
    const bottle = drug.byWeight.bottleMl;
    return { quantity: Math.max(1, Math.ceil((perDay * courseDays) / bottle)) * bottle, unit, supplyDays: courseDays, refills: 0 };
  }
  if (courseDays === undefined) {
    const { supplyDays, refills } = dosing.chronicFill;
    return { quantity: perDay * supplyDays, unit, supplyDays, refills };
  }
  const loading = drug.loadingDose === undefined ? 0 : drug.loadingDose - perDay;
  return { quantity: Math.ceil(perDay * courseDays + loading), unit, supplyDays: courseDays, refills: 0 };
}
