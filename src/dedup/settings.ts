/**
 * The memorization guard's settings: one zod schema with Lee et al. (2022)'s choices as defaults
 * (exact spans of 50 tokens, near duplicates at 5-gram Jaccard 0.8), and the MinHash/LSH
 * parameters derived from them. Both `chartwright dedup` and `generate --notes` read it, and the
 * manifest and every index record the resolved parameters.
 */
import { z } from 'zod';
import { decimal, integer, option } from '../core/option-schema.js';
import { optimalLshParams } from './lsh-params.js';
import { NORMALIZATION_VERSION } from './normalize.js';

/**
 * The guard's detection settings as options (`--jaccard`, `--min-span`, `--ngram`, `--num-perm`),
 * shared by `chartwright dedup`, `dedup index` and `generate --notes`. They change what the guard
 * keeps, so a `generate --resume` with other values is refused.
 */
export const DEDUP_SETTING_OPTIONS = {
  jaccard: option(decimal({ gt: 0, max: 1 }).default(0.8), { value: '<j>', help: 'near-duplicate threshold on word 5-gram Jaccard', affectsOutput: true }),
  minSpan: option(integer(8, 1000).default(50), { value: '<tokens>', help: 'shortest shared span that counts as copied', affectsOutput: true }),
  ngram: option(integer(1, 32).default(5), { value: '<n>', help: 'shingle length in words', affectsOutput: true }),
  numPerm: option(integer(8, 1024).default(128), { value: '<n>', help: 'MinHash permutations', affectsOutput: true }),
};

/** Where the guard's references come from and how to read them (every command with references). */
export const DEDUP_SOURCE_OPTIONS = {
  reference: option(z.array(z.string().min(1)).default([]), {
    value: '<path>',
    repeatable: true,
    help: 'reference corpus: text file, folder, JSONL, CSV or a generate OUT (repeatable)',
    affectsOutput: true,
  }),
  db: option(z.string().min(1).optional(), { value: '<file>', help: 'a dedup index built by `chartwright dedup index`', affectsOutput: true }),
  field: option(z.string().min(1).optional(), {
    value: '<name>',
    help: 'JSONL: the field holding the text (default: text, transcription, note, note_text or patient)',
    affectsOutput: true,
  }),
  column: option(z.string().min(1).optional(), {
    value: '<name>',
    help: 'CSV: the column holding the text (default: text, transcription, note, note_text or patient)',
    affectsOutput: true,
  }),
};

export const dedupSettingsSchema = z.object({
  ...DEDUP_SETTING_OPTIONS,
  /** Seed of the permutations (default 1, as datasketch's). */
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** Weights of the false-positive and false-negative areas when choosing bands × rows (0.5 each, as text-dedup). */
  falsePositiveWeight: z.number().min(0).default(0.5),
  falseNegativeWeight: z.number().min(0).default(0.5),
  /** Least probability that a pair at exactly the threshold becomes a candidate (default 0.99). */
  minRecallAtThreshold: z.number().min(0).lt(1).default(0.99),
  /**
   * Reference windows are hashed every `windowStride` tokens; the query side hashes every position
   * with windows of `minSpan − windowStride + 1` tokens, so every shared span of `minSpan` tokens
   * contains a stored window (recall 1.0) while the index stores one window in `windowStride`.
   */
  windowStride: z.number().int().min(1).max(64).default(8),
});

/**
 * The rule the flags' ranges cannot say alone: the shortest copied span must be longer than the
 * reference windows' stride (the default 8), or no window fits inside it.
 */
export function refineMinSpan(values: { readonly minSpan: number }, ctx: z.RefinementCtx): void {
  const stride = dedupSettingsSchema.shape.windowStride.parse(undefined);
  if (values.minSpan <= stride) ctx.addIssue({ code: 'custom', path: ['minSpan'], message: `expected more than ${stride} tokens` });
}

export type DedupSettingsInput = z.input<typeof dedupSettingsSchema>;
export type DedupSettings = z.infer<typeof dedupSettingsSchema>;

/** Settings with their derived LSH and window parameters: what an index must agree on. */
export interface DedupParams extends DedupSettings {
  readonly bands: number;
  readonly rows: number;
  /** Tokens per hashed window: minSpan − windowStride + 1. */
  readonly window: number;
  readonly normalization: number;
}

const resolved = new Map<string, DedupParams>();

/** Validates settings and derives bands, rows and the window length (memoized). */
export function resolveDedupParams(input: DedupSettingsInput = {}): DedupParams {
  const settings = dedupSettingsSchema.parse(input);
  const key = JSON.stringify(settings);
  const known = resolved.get(key);
  if (known !== undefined) return known;
  if (settings.windowStride >= settings.minSpan) throw new RangeError('windowStride must be smaller than minSpan');
  const lsh = optimalLshParams({
    threshold: settings.jaccard,
    numPerm: settings.numPerm,
    falsePositiveWeight: settings.falsePositiveWeight,
    falseNegativeWeight: settings.falseNegativeWeight,
    minRecallAtThreshold: settings.minRecallAtThreshold,
  });
  const params: DedupParams = {
    ...settings,
    bands: lsh.bands,
    rows: lsh.rows,
    window: settings.minSpan - settings.windowStride + 1,
    normalization: NORMALIZATION_VERSION,
  };
  resolved.set(key, params);
  return params;
}

/** The parameters that decide what an index stores; two indexes are compatible when these agree. */
export function indexSignature(params: DedupParams): string {
  return JSON.stringify({
    normalization: params.normalization,
    ngram: params.ngram,
    numPerm: params.numPerm,
    seed: params.seed,
    window: params.window,
    windowStride: params.windowStride,
  });
}
