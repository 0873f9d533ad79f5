import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { ShareSchema } from './schemas.js';

const IsoDateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const VaccineSchema = z.strictObject({
  key: z.string().min(1),
  cvx: z.string().regex(/^\d{1,3}$/),
  display: z.string().min(1),
  routineFrom: IsoDateText,
  routineUntil: IsoDateText.nullable(),
  coverage: ShareSchema,
  series: z.array(z.strictObject({ ageDays: z.number().int().nonnegative(), windowDays: z.number().int().nonnegative() })),
  recurring: z
    .strictObject({
      startAgeDays: z.number().int().nonnegative(),
      intervalDays: z.number().int().positive(),
      endAgeDays: z.number().int().positive().nullable(),
      seasonal: z.boolean(),
    })
    .nullable(),
});
export type Vaccine = z.infer<typeof VaccineSchema>;

export const ImmunizationsSchema = z.strictObject({
  sources: z.array(z.string()),
  vaccines: z.array(VaccineSchema).min(1),
});

export const loadImmunizations = once(() => loadKnowledgeFile('immunizations.json', ImmunizationsSchema));

const LayNamesSchema = z.strictObject({
  source: z.string().min(10),
  vaccines: z.record(z.string().regex(/^\d{1,3}$/), z.strictObject({ clinical: z.string().min(1), names: z.array(z.string().min(1)).min(1), child: z.array(z.string().min(1)).min(1).optional() })),
});

const layNames = once(() => loadKnowledgeFile('vaccine-lay-names.yaml', LayNamesSchema).vaccines);

/**
 * What a patient (or, with `child`, a parent) calls the vaccine of a CVX code ("flu shot", "tetanus
 * shot"), from `vaccine-lay-names.yaml`; undefined for a code the file does not name.
 */
export function vaccineLayNames(cvx: string, child = false): readonly string[] | undefined {
  const entry = layNames()[cvx];
  return entry === undefined ? undefined : child ? (entry.child ?? entry.names) : entry.names;
}

/**
 * What a clinician charts for the vaccine of a CVX code ("DTaP", "hepatitis B", "PCV13"), from
 * `vaccine-lay-names.yaml`; undefined for a code the file does not name.
 */
export function vaccineClinicalName(cvx: string): string | undefined {
  return layNames()[cvx]?.clinical;
}

/**
 * How a dose fits its vaccine's course: one of a series (with its number and the series' length when
 * known), a seasonal dose (influenza, the updated COVID-19 vaccines: one this season), a booster given
 * at an interval (Td every 10 years), or a one-time vaccine.
 */
export type VaccineCourse =
  | { readonly kind: 'series'; readonly dose: number | undefined; readonly of: number }
  | { readonly kind: 'seasonal' }
  | { readonly kind: 'booster' }
  | { readonly kind: 'single' };

/**
 * The course of a dose of `cvx` given on `date` (ISO), from the schedule in effect then: a dose with a
 * number belongs to the entry with a series of more than one dose; one without, to a recurring entry.
 */
export function vaccineCourse(cvx: string, date: string, doseNumber: number | undefined): VaccineCourse | undefined {
  const inEffect = loadImmunizations().vaccines.filter((v) => v.cvx === cvx && v.routineFrom <= date && (v.routineUntil === null || date < v.routineUntil));
  const entries = inEffect.length > 0 ? inEffect : loadImmunizations().vaccines.filter((v) => v.cvx === cvx);
  const series = entries.filter((v) => v.series.length > 1).sort((a, b) => b.series.length - a.series.length)[0];
  const recurring = entries.find((v) => v.recurring !== null);
  if (doseNumber !== undefined && series !== undefined) return { kind: 'series', dose: doseNumber, of: series.series.length };
  if (recurring !== undefined) return recurring.recurring!.seasonal ? { kind: 'seasonal' } : { kind: 'booster' };
  if (series !== undefined) return { kind: 'series', dose: doseNumber, of: series.series.length };
  if (entries.length > 0) return { kind: 'single' };
  return undefined;
}
