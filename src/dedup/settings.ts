/**
 * The memorization guard's settings: one zod schema with Lee et al. (2022)'s choices as defaults
 * (exact spans of 50 tokens, near duplicates at 5-gram Jaccard 0.8), and the MinHash/LSH
 * parameters derived from them. Both `chartwright dedup` and `generate --notes` read it, and the
 * manifest and every index record the resolved parameters.
 */
import { z } from 'zod';
import { optimalLshParams } from './lsh-params.js';
import { NORMALIZATION_VERSION } from './normalize.js';

export const dedupSettingsSchema = z.object({
  /** Near-duplicate threshold on exact word 5-gram Jaccard (`--jaccard`, default 0.8). */
  jaccard: z.number().gt(0).lte(1).default(0.8),
  /** Shortest shared span, in tokens, that counts as copied (`--min-span`, default 50). */
  minSpan: z.number().int().min(8).max(1000).default(50),
  /** Shingle length in words (`--ngram`, default 5). */
  ngram: z.number().int().min(1).max(32).default(5),
  /** MinHash permutations (`--num-perm`, default 128, as datasketch). */
  numPerm: z.number().int().min(8).max(1024).default(128),
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
  /**
   * Shared spans with fewer than `minSpan` tokens outside value fields (vitals lines, lab panels
   * once their values are masked: see value-fields.ts) are reported apart and not flagged
   * (`ignore`, the default), or flagged like any span (`flag`, `--flag-value-lists`).
   */
  valueLists: z.enum(['ignore', 'flag']).default('ignore'),
});

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
