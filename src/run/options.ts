import type { Seed } from '../timeline/random.js';
import type { IsoDate } from '../record/time.js';
import type { CohortSpec } from '../timeline/cohort.js';
import type { NotesSettings } from './produce.js';
import type { ValidateSettings } from './validate-as-written.js';
import type { GuardSettings } from '../dedup/note-guard.js';

/** Output formats `generate` can write. */
export type OutputFormat = 'fhir' | 'ndjson';

/** Which slice of the cohort a process generates: patient indices ≡ index (mod count). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Options of one generation run: the library entry point's single options object.
 * The CLI fills it from flags; every field documents its default there.
 */
export interface GenerateOptions {
  /** Patients alive at the reference date (`--patients`, default 100). */
  readonly patients: number;
  /** Master seed (`--seed`, default random and printed). */
  readonly seed: Seed;
  /** Output folder (`--out`, default `./output`). */
  readonly out: string;
  /** The simulation's "now" (`--reference-date`, default today, UTC). */
  readonly referenceDate: IsoDate;
  /** Age range at the reference date, inclusive (`--age MIN-MAX`). */
  readonly age: { readonly min: number; readonly max: number } | undefined;
  /** Restrict to one administrative gender (`--gender`). */
  readonly gender: 'male' | 'female' | undefined;
  /** Two-letter US state or DC (`--state`); undefined for the census-weighted mix. */
  readonly state: string | undefined;
  /** Worker threads (`--workers`, default cores − 1, at least 1). */
  readonly workers: number;
  /** Slice of the cohort this process generates (`--shard K/N`); undefined for all of it. */
  readonly shard: Shard | undefined;
  /** What to write (`--format`, default both). */
  readonly formats: ReadonlySet<OutputFormat>;
  /** Write patients who died before the reference date too (default true; `--no-deceased`). */
  readonly includeDeceased: boolean;
  /** Replace an earlier run's output in `out` (`--force`). */
  readonly force: boolean;
  /** Continue an interrupted run in `out` (`--resume`). */
  readonly resume: boolean;
  /** Clinical notes to write (`--notes`); undefined for none. */
  readonly notes: NotesSettings | undefined;
  /** Validate every resource as it is written and fail the run on an error (`--validate`, `--ig`). */
  readonly validate?: ValidateSettings | undefined;
  /**
   * The memorization guard for notes (`--reference`, `--db`, `--field`, `--column`, `--jaccard`,
   * `--min-span`, `--ngram`, `--num-perm`, `--dedup-within-patient`); on by default with `--notes`,
   * undefined with `--no-dedup`.
   */
  readonly dedup?: GuardSettings | undefined;
}

export function cohortSpecOf(options: GenerateOptions): CohortSpec {
  return {
    seed: options.seed,
    referenceDate: options.referenceDate,
    age: options.age,
    gender: options.gender,
    state: options.state,
  };
}
