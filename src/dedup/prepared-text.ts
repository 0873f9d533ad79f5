/**
 * A text made ready for every check at once: normalized tokens with their offsets, token and
 * shingle hashes, the MinHash signature, the LSH band keys and the window keys. Signing is the
 * costly step of deduplication, so it happens once per text, in whichever thread reads the text.
 */
import { bandKeys, windowKeys } from './keys.js';
import { minhashSignature, permutations, type Permutations } from './minhash.js';
import { nameSet, namesInText, normalizedHashes, normalizeText, tokenStrings, type NormalizedText } from './normalize.js';
import type { DedupParams } from './settings.js';
import { shingleHashes } from './shingles.js';

/** A document to check or index. */
export interface DedupDocument {
  /** Reported with every finding: a path, `file.csv#row12`, `notes/<patient>/<note>.txt`. */
  readonly id: string;
  /**
   * Documents of one group (a patient's notes) are not flagged against each other; their overlaps
   * are counted apart. Undefined: a group of its own.
   */
  readonly group?: string | undefined;
  readonly text: string;
  /** Names to mask in this text (see {@link normalizeText}); default those its header states ({@link namesInText}). */
  readonly names?: readonly string[] | undefined;
}

export interface PreparedText {
  readonly normalized: NormalizedText;
  readonly tokenHashes: Uint32Array;
  readonly shingleHashes: Uint32Array;
  readonly signature: Uint32Array;
  readonly bandKeys: Float64Array;
  /** Key of the window starting at every token position (query side). */
  readonly windowKeys: Float64Array;
}

export interface Signer {
  readonly params: DedupParams;
  readonly permutations: Permutations;
}

/** The permutations of a parameter set, drawn once. */
export function createSigner(params: DedupParams): Signer {
  return { params, permutations: permutations(params.numPerm, params.seed) };
}

/**
 * The first steps of {@link prepareText}: token and shingle hashes, and the normalized tokens
 * (what confirming a hit needs). The token strings are made only when first read: most texts
 * checked match nothing, and their hashes are all a check without a hit needs.
 */
export function prepareTokens(text: string, names: readonly string[] | undefined, signer: Signer): Pick<PreparedText, 'normalized' | 'tokenHashes' | 'shingleHashes'> {
  // Without names from a record, the names a header or signature states are masked.
  const nameWords = nameSet(names ?? namesInText(text));
  const hashed = normalizedHashes(text, { names: nameWords });
  let normalized: NormalizedText | undefined;
  return {
    get normalized(): NormalizedText {
      // From the ranges the hashing scan recorded: a hit does not scan the text a second time.
      normalized ??= tokenStrings(text, hashed);
      return normalized;
    },
    tokenHashes: hashed.hashes,
    shingleHashes: shingleHashes(hashed.hashes, signer.params.ngram),
  };
}

export function prepareText(text: string, names: readonly string[] | undefined, signer: Signer): PreparedText {
  const { params } = signer;
  const tokens = prepareTokens(text, names, signer);
  const signature = minhashSignature(tokens.shingleHashes, signer.permutations);
  return {
    get normalized(): NormalizedText {
      return tokens.normalized;
    },
    tokenHashes: tokens.tokenHashes,
    shingleHashes: tokens.shingleHashes,
    signature,
    bandKeys: bandKeys(signature, params.bands, params.rows),
    windowKeys: windowKeys(tokens.tokenHashes, params.window, 1),
  };
}

/**
 * A prepared text rebuilt from the hashes and keys another thread computed for it (a worker's
 * screened drafts, looked up on the main thread): nothing is signed again, and the token strings
 * are made only if a hit needs them.
 */
export function preparedFromParts(
  text: string,
  names: readonly string[] | undefined,
  signer: Signer,
  parts: Pick<PreparedText, 'tokenHashes' | 'signature' | 'bandKeys' | 'windowKeys'>,
): PreparedText {
  let normalized: NormalizedText | undefined;
  return {
    get normalized(): NormalizedText {
      normalized ??= normalizeText(text, { names: nameSet(names ?? namesInText(text)) });
      return normalized;
    },
    tokenHashes: parts.tokenHashes,
    shingleHashes: shingleHashes(parts.tokenHashes, signer.params.ngram),
    signature: parts.signature,
    bandKeys: parts.bandKeys,
    windowKeys: parts.windowKeys,
  };
}

/** The window keys an index stores: every `stride`-th of the query-side keys. */
export function sampledWindowKeys(prepared: PreparedText, stride: number): Float64Array {
  const all = prepared.windowKeys;
  const out = new Float64Array(Math.ceil(all.length / stride));
  for (let i = 0, k = 0; i < all.length; i += stride, k++) out[k] = all[i]!;
  return out;
}
