/**
 * The cohort: which options shape its content, its root key and run tag, and the mapping from a
 * patient index to records. Patient i is the first of the streams (i, 0), (i, 1), ... whose life
 * reaches the reference date; the earlier attempts become the cohort's deceased patients. So each
 * index is independent of every other, which is what makes workers and shards free.
 */
import { OptionError } from '../errors.js';
import { dateToInstant, type Instant, type IsoDate } from '../core/time.js';
import type { AdministrativeSex, PatientRecord } from '../record/types.js';
import { simulatePatient } from './patient.js';
import { ProviderDirectory } from './providers.js';
import { childKey, keyHex, keyOf, type Seed, type StreamKey } from '../core/random.js';

/** The options that decide the cohort's content; they (and only they) feed ids and the run tag. */
export interface CohortSpec {
  readonly seed: Seed;
  readonly referenceDate: IsoDate;
  readonly age: { readonly min: number; readonly max: number } | undefined;
  readonly gender: AdministrativeSex | undefined;
  readonly state: string | undefined;
}

/** Everything a thread needs to simulate patients of a cohort. Build once per thread. */
export interface CohortContext {
  readonly spec: CohortSpec;
  readonly key: StreamKey;
  readonly referenceTime: Instant;
  readonly runTag: string;
  readonly providers: ProviderDirectory;
}

/** Version of the simulation's stream layout; bump it when a change alters who is generated. */
const ENGINE_STREAM_VERSION = 'chartwright-cohort-1';

export function createCohortContext(spec: CohortSpec): CohortContext {
  const key = keyOf(
    spec.seed,
    ENGINE_STREAM_VERSION,
    spec.referenceDate,
    spec.age === undefined ? '*' : `${spec.age.min}-${spec.age.max}`,
    spec.gender ?? '*',
    spec.state ?? '*',
  );
  return {
    spec,
    key,
    referenceTime: dateToInstant(spec.referenceDate),
    runTag: keyHex(childKey(key, 'run-tag'), 2),
    providers: new ProviderDirectory(key, dateToInstant(spec.referenceDate)),
  };
}

/** Safety valve for age filters that almost nobody survives to (e.g. --age 104-104). */
const MAX_ATTEMPTS = 100_000;

/** The records of patient index i: its deceased predecessors (oldest attempt first), then the living patient. */
export function simulateIndex(ctx: CohortContext, index: number): PatientRecord[] {
  const records: PatientRecord[] = [];
  const indexKey = childKey(childKey(ctx.key, 'patient'), index);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const record = simulatePatient(ctx, childKey(indexKey, attempt), index, attempt);
    records.push(record);
    if (record.death === undefined) return records;
  }
  throw new OptionError('--age', `almost nobody of these ages is alive on the reference date (patient ${index}: none in ${MAX_ATTEMPTS} attempts); widen the range`);
}
