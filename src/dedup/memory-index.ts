/**
 * The in-memory dedup index: LSH band keys and sampled window keys of every indexed document in
 * typed-array multimaps, and a way to get each document's text back for confirmation. Checking a
 * document looks its band keys up (near-duplicate candidates, each confirmed by exact Jaccard) and
 * the key of every window it has (seeds of shared spans, each confirmed and grown token by token).
 * A SQLite index (`sqlite-index.ts`) loads into one of these; `generate` keeps one of kept notes.
 */
import { InternalError } from '../errors.js';
import { exactJaccard, shingleSet, type ShingleSet } from './exact-jaccard.js';
import { excerptOf, type DocumentMatches, type ExactOverlap, type NearDuplicate } from './findings.js';
import { KeyMultimap, NO_ENTRY, type SharedKeyMultimap } from './key-multimap.js';
import { estimatedJaccard, minhashSignature } from './minhash.js';
import type { NormalizedText } from './normalize.js';
import { prepareTokens, sampledWindowKeys, type DedupDocument, type PreparedText, type Signer } from './prepared-text.js';
import { growSeeds } from './shared-spans.js';
import { shingleHashes, tokenHashes } from './shingles.js';
import { proseTokens, valueFieldMask } from './value-fields.js';

/** An indexed document's text, for confirming a hit. */
export interface StoredText {
  readonly text: string;
  readonly names?: readonly string[] | undefined;
}

/**
 * An indexed document as normalized when it was indexed: all that confirming a hit needs, without
 * reading, normalizing and hashing its text again (a SQLite index stores this).
 */
export interface StoredTokens {
  readonly normalized: NormalizedText;
  readonly signature?: Uint32Array | undefined;
}

/** Loads a document indexed without its text (from SQLite, from OUT), by its ordinal. */
export type TextLoader = (ordinal: number) => StoredText | StoredTokens;

/** The keys of a document as an index stores them. */
export interface IndexKeys {
  readonly bandKeys: Float64Array;
  /** Every `windowStride`-th window key, from position 0. */
  readonly windowKeys: Float64Array;
}

/** What confirming a hit needs of an indexed document: its tokens and shingle hashes; its signature only for a near duplicate's estimate. */
interface Confirmable {
  readonly prepared: Pick<PreparedText, 'normalized' | 'shingleHashes'> & { readonly signature?: Uint32Array | undefined };
  shingles?: ShingleSet;
  signature?: Uint32Array;
}

const CACHE_SIZE = 512;

/**
 * An index in shared memory, as {@link MemoryIndex.share} hands it to worker threads: the lookup
 * tables without a copy, and the texts held in memory as UTF-8 JSON back to back.
 */
export interface SharedIndex {
  readonly bands: SharedKeyMultimap;
  readonly windows: SharedKeyMultimap;
  readonly ids: readonly string[];
  readonly groups: readonly (string | undefined)[];
  /** The StoredText JSON of ordinal o is `texts[textStarts[o], textStarts[o + 1])`; empty when a loader gives it. */
  readonly texts: Uint8Array;
  readonly textStarts: Int32Array;
}

/** Reads the texts of a {@link SharedIndex} back one at a time, when a hit needs confirming. */
function sharedTexts(shared: SharedIndex): (ordinal: number) => StoredText | undefined {
  const decoder = new TextDecoder();
  return (ordinal) => {
    const start = shared.textStarts[ordinal]!;
    const end = shared.textStarts[ordinal + 1]!;
    return start === end ? undefined : (JSON.parse(decoder.decode(shared.texts.subarray(start, end))) as StoredText);
  };
}

export class MemoryIndex {
  private readonly ids: string[] = [];
  private readonly groups: (string | undefined)[] = [];
  private texts: (StoredText | undefined)[] = [];
  private bands: KeyMultimap;
  private windows: KeyMultimap;
  /** The texts of an index another thread shared, decoded on demand. */
  private sharedText: ((ordinal: number) => StoredText | undefined) | undefined;
  /** Set once shared: other threads hold views of this many documents, so it takes no more. */
  private sharedForm: SharedIndex | undefined;
  private readonly cache = new Map<number, Confirmable>();

  /**
   * @param expected sizes to allocate for up front (documents, and window keys in all), so loading
   *   a large index never regrows its tables.
   */
  constructor(
    readonly signer: Signer,
    private readonly loadText?: TextLoader,
    expected: { documents?: number; windowKeys?: number } = {},
  ) {
    const documents = expected.documents ?? 1024;
    this.bands = new KeyMultimap(documents * signer.params.bands);
    this.windows = new KeyMultimap(expected.windowKeys ?? documents * 16);
  }

  get size(): number {
    return this.ids.length;
  }

