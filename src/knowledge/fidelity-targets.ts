import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

/** Ages in whole years at the reference date; `maxAge` is inclusive. */
const PopulationSchema = z.strictObject({
  minAge: z.number().int().min(0),
  maxAge: z.number().int().min(0).optional(),
});

/** An accepted range for a proportion, inclusive at both ends. */
const BandSchema = z
  .strictObject({ min: z.number().min(0).max(1), max: z.number().min(0).max(1) })
  .refine((b) => b.min <= b.max, 'band min must not exceed max');

const Common = {
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  label: z.string().min(1),
  population: PopulationSchema,
  usFigure: z.string().min(1),
  source: z.string().min(1),
};

/** Share of the population with an active Condition carrying one of `codes` (SNOMED CT). */
const ConditionMeasure = z.strictObject({ ...Common, kind: z.literal('condition'), codes: z.array(z.string().min(1)).min(1), band: BandSchema });

/** Share whose latest Observation with `loinc` has a valueQuantity >= `atLeast`. */
const LatestQuantityMeasure = z.strictObject({
  ...Common,
  kind: z.literal('latest-quantity'),
  loinc: z.string().min(1),
  atLeast: z.number(),
  band: BandSchema,
});

/** Share whose latest Observation with `loinc` has a valueCodeableConcept among `valueCodes`. */
const LatestCodedMeasure = z.strictObject({
  ...Common,
  kind: z.literal('latest-coded'),
  loinc: z.string().min(1),
  valueCodes: z.array(z.string().min(1)).min(1),
  band: BandSchema,
});

/** Share with at least one completed Immunization carrying one of the `cvx` codes. */
const ImmunizationMeasure = z.strictObject({ ...Common, kind: z.literal('immunization'), cvx: z.array(z.string().min(1)).min(1), band: BandSchema });

/**
 * Share of the patients with an active `codes` condition who never had a MedicationRequest for it
 * (its reasonReference): the untreated, against the shares the condition modules draw from.
 */
const UntreatedMeasure = z.strictObject({ ...Common, kind: z.literal('untreated'), codes: z.array(z.string().min(1)).min(1), band: BandSchema });

/**
 * Mean of the latest `loinc` value in patients with an active `groupCodes` condition minus the mean
 * in the others; passes when at least `minDifference`.
 */
const MeanDifferenceMeasure = z.strictObject({
  ...Common,
  kind: z.literal('mean-difference'),
  loinc: z.string().min(1),
  groupCodes: z.array(z.string().min(1)).min(1),
  minDifference: z.number(),
  minGroupSize: z.number().int().min(1),
});

export const FidelityMeasureSchema = z.discriminatedUnion('kind', [
  ConditionMeasure,
  LatestQuantityMeasure,
  LatestCodedMeasure,
  ImmunizationMeasure,
  MeanDifferenceMeasure,
  UntreatedMeasure,
]);

export const FidelityTargetsSchema = z
  .strictObject({
    note: z.string().min(1),
    minDenominator: z.number().int().min(1),
    measures: z.array(FidelityMeasureSchema).min(1),
  })
  .refine((f) => new Set(f.measures.map((m) => m.id)).size === f.measures.length, 'measure ids must be unique');

export type FidelityMeasure = z.infer<typeof FidelityMeasureSchema>;
export type FidelityTargets = z.infer<typeof FidelityTargetsSchema>;

/** The prevalence targets of `data/fidelity-targets.json`, validated once per process. */
export const loadFidelityTargets = once((): FidelityTargets => loadKnowledgeFile('fidelity-targets.json', FidelityTargetsSchema));
