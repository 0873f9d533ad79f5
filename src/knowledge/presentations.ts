/**
 * How acute conditions and exacerbations present, as data (`data/presentations.yaml`): the chief
 * complaint in the patient's words, the symptoms with their frequencies, the onset, the pertinent
 * negatives a clinician asks about and the exam findings. The notes' fact sheet draws one
 * presentation per visit from this; each entry names its sources.
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { loadKnowledgeFile, once } from './load.js';
import { ShareSchema } from './schemas.js';

const RangeSchema = z
  .strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() })
  .refine((r) => r.min <= r.max, 'min must not exceed max');

const SymptomSchema = z.strictObject({
  /** The symptom's name; the note vocabulary's symptom name where it has one. */
  name: z.string().min(1),
  share: ShareSchema,
  /** Present exactly when the recorded temperature is febrile (the record decides, not the draw). */
  fever: z.boolean().default(false),
  /** How a history states it; `{side}` is the visit's side. */
  words: z.array(z.string().min(1)).min(1),
  /** Caregiver's words for young children (under 5). */
  childWords: z.array(z.string().min(1)).optional(),
  minAge: z.number().nonnegative().default(0),
  maxAge: z.number().positive().default(200),
});

const FindingSchema = z.strictObject({
  /** Exam system the finding belongs under ("HEENT", "Lungs"...). */
  system: z.string().min(1),
  words: z.array(z.string().min(1)).min(1),
  /** How the finding is charted in a young child (under 5), where "oriented x3" cannot be tested. */
  childWords: z.array(z.string().min(1)).optional(),
});

const PresentationSchema = z
  .strictObject({
    key: z.string().min(1),
    /** SNOMED CT codes of the conditions (encounter reasons) that present this way. */
    codes: z.array(z.string().regex(/^\d+$/)).min(1),
    source: z.string().min(10),
    complaints: z.array(z.string().min(1)).min(1),
    childComplaints: z.array(z.string().min(1)).optional(),
    /** Symptom onset before the visit when the record has none earlier than the diagnosis. */
    onsetDays: RangeSchema.optional(),
    onsetHours: RangeSchema.optional(),
    symptoms: z.array(SymptomSchema).min(1),
    /** Symptoms a clinician asks about for this presentation and documents as absent when they are. */
    negatives: z.array(z.string().min(1)),
    findings: z.array(FindingSchema).min(1),
    /** Counseling and return precautions of this presentation (no drugs or tests: those come from the record). */
    plan: z.array(z.string().min(1)).min(1),
    /**
     * What a discharge summary of a stay for this condition instructs (diet, wound care, activity,
     * warning signs) and the follow-up it arranges, in place of `plan`: the admission's orders ("NPO,
     * IV fluids", "Surgical consultation") are done by the discharge. Without it a discharge summary
     * writes no condition-specific instructions.
     */
    discharge: z
      .strictObject({
        /** The instructions also suit a patient sent home from the emergency department (a respiratory infection, not an operation). */
        fromEd: z.boolean().default(false),
        instructions: z.array(z.string().min(1)).min(1),
        /** The closing follow-up line (a whole sentence), e.g. the surgery clinic after an operation. */
        followUp: z.array(z.string().min(1)).min(1),
        source: z.string().min(10),
      })
      .optional(),
  })
  .refine((p) => (p.onsetDays === undefined) !== (p.onsetHours === undefined), 'give exactly one of onsetDays and onsetHours');

const PresentationsFileSchema = z.strictObject({
  /** Symptoms only a child of 3 or more can report in words. */
  verbalSymptoms: z.array(z.string().min(1)),
  presentations: z.array(PresentationSchema).min(1),
});

export type Presentation = z.infer<typeof PresentationSchema>;
export type PresentationSymptom = z.infer<typeof SymptomSchema>;

const presentationsFile = once(() => loadKnowledgeFile('presentations.yaml', PresentationsFileSchema));

/** Symptoms only a child of 3 or more can report in words (without caregiver words for them). */
export const verbalSymptoms = once((): ReadonlySet<string> => new Set(presentationsFile().verbalSymptoms));

/** Presentations by condition code; a code listed twice is a packaging bug. */
export const presentationsByCode = once((): ReadonlyMap<string, Presentation> => {
  const file = presentationsFile();
  const map = new Map<string, Presentation>();
  for (const p of file.presentations) {
    for (const code of p.codes) {
      if (map.has(code)) throw new KnowledgeError(`presentations.yaml: code ${code} belongs to two presentations`);
      map.set(code, p);
    }
  }
  return map;
});
