/**
 * The hospital side of disease, from data/hospital-care.json (encounter types of emergency visits
 * and admissions, discharge dispositions), and how deaths are attributed, from
 * data/mortality-causes.json (the cause-of-death code, and the causes the condition modules do not
 * model, for deaths none of them explains).
 */
import { z } from 'zod';
import { AcuteEpisodeSchema } from './conditions.js';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema, CurveSchema, ShareSchema } from './schemas.js';

export const HospitalCareSchema = z.strictObject({
  source: z.string().min(1),
  encounterTypes: z.strictObject({ emergency: CodingSchema, inpatient: CodingSchema }),
  dischargeDispositions: z.strictObject({ home: CodingSchema, snf: CodingSchema, exp: CodingSchema }),
  /** How long an emergency visit lasts, in hours [min, max]. */
  emergencyHours: z.tuple([z.number().positive(), z.number().positive()]),
  /** Deaths from a chronic condition that happen in hospital, after an admission for it. */
  terminalAdmission: z.strictObject({ inHospitalShare: ShareSchema, episode: AcuteEpisodeSchema }),
});
export type HospitalCare = z.infer<typeof HospitalCareSchema>;

export const loadHospitalCare = once(() => loadKnowledgeFile('hospital-care.json', HospitalCareSchema));

export const MortalityCausesSchema = z.strictObject({
  source: z.string().min(1),
  /** The Observation code a cause of death is recorded under. */
  causeOfDeath: CodingSchema,
  /** Hazard weight of the causes no module models, against a condition's excess (multiplier - 1). */
  backgroundWeightByAge: CurveSchema,
  /** Causes outside the condition modules, weighted by age at death. */
  otherCauses: z.array(z.strictObject({ code: CodingSchema, weightByAge: CurveSchema })).min(1),
});
export type MortalityCauses = z.infer<typeof MortalityCausesSchema>;

export const loadMortalityCauses = once(() => loadKnowledgeFile('mortality-causes.json', MortalityCausesSchema));