  /**
   * Moves the lookup tables into shared memory and returns what other threads need to check
   * against this index ({@link MemoryIndex.fromShared}); a text loader does not cross threads, so
   * a thread with documents indexed without their text passes its own. The index takes no more
   * documents afterwards.
   */
  share(): SharedIndex {
    if (this.sharedForm !== undefined) return this.sharedForm;
    const encoder = new TextEncoder();
    const parts = this.texts.map((t) => (t === undefined ? undefined : encoder.encode(JSON.stringify(t))));
    const textStarts = new Int32Array(new SharedArrayBuffer((this.ids.length + 1) * 4));
    let at = 0;
    parts.forEach((part, o) => {
      textStarts[o] = at;
      at += part?.length ?? 0;
    });
    textStarts[this.ids.length] = at;
    const texts = new Uint8Array(new SharedArrayBuffer(Math.max(1, at)), 0, at);
    parts.forEach((part, o) => part !== undefined && texts.set(part, textStarts[o]!));
    const shared: SharedIndex = { bands: this.bands.share(), windows: this.windows.share(), ids: [...this.ids], groups: [...this.groups], texts, textStarts };
    // This thread reads the shared texts too, so the corpus is held once.
    this.texts = new Array<StoredText | undefined>(this.ids.length);
    this.sharedText = sharedTexts(shared);
    this.sharedForm = shared;
    return shared;
  }

  /** An index over tables another thread shared; `loadText` gives the texts it did not hold in memory. */
  static fromShared(signer: Signer, shared: SharedIndex, loadText?: TextLoader): MemoryIndex {
    const index = new MemoryIndex(signer, loadText, { documents: 1, windowKeys: 1 });
    index.bands = KeyMultimap.fromShared(shared.bands);
    index.windows = KeyMultimap.fromShared(shared.windows);
    // One at a time: a spread of 100,000 arguments would overflow the stack.
    for (const id of shared.ids) index.ids.push(id);
    for (const group of shared.groups) index.groups.push(group);
    index.texts = new Array<StoredText | undefined>(shared.ids.length);
    index.sharedText = sharedTexts(shared);
    index.sharedForm = shared;
    return index;
  }

  /** Bytes of the lookup tables (texts and ids not counted). */
  get tableBytes(): number {
    return this.bands.bytes + this.windows.bytes;
  }

  idOf(ordinal: number): string {
    return this.ids[ordinal]!;
  }

  /** Indexes a prepared document, keeping its text for confirmation. Returns its ordinal. */
  add(doc: DedupDocument, prepared: PreparedText): number {
    const ordinal = this.addKeys(
      doc.id,
      doc.group,
      { bandKeys: prepared.bandKeys, windowKeys: sampledWindowKeys(prepared, this.signer.params.windowStride) },
      { text: doc.text, names: doc.names },
    );
    // The prepared form is at hand: a hit on a recent document needs no second normalization.
    this.remember(ordinal, { prepared });
    return ordinal;
  }

