/**
 * A reference corpus indexed once into SQLite (`chartwright dedup index PATH... --db FILE`) and
 * reused with `--db`. One row per document holds everything a check needs: its MinHash signature,
 * its LSH band keys, its sampled window keys (for exact overlap) and its normalized tokens with
 * their offsets in the original text, to confirm hits and report where they are. Storing the
 * tokens rather than the text makes a hit cheap: confirming one reads a row and splits a string,
 * where re-reading the text meant inflating, normalizing (dates, names, numbers) and hashing it
 * again. Adding to an existing index is incremental: an unchanged document (same id, same text)
 * is skipped, a changed one replaced.
 *
 * Blobs are little-endian arrays: `signature` uint32 × numPerm, `band_keys` and `window_keys`
 * float64 (53-bit integer keys, see keys.ts); `tokens` is the normalized tokens joined by U+001F
 * (which no token contains), `offsets` each token's gap from the previous token's end and its
 * length, as LEB128 varints. The index records the parameters that shaped it and refuses to be
 * read or extended with others.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { InputError, InternalError } from '../errors.js';
import { bandKeys } from './keys.js';
import { MemoryIndex, type TextLoader } from './memory-index.js';
import type { NormalizedText } from './normalize.js';
import { sampledWindowKeys, type DedupDocument, type PreparedText, type Signer } from './prepared-text.js';
import { indexSignature } from './settings.js';

// 2: tokens and offsets instead of the deflated text.
const SCHEMA_VERSION = '2';
const TOKEN_SEPARATOR = '\u001f';

export interface IndexAddResult {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface IndexStats {
  readonly documents: number;
  readonly bytes: number;
  readonly bytesPerDocument: number;
}

function contentHash(doc: DedupDocument): Buffer {
  return createHash('sha256')
    .update(doc.text)
    .update('\u0000')
    .update((doc.names ?? []).join('\n'))
    .digest();
}

function blobOf(array: Uint32Array | Float64Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Copies a blob into an aligned typed array (SQLite's buffers need not be 8-byte aligned). */
function float64s(blob: Buffer): Float64Array {
  const out = new Float64Array(blob.length / 8);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/** Each token's gap from the previous token's end and its length, as LEB128 varints. */
function encodeOffsets(normalized: NormalizedText): Buffer {
  const { starts, ends } = normalized;
  const out = Buffer.alloc(starts.length * 10);
  let at = 0;
  const put = (value: number): void => {
    while (value >= 0x80) {
      out[at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    out[at++] = value;
  };
  let previousEnd = 0;
  for (let k = 0; k < starts.length; k++) {
    put(starts[k]! - previousEnd);
    put(ends[k]! - starts[k]!);
    previousEnd = ends[k]!;
  }
  return out.subarray(0, at);
}

function decodeOffsets(blob: Buffer, count: number): { starts: Int32Array; ends: Int32Array } {
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  let at = 0;
  const get = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = blob[at++]!;
      // Shifts while the value stays below 2^31 (every offset of a text does); `2 ** shift` is a call.
      value += shift < 28 ? (byte & 0x7f) << shift : (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  let previousEnd = 0;
  for (let k = 0; k < count; k++) {
    starts[k] = previousEnd + get();
    ends[k] = starts[k]! + get();
    previousEnd = ends[k]!;
  }
  return { starts, ends };
}

function uint32s(blob: Buffer): Uint32Array {
  const out = new Uint32Array(blob.length / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

export class SqliteIndex {
  private readonly db: Database.Database;
  private loadedRowIds: Int32Array | undefined;

  private constructor(
    readonly path: string,
    readonly signer: Signer,
    readonly readOnly: boolean,
  ) {
    if (!readOnly) mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path, readOnly ? { readonly: true, fileMustExist: true } : {});
    } catch (error) {
      throw new InputError(`cannot open the dedup index: ${(error as Error).message}`, path, { cause: error });
    }
    if (!readOnly) {
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS docs (
          id INTEGER PRIMARY KEY,
          ref TEXT NOT NULL UNIQUE,
          content_hash BLOB NOT NULL,
          tokens TEXT NOT NULL,
          offsets BLOB NOT NULL,
          signature BLOB NOT NULL,
          band_keys BLOB NOT NULL,
          window_keys BLOB NOT NULL
        );`);
    }
    this.checkParams();
  }

  /** Opens (creating if needed) an index to add documents to. */
  static openForWriting(path: string, signer: Signer): SqliteIndex {
    return new SqliteIndex(path, signer, false);
  }

  /** Opens an existing index to check documents against. */
  static openForReading(path: string, signer: Signer): SqliteIndex {
    if (!existsSync(path)) throw new InputError('no such dedup index (build one with `chartwright dedup index PATH... --db FILE`)', path);
    return new SqliteIndex(path, signer, true);
  }

  private meta(key: string): string | undefined {
    try {
      return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
    } catch (error) {
      throw new InputError(`is not a Chartwright dedup index: ${(error as Error).message}`, this.path, { cause: error });
    }
  }

  private checkParams(): void {
    const params = this.signer.params;
    const wanted = indexSignature(params);
    const stored = this.meta('params');
    if (stored === undefined) {
      if (this.readOnly) throw new InputError('is not a Chartwright dedup index (no parameters recorded)', this.path);
      const put = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      this.db.transaction(() => {
        put.run('schema', SCHEMA_VERSION);
        put.run('params', wanted);
        put.run('bands', JSON.stringify({ bands: params.bands, rows: params.rows }));
      })();
      return;
    }
    if (this.meta('schema') !== SCHEMA_VERSION) throw new InputError(`was written by another version of Chartwright (schema ${this.meta('schema')}); rebuild it`, this.path);
    if (stored !== wanted) {
      throw new InputError(`was built with other dedup parameters (${stored}); use the same --min-span, --ngram and --num-perm, or rebuild it`, this.path);
    }
  }

  /** The (bands, rows) the stored band keys were made with. */
  private storedBands(): { bands: number; rows: number } {
    return JSON.parse(this.meta('bands') ?? '{}') as { bands: number; rows: number };
  }

  /** Adds documents (in one transaction per call); unchanged ones are skipped, changed ones replaced. */
  add(batch: readonly { doc: DedupDocument; prepared: PreparedText }[]): IndexAddResult {
    if (this.readOnly) throw new InternalError(`${this.path}: add() on an index opened read-only`);
    const stored = this.storedBands();
    const { params } = this.signer;
    const find = this.db.prepare('SELECT id, content_hash FROM docs WHERE ref = ?');
    const insert = this.db.prepare(
      'INSERT INTO docs (ref, content_hash, tokens, offsets, signature, band_keys, window_keys) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const update = this.db.prepare(
      'UPDATE docs SET content_hash = ?, tokens = ?, offsets = ?, signature = ?, band_keys = ?, window_keys = ? WHERE id = ?',
    );
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    this.db.transaction(() => {
      for (const { doc, prepared } of batch) {
        const hash = contentHash(doc);
        const existing = find.get(doc.id) as { id: number; content_hash: Buffer } | undefined;
        if (existing !== undefined && existing.content_hash.equals(hash)) {
          unchanged++;
          continue;
        }
        const bands = stored.bands === params.bands && stored.rows === params.rows ? prepared.bandKeys : bandKeys(prepared.signature, stored.bands, stored.rows);
        const values = [
          hash,
          prepared.normalized.tokens.join(TOKEN_SEPARATOR),
          encodeOffsets(prepared.normalized),
          blobOf(prepared.signature),
          blobOf(bands),
          blobOf(sampledWindowKeys(prepared, params.windowStride)),
        ] as const;
        if (existing === undefined) {
          insert.run(doc.id, ...values);
          added++;
        } else {
          update.run(...values, existing.id);
          updated++;
        }
      }
    })();
    return { added, updated, unchanged };
  }

  /**
   * Loads the index into memory for checking. Band keys made for other (bands, rows) than the
   * signer's (another `--jaccard`) are recomputed from the stored signatures.
   */
  load(): MemoryIndex {
    const { params } = this.signer;
    const stored = this.storedBands();
    const rebanding = stored.bands !== params.bands || stored.rows !== params.rows;
    const { n: count, w: windowKeys } = this.db.prepare('SELECT count(*) AS n, coalesce(sum(length(window_keys)), 0) / 8 AS w FROM docs').get() as { n: number; w: number };
    // In shared memory, so worker threads checking against a shared copy of the index read texts by the same row ids.
    const rowIds = new Int32Array(new SharedArrayBuffer(Math.max(1, count) * 4), 0, count);
    this.loadedRowIds = rowIds;
    const index = new MemoryIndex(this.signer, this.textLoader(rowIds), { documents: count, windowKeys });
    const rows = this.db.prepare(`SELECT id, ref, ${rebanding ? 'signature' : 'band_keys'} AS bands, window_keys FROM docs ORDER BY id`).raw();
    let ordinal = 0;
    for (const row of rows.iterate() as Iterable<[number, string, Buffer, Buffer]>) {
      const [id, ref, bandBlob, windowBlob] = row;
      rowIds[ordinal++] = id;
      const keys = rebanding ? bandKeys(uint32s(bandBlob), params.bands, params.rows) : float64s(bandBlob);
      index.addKeys(ref, undefined, { bandKeys: keys, windowKeys: float64s(windowBlob) });
    }
    return index;
  }

  /** The row id of each loaded document, by ordinal, in shared memory (after {@link load}). */
  get rowIds(): Int32Array {
    if (this.loadedRowIds === undefined) throw new InternalError('the index is not loaded');
    return this.loadedRowIds;
  }

  /**
   * Reads a loaded document's tokens by its ordinal, from this connection: another thread that
   * checks against a shared copy of the index opens the file itself and passes the loader the row
   * ids {@link load} recorded.
   */
  textLoader(rowIds: Int32Array): TextLoader {
    const tokensOf = this.db.prepare('SELECT tokens, offsets, signature FROM docs WHERE id = ?');
    return (ordinal) => {
      const row = tokensOf.get(rowIds[ordinal]) as { tokens: string; offsets: Buffer; signature: Buffer };
      const tokens = row.tokens === '' ? [] : row.tokens.split(TOKEN_SEPARATOR);
      // Offsets are decoded when first read: a near-duplicate candidate is confirmed on its tokens
      // alone (most are), only a shared span needs where its tokens are.
      const blob = row.offsets;
      let offsets: { starts: Int32Array; ends: Int32Array } | undefined;
      const normalized = {
        tokens,
        get starts(): Int32Array {
          offsets ??= decodeOffsets(blob, tokens.length);
          return offsets.starts;
        },
        get ends(): Int32Array {
          offsets ??= decodeOffsets(blob, tokens.length);
          return offsets.ends;
        },
      };
      return { normalized, signature: uint32s(row.signature) };
    };
  }

  stats(): IndexStats {
    const documents = (this.db.prepare('SELECT count(*) AS n FROM docs').get() as { n: number }).n;
    const bytes = statSync(this.path).size;
    return { documents, bytes, bytesPerDocument: documents === 0 ? 0 : Math.round(bytes / documents) };
  }

  close(): void {
    this.db.close();
  }
}
