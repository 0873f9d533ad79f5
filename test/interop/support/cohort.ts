import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The tier's cohort: the 100 patients (alive at the reference date, plus those who died),
 * with notes. HAPI's validator judges it, and the HAPI JPA server loads it (see {@link JPA_PATIENTS}).
 */
export const COHORT_PATIENTS = 100;
export const COHORT_ARGS = ['--patients', String(COHORT_PATIENTS), '--notes', '--seed', '17', '--reference-date', '2025-06-01'] as const;

/**
 * A 10-patient cohort with notes, otherwise the same: what the NLP consumers read (every corpus
 * format of it goes through one Python run; the 100-patient one would take ten times as long and
 * prove nothing more about the formats).
 */
export const SMALL_COHORT_PATIENTS = 10;
export const SMALL_COHORT_ARGS = ['--patients', String(SMALL_COHORT_PATIENTS), '--notes', '--seed', '17', '--reference-date', '2025-06-01'] as const;

/**
 * Patients loaded into the HAPI JPA server: the small cohort by default, `CHARTWRIGHT_INTEROP_JPA_PATIENTS`
 * to change (100 loads the tier's 100-patient cohort, generated anyway for the validator; another
 * number, a cohort of its own). Our server rewrites HAPI's (type, id) OR-list lookup, which H2
 * answered by scanning every stored resource, and the join of `$everything`'s search, which H2 planned
 * as a scan of every stored resource per patient; loading and `$everything` now cost the same per
 * resource from the first patient to the last, but the 100-patient file still takes several times the
 * 10-patient one's wall time (two uploads and a delete of 72,000 resources), more than the CI budget
 * leaves (README, "Loading speed on H2").
 */
export const JPA_PATIENTS = Number(process.env.CHARTWRIGHT_INTEROP_JPA_PATIENTS ?? String(SMALL_COHORT_PATIENTS));
/** `generate` arguments of the JPA server's cohort when it is neither of the two above. */
export const JPA_COHORT_ARGS = ['--patients', String(JPA_PATIENTS), '--notes', '--seed', '17', '--reference-date', '2025-06-01'] as const;

export interface CohortEntry {
  readonly fullUrl: string;
  readonly resource: { readonly resourceType: string; readonly id: string } & Record<string, unknown>;
  readonly request: { readonly method: string; readonly url: string };
}

export interface CohortBundle {
  readonly id: string;
  readonly entry: readonly CohortEntry[];
}

export interface Manifest {
  readonly runTag: string;
  readonly counts: { readonly resources: Readonly<Record<string, number>>; readonly patients: { living: number; deceased: number } };
  readonly totalResources?: number;
}

export function bundleFiles(out: string): string[] {
  return readdirSync(join(out, 'fhir'))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(out, 'fhir', name));
}

export function readBundle(file: string): CohortBundle {
  return JSON.parse(readFileSync(file, 'utf8')) as CohortBundle;
}

export function readManifest(out: string): Manifest {
  return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
}

/** The patient of a bundle (each bundle holds exactly one). */
export function patientOf(bundle: CohortBundle): CohortEntry {
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient');
  if (patient === undefined) throw new Error(`bundle ${bundle.id} holds no Patient`);
  return patient;
}
