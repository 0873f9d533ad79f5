import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The tier's cohort: the 100 patients (alive at the reference date, plus those who died), with notes. */
export const COHORT_ARGS = ['--patients', '100', '--notes', '--seed', '17', '--reference-date', '2025-06-01'] as const;

/**
 * Patients loaded into the HAPI JPA server: 10 by default, `CHARTWRIGHT_INTEROP_JPA_PATIENTS` to
 * change. HAPI on H2 resolves a transaction's ids with one OR-list query that H2 answers by
 * scanning every resource, so each patient costs more than the last (README, Interop tier); the
 * issue's 100 patients take longer than the whole CI budget on 2 cores.
 */
export const JPA_PATIENTS = Number(process.env.CHARTWRIGHT_INTEROP_JPA_PATIENTS ?? '10');
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
