/**
 * The checkpoint of a generation run, written atomically after each batch of patients, so that a
 * killed run can be finished with `--resume` and end byte-identical to an uninterrupted one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { OutputDirError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';

export const RunStateSchema = z.strictObject({
  version: z.literal(1),
  /** Hash of the options that decide the output; a resume with other options is refused. */
  fingerprint: z.string(),
  /** The output-changing options behind the fingerprint, by name, so a refused resume can name the one that differs. */
  options: z.record(z.string(), z.unknown()).optional(),
  /** Position (within this shard's sequence of patient indices) of the next index to write. */
  nextPosition: z.number().int().nonnegative(),
  ndjsonSizes: z.record(z.string(), z.number().int().nonnegative()),
  rejectedNotesSizes: z.record(z.string(), z.number().int().nonnegative()),
  /** Size of the memorization guard's log of committed notes (`.chartwright/dedup/kept.jsonl`). */
  keptNotesSizes: z.record(z.string(), z.number().int().nonnegative()).default({}),
  /** The guard's counts so far (see `GuardStats` in src/dedup/note-guard.ts). */
  dedupStats: z.record(z.string(), z.number().int().nonnegative()).default({}),
  noteStats: z.record(
    z.string(),
    z.object({
      kept: z.number(),
      rejected: z.number(),
      attempts: z.number(),
      usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }),
      promptHash: z.string().optional(),
    }),
  ),
  resourceCounts: z.record(z.string(), z.number().int().nonnegative()),
  living: z.number().int().nonnegative(),
  deceased: z.number().int().nonnegative(),
  sharedIds: z.array(z.string()),
  validationWarnings: z.number().int().nonnegative().default(0),
  complete: z.boolean(),
  elapsedMs: z.number().nonnegative(),
});
export type RunState = z.infer<typeof RunStateSchema>;

export function readRunState(path: string): RunState | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = RunStateSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new OutputDirError('OUTPUT_MISMATCH', `${path} is not a Chartwright run state; use --force to start over`);
  return parsed.data;
}

export function writeRunState(path: string, state: RunState): void {
  writeFileAtomic(path, JSON.stringify(state), dirname(path));
}