  private remember(ordinal: number, entry: Confirmable): void {
    this.cache.set(ordinal, entry);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Indexes a document by its stored keys; its text comes from `text` or, when absent, the loader. */
  addKeys(id: string, group: string | undefined, keys: IndexKeys, text?: StoredText): number {
    if (this.sharedForm !== undefined) throw new InternalError('a shared dedup index takes no more documents');
    const ordinal = this.ids.length;
    this.ids.push(id);
    this.groups.push(group);
    this.texts.push(text);
    for (let b = 0; b < keys.bandKeys.length; b++) this.bands.add(keys.bandKeys[b]!, ordinal, b);
    const stride = this.signer.params.windowStride;
    for (let k = 0; k < keys.windowKeys.length; k++) this.windows.add(keys.windowKeys[k]!, ordinal, k * stride);
    return ordinal;
  }

  /** Ordinals of the documents sharing at least one band key with `bandKeys` (the LSH candidates), ascending. */
  candidates(bandKeys: Float64Array): number[] {
    // Most texts checked have no candidate: nothing is allocated for them.
    let found: number[] | undefined;
    for (let b = 0; b < bandKeys.length; b++) {
      for (let e = this.bands.first(bandKeys[b]!); e !== NO_ENTRY; e = this.bands.next(e)) {
        // A key encodes its band (per-band seeds), but equal keys in other bands are possible in principle.
        if (this.bands.position(e) === b) (found ??= []).push(this.bands.doc(e));
      }
    }
    if (found === undefined) return [];
    found.sort((x, y) => x - y);
    let distinct = 0;
    for (let k = 0; k < found.length; k++) if (k === 0 || found[k] !== found[k - 1]) found[distinct++] = found[k]!;
    found.length = distinct;
    return found;
  }

  private confirmable(ordinal: number): Confirmable {
    const cached = this.cache.get(ordinal);
    if (cached !== undefined) {
      // Refresh its place in the LRU order.
      this.cache.delete(ordinal);
      this.cache.set(ordinal, cached);
      return cached;
    }
    const stored = this.texts[ordinal] ?? this.sharedText?.(ordinal) ?? this.loadText?.(ordinal);
    if (stored === undefined) throw new InternalError(`no text for indexed document ${this.ids[ordinal]}`);
    const entry: Confirmable = { prepared: 'text' in stored ? prepareTokens(stored.text, stored.names, this.signer) : this.fromTokens(stored) };
    this.remember(ordinal, entry);
    return entry;
  }

  /**
   * Token hashes are cheap to redo from the token strings (no scanning, no masking, no regexes),
   * and made only when first read: a shared span is confirmed on the tokens alone, only a
   * near-duplicate candidate needs the shingles.
   */
  private fromTokens(stored: StoredTokens): Confirmable['prepared'] {
    const ngram = this.signer.params.ngram;
    let hashes: Uint32Array | undefined;
    return {
      normalized: stored.normalized,
      get shingleHashes(): Uint32Array {
        hashes ??= shingleHashes(tokenHashes(stored.normalized.tokens), ngram);
        return hashes;
      },
      signature: stored.signature,
    };
  }

  private signatureOf(entry: Confirmable): Uint32Array {
    entry.signature ??= entry.prepared.signature ?? minhashSignature(entry.prepared.shingleHashes, this.signer.permutations);
    return entry.signature;
  }

  private shinglesOf(entry: Confirmable): ShingleSet {
    entry.shingles ??= shingleSet(entry.prepared.normalized.tokens, entry.prepared.shingleHashes, this.signer.params.ngram);
    return entry.shingles;
  }

  /**
   * True when some indexed document shares a band key or a window key with these keys: the cheap
   * test before a full {@link check} (which confirms on the texts).
   */
  mayMatch(bandKeys: Float64Array, windowKeys: Float64Array): boolean {
    for (let b = 0; b < bandKeys.length; b++) {
      for (let e = this.bands.first(bandKeys[b]!); e !== NO_ENTRY; e = this.bands.next(e)) if (this.bands.position(e) === b) return true;
    }
    for (let i = 0; i < windowKeys.length; i++) if (this.windows.first(windowKeys[i]!) !== NO_ENTRY) return true;
    return false;
  }

  /**
   * Everything `doc` shares with indexed documents: spans of at least `minSpan` tokens, and pairs
   * at or above the Jaccard threshold. Documents with the same id are skipped. `maxFindings` stops
   * each kind early (in index order) when only the first few matter, as for the guard.
   */
  check(doc: DedupDocument, prepared: PreparedText, options: { maxFindings?: number } = {}): DocumentMatches {
    const maxFindings = options.maxFindings ?? Infinity;
    const { params } = this.signer;
    const query: Confirmable = { prepared };
    const sameGroup = (ordinal: number): boolean => doc.group !== undefined && this.groups[ordinal] === doc.group;

    const near: NearDuplicate[] = [];
    const candidates = this.candidates(prepared.bandKeys);
    for (const ordinal of candidates) {
      if (near.length >= maxFindings) break;
      if (this.ids[ordinal] === doc.id) continue;
      const other = this.confirmable(ordinal);
      const jaccard = exactJaccard(this.shinglesOf(query), this.shinglesOf(other));
      if (jaccard < params.jaccard) continue;
      near.push({
        kind: 'near-duplicate',
        queryId: doc.id,
        referenceId: this.ids[ordinal]!,
        jaccard,
        estimate: estimatedJaccard(prepared.signature, this.signatureOf(other)),
        sameGroup: sameGroup(ordinal),
      });
    }

    const exact: ExactOverlap[] = [];
    let seeds: Map<number, [number, number][]> | undefined;
    const keys = prepared.windowKeys;
    for (let i = 0; i < keys.length; i++) {
      for (let e = this.windows.first(keys[i]!); e !== NO_ENTRY; e = this.windows.next(e)) {
        const ordinal = this.windows.doc(e);
        seeds ??= new Map();
        let list = seeds.get(ordinal);
        if (list === undefined) seeds.set(ordinal, (list = []));
        list.push([i, this.windows.position(e)]);
      }
    }
    const valueLists: ExactOverlap[] = [];
    if (seeds === undefined) return { exact, valueLists, near, candidates: candidates.length };
    const queryTokens = prepared.normalized;
    let valueFields: Uint8Array | undefined;
    for (const ordinal of [...seeds.keys()].sort((x, y) => x - y)) {
      if (exact.length >= maxFindings) break;
      if (this.ids[ordinal] === doc.id) continue;
      const other = this.confirmable(ordinal);
      const refTokens = other.prepared.normalized;
      const spans = growSeeds(queryTokens.tokens, refTokens.tokens, seeds.get(ordinal)!, params.window, params.minSpan);
      for (const span of spans) {
        const qStart = queryTokens.starts[span.queryStart]!;
        const qEnd = queryTokens.ends[span.queryStart + span.length - 1]!;
        valueFields ??= valueFieldMask(queryTokens, doc.text);
        const prose = proseTokens(valueFields, span.queryStart, span.length);
        (!params.flagValueLists && prose < params.minSpan ? valueLists : exact).push({
          kind: 'exact-overlap',
          query: { id: doc.id, start: qStart, end: qEnd },
          reference: {
            id: this.ids[ordinal]!,
            start: refTokens.starts[span.referenceStart]!,
            end: refTokens.ends[span.referenceStart + span.length - 1]!,
          },
          tokens: span.length,
          proseTokens: prose,
          excerpt: excerptOf(doc.text, qStart, qEnd),
          sameGroup: sameGroup(ordinal),
        });
      }
    }
    return { exact, valueLists, near, candidates: candidates.length };
  }
}
