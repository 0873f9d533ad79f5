/**
 * `chartwright generate`: the whole run. Resolves which patient indices this process owns, runs them
 * (inline or on worker threads), appends NDJSON in index order, checkpoints for `--resume`, and
 * writes the manifest last.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InterruptedError, OutputDirError } from '../errors.js';
import { writeFileAtomic } from '../sinks/atomic.js';
import { NdjsonWriter } from '../sinks/ndjson-writer.js';
import { outputLayout, prepareOutputDir, type OutputMode } from '../sinks/output-dir.js';
import { readRunState, writeRunState, type RunState } from '../sinks/run-state.js';
import { TOOL_VERSION } from '../version.js';
import type { Manifest } from './manifest.js';
import { cohortSpecOf, type GenerateOptions } from './options.js';
import { runOrdered } from './pool.js';
import { Producer, type ProduceSettings } from './produce.js';
import { shardSuffix } from './shard.js';

export interface GenerateHooks {
  /** Called after each patient index is written. */
  readonly onProgress?: (progress: { done: number; total: number; resources: number }) => void;
  /** Abort to stop cleanly (Ctrl-C): progress is checkpointed and an InterruptedError thrown. */
  readonly signal?: AbortSignal;
}

export interface GenerateResult {
  readonly manifest: Manifest;
  /** True when `--resume` found the run already complete and did nothing. */
  readonly alreadyComplete: boolean;
}

const CHECKPOINT_EVERY_MS = 500;

/** Number of patient indices in [0, patients) that belong to a shard. */
export function shardSize(patients: number, shard: GenerateOptions['shard']): number {
  if (shard === undefined) return patients;
  return Math.max(0, Math.ceil((patients - shard.index) / shard.count));
}

function fingerprintOf(options: GenerateOptions): string {
  const content = {
    spec: cohortSpecOf(options),
    patients: options.patients,
    shard: options.shard ?? null,
    formats: [...options.formats].sort(),
    includeDeceased: options.includeDeceased,
    version: TOOL_VERSION,
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

export async function generate(options: GenerateOptions, hooks: GenerateHooks = {}): Promise<GenerateResult> {
  const started = Date.now();
  const sharded = options.shard !== undefined && options.shard.count > 1;
  const layout = outputLayout(options.out, shardSuffix(options.shard));
  const fingerprint = fingerprintOf(options);
  const settings: ProduceSettings = {
    spec: cohortSpecOf(options),
    includeDeceased: options.includeDeceased,
    writeFhir: options.formats.has('fhir'),
    writeNdjson: options.formats.has('ndjson'),
  };

  let mode: OutputMode = options.force ? 'force' : 'fresh';
  let state: RunState | undefined;
  if (options.resume) {
    state = readRunState(layout.stateFile);
    if (state !== undefined) {
      if (state.fingerprint !== fingerprint) {
        throw new OutputDirError(
          'OUTPUT_MISMATCH',
          `${options.out} holds a run with other options (seed, patients, filters or formats); rerun it with the same options or use --force`,
        );
      }
      mode = 'resume';
    }
  }
  prepareOutputDir(layout, mode, sharded);

  const producer = new Producer(settings, (id, text) => writeFileAtomic(join(layout.fhirDir, `${id}.json`), text, layout.tmpDir));
  const total = shardSize(options.patients, options.shard);
  const ndjson = new NdjsonWriter(layout.partialNdjsonDir, layout.ndjsonDir, layout.suffix);
  const counts = new Map<string, number>(Object.entries(state?.resourceCounts ?? {}));
  const sharedIds = new Set(state?.sharedIds ?? []);
  let living = state?.living ?? 0;
  let deceased = state?.deceased ?? 0;
  let position = state?.nextPosition ?? 0;
  const previousElapsed = state?.elapsedMs ?? 0;

  if (state?.complete === true) {
    const manifest = buildManifest(options, producer.runTag, counts, living, deceased, [], previousElapsed);
    return { manifest, alreadyComplete: true };
  }
  if (state !== undefined) ndjson.resumeFrom(state.ndjsonSizes);

  mkdirSync(layout.fhirDir, { recursive: true });

  const checkpoint = (complete: boolean): void => {
    writeRunState(layout.stateFile, {
      version: 1,
      fingerprint,
      nextPosition: position,
      ndjsonSizes: ndjson.snapshot(),
      resourceCounts: Object.fromEntries(counts),
      living,
      deceased,
      sharedIds: [...sharedIds],
      complete,
      elapsedMs: previousElapsed + (Date.now() - started),
    });
  };

  let totalResources = [...counts.values()].reduce((a, b) => a + b, 0);
  let lastCheckpoint = Date.now();
  const shard = options.shard;
  try {
    await runOrdered(
      {
        workers: Math.min(options.workers, Math.max(1, total - position)),
        init: { settings, fhirDir: layout.fhirDir, tmpDir: layout.tmpDir },
        inline: (i) => producer.produce(i),
        indexAt: (p) => (shard === undefined ? p : shard.index + p * shard.count),
        signal: hooks.signal,
      },
      position,
      total,
      (p, result) => {
        for (const [type, text] of Object.entries(result.ndjson)) ndjson.append(type, text);
        for (const [type, n] of Object.entries(result.counts)) {
          counts.set(type, (counts.get(type) ?? 0) + n);
          totalResources += n;
        }
        for (const [type, id, line] of result.shared) {
          if (sharedIds.has(id)) continue;
          sharedIds.add(id);
          counts.set(type, (counts.get(type) ?? 0) + 1);
          totalResources++;
          if (line !== '') ndjson.append(type, `${line}\n`);
        }
        living += result.living;
        deceased += result.deceased;
        position = p + 1;
        hooks.onProgress?.({ done: position, total, resources: totalResources });
        if (Date.now() - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
          checkpoint(false);
          lastCheckpoint = Date.now();
        }
      },
    );
  } catch (error) {
    ndjson.close();
    checkpoint(false);
    throw error;
  }
  if (position < total) {
    ndjson.close();
    checkpoint(false);
    throw new InterruptedError();
  }

  const ndjsonFiles = options.formats.has('ndjson') ? ndjson.finalize().map((f) => basename(f)) : (ndjson.close(), []);
  const elapsed = previousElapsed + (Date.now() - started);
  const manifest = buildManifest(options, producer.runTag, counts, living, deceased, ndjsonFiles, elapsed);
  writeFileAtomic(layout.manifest, `${JSON.stringify(manifest, null, 2)}\n`, layout.tmpDir);
  checkpoint(true);
  return { manifest, alreadyComplete: false };
}

function buildManifest(
  options: GenerateOptions,
  runTag: string,
  counts: ReadonlyMap<string, number>,
  living: number,
  deceased: number,
  ndjsonFiles: readonly string[],
  wallTimeMs: number,
): Manifest {
  const resources = Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    tool: 'chartwright',
    version: TOOL_VERSION,
    seed: options.seed,
    referenceDate: options.referenceDate,
    runTag,
    options: {
      patients: options.patients,
      age: options.age ?? null,
      gender: options.gender ?? null,
      state: options.state ?? null,
      shard: options.shard ?? null,
      formats: [...options.formats].sort(),
      includeDeceased: options.includeDeceased,
      workers: options.workers,
    },
    counts: {
      patients: { living, deceased },
      resources,
      totalResources: Object.values(resources).reduce((a, b) => a + b, 0),
    },
    files: { bundles: options.formats.has('fhir') ? living + deceased : 0, ndjson: ndjsonFiles },
    wallTimeMs,
  };
}
