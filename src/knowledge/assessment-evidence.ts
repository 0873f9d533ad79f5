/**
 * Which evidence an assessment cites per chronic problem (`data/assessment-evidence.yaml`): blood
 * pressure for hypertension, A1c for diabetes, eGFR and potassium for CKD, LDL for hyperlipidemia,
 * TSH for hypothyroidism, with the goal each is judged against and its source.
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { loadKnowledgeFile, once } from './load.js';

/** Not at goal above `above`; for blood pressure, either component above its part of systolic/diastolic. */
const GoalSchema = z.union([z.strictObject({ systolic: z.number(), diastolic: z.number() }), z.strictObject({ above: z.number() })]);

const EvidenceSchema = z.strictObject({
  match: z.string().min(1),
  vitals: z.array(z.string().regex(/^vital\./)).default([]),
  labs: z.array(z.string().regex(/^\d+-\d$/)).default([]),
  goal: GoalSchema.optional(),
  source: z.string().min(10),
  /**
   * The goal while the patient is pregnant, in place of `goal` (an A1c below 6%, not 7%; a blood
   * pressure below 140/90), with its own source.
   */
  pregnancyGoal: z.strictObject({ goal: GoalSchema, source: z.string().min(10) }).optional(),
  /**
   * Goals of particular labs of the rule, by LOINC code, in place of `goal` when that lab is the one
   * cited (diabetes before HbA1c: a fasting glucose judged against the fasting goal range). At goal
   * from `low` to `high` inclusive.
   */
  /**
   * What the plan says when none of the rule's labs is on the sheet (none in the year before the
   * visit): what is known and the test that is due, instead of "monitoring" on no evidence.
   */
  missing: z.array(z.string().min(1)).min(1).optional(),
  labGoals: z.record(z.string().regex(/^\d+-\d$/), z.strictObject({ low: z.number(), high: z.number(), source: z.string().min(10) })).default({}),
});

export type AssessmentEvidence = z.infer<typeof EvidenceSchema> & { readonly pattern: RegExp };

/** A plan naming the problem it reads as: `{problem}` is where the problem's name goes, exactly once. */
const ProblemPlanSchema = z.string().refine((s) => s.split('{problem}').length === 2, 'must hold {problem} exactly once');

const UnexplainedSchema = z.strictObject({
  labs: z.array(z.string().regex(/^\d+-\d$/)).min(1),
  high: z.array(z.string().min(1)).min(1).optional(),
  low: z.array(z.string().min(1)).min(1).optional(),
  /**
   * Problems on the list that account for an abnormal result of these labs (a high glucose in a
   * patient with diabetes is not a new finding to confirm): the first whose `match` fits one of the
   * patient's problems gives the plan, at routine and acute visits alike.
   */
  explainedBy: z.array(z.strictObject({ match: z.string().min(1), plans: z.array(ProblemPlanSchema).min(1), source: z.string().min(10) })).default([]),
  source: z.string().min(10),
});

const FileSchema = z.strictObject({
  evidence: z.array(EvidenceSchema).min(1),
  /** Plans for an abnormal result the note cites that no problem's assessment speaks to, by LOINC code. */
  unexplainedResults: z.array(UnexplainedSchema),
  default: z.strictObject({ high: z.array(z.string().min(1)).min(1), low: z.array(z.string().min(1)).min(1), acute: z.array(z.string().min(1)).min(1), source: z.string().min(10) }),
});

const evidenceFile = once(() => loadKnowledgeFile('assessment-evidence.yaml', FileSchema));

const explanations = once(() =>
  evidenceFile().unexplainedResults.map((e) => ({ labs: new Set(e.labs), by: e.explainedBy.map((x) => ({ pattern: new RegExp(x.match, 'i'), plans: x.plans })) })),
);

/** A known problem that accounts for an abnormal result, and the plans that say so. */
export interface ResultExplanation {
  /** Index into the problem names given. */
  readonly problem: number;
  /** Plans holding `{problem}` once, where the problem's name goes. */
  readonly plans: readonly string[];
}

/**
 * Which of the patient's problems accounts for an abnormal result of the lab `loinc` (a glucose of
 * 187 mg/dL in diabetes, a creatinine above range in CKD), by `explainedBy` in
 * `assessment-evidence.yaml`; undefined when none does and the result needs a plan of its own.
 */
export function explainingProblem(loinc: string | undefined, problems: readonly string[]): ResultExplanation | undefined {
  if (loinc === undefined) return undefined;
  for (const e of explanations()) {
    if (!e.labs.has(loinc)) continue;
    for (const x of e.by) {
      const i = problems.findIndex((p) => x.pattern.test(p));
      if (i >= 0) return { problem: i, plans: x.plans };
    }
  }
  return undefined;
}

/**
 * What the plan does about an abnormal result no assessment explains: the test's own plan for a
 * result above or below its range (a fasting glucose: repeat with an A1c, lifestyle), else the
 * default (repeat to confirm); at an acute visit, a note that a routine visit will follow it up.
 */
export function unexplainedResultPlans(loinc: string | undefined, flag: 'high' | 'low', acute: boolean): readonly string[] {
  const file = evidenceFile();
  if (acute) return file.default.acute;
  const entry = loinc === undefined ? undefined : file.unexplainedResults.find((e) => e.labs.includes(loinc));
  return entry?.[flag] ?? file.default[flag];
}

export const assessmentEvidence = once((): readonly AssessmentEvidence[] =>
  evidenceFile().evidence.map((e) => {
    // A lab goal for a lab the rule never cites would never apply: a typo in the file, not a choice.
    for (const code of Object.keys(e.labGoals)) {
      if (!e.labs.includes(code)) throw new KnowledgeError(`assessment-evidence.yaml: labGoals ${code} of "${e.match}" is not one of its labs`);
    }
    return { ...e, pattern: new RegExp(e.match, 'i') };
  }),
);

/** The evidence rule of a problem, by its name. */
export function evidenceFor(problem: string): AssessmentEvidence | undefined {
  return assessmentEvidence().find((e) => e.pattern.test(problem));
}
