import { OptionError } from '../errors.js';
import type { Shard } from './options.js';

/** The environment variables `--shard auto` reads, by batch engine. */
export const SHARD_ENVIRONMENT = {
  slurm: ['SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_COUNT', 'SLURM_ARRAY_TASK_MIN'],
  awsBatch: ['AWS_BATCH_JOB_ARRAY_INDEX'],
  kubernetes: ['JOB_COMPLETION_INDEX'],
  count: ['CHARTWRIGHT_SHARDS'],
} as const;

function wholeNumber(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new OptionError('--shard', `${name}=${JSON.stringify(text)} is not a whole number`);
  return Number(text);
}

/**
 * Resolves `--shard K/N` or `--shard auto`. `auto` takes K from a Slurm array, an AWS Batch array
 * job or a Kubernetes Indexed Job, and N from the engine where it says (Slurm) or else from
 * `CHARTWRIGHT_SHARDS`.
 */
export function resolveShard(spec: string, env: Readonly<Record<string, string | undefined>>): Shard {
  if (spec === 'auto') {
    let index: number | undefined;
    let count = wholeNumber(env.CHARTWRIGHT_SHARDS, 'CHARTWRIGHT_SHARDS');
    const slurmId = wholeNumber(env.SLURM_ARRAY_TASK_ID, 'SLURM_ARRAY_TASK_ID');
    if (slurmId !== undefined) {
      // Slurm arrays may start at any number (--array=1-10); shards count from the first task.
      const min = wholeNumber(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN') ?? 0;
      index = slurmId - min;
      count = wholeNumber(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT') ?? count;
    } else {
      index =
        wholeNumber(env.AWS_BATCH_JOB_ARRAY_INDEX, 'AWS_BATCH_JOB_ARRAY_INDEX') ??
        wholeNumber(env.JOB_COMPLETION_INDEX, 'JOB_COMPLETION_INDEX');
    }
    if (index === undefined) {
      throw new OptionError(
        '--shard',
        'auto found no batch index (SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX)',
      );
    }
    if (count === undefined) {
      throw new OptionError('--shard', 'auto needs the shard count: set CHARTWRIGHT_SHARDS to the array size');
    }
    return checkedShard(index, count);
  }
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (m === null) throw new OptionError('--shard', `expected K/N (e.g. 0/4) or auto, got ${JSON.stringify(spec)}`);
  return checkedShard(Number(m[1]), Number(m[2]));
}

function checkedShard(index: number, count: number): Shard {
  if (count < 1) throw new OptionError('--shard', 'the shard count must be at least 1');
  if (index >= count) throw new OptionError('--shard', `shard index ${index} must be below the shard count ${count}`);
  return { index, count };
}

/** Suffix that keeps shards writing into one shared folder apart; empty when unsharded. */
export function shardSuffix(shard: Shard | undefined): string {
  return shard === undefined || shard.count === 1 ? '' : `.shard-${shard.index}-of-${shard.count}`;
}
