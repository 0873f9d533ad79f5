/**
 * `chartwright dedup INPUT...`: checks every input document against the reference corpora (an
 * indexed `--db` and `--reference` paths) and against the inputs before it, and reports each shared
 * span and near-duplicate pair. Documents of one group (a patient's notes in a `generate` output)
 * are not flagged against each other unless asked: their overlaps are counted apart.
 */
import type { Finding } from './findings.js';
import { readDocuments, type InputOptions } from './inputs.js';
import { MemoryIndex, type SharedIndex } from './memory-index.js';
import { createSigner, prepareText, type Signer } from './prepared-text.js';
import { resolveDedupParams, type DedupParams, type DedupSettingsInput } from './settings.js';
import { SqliteIndex } from './sqlite-index.js';

export interface DedupRunOptions extends InputOptions {
  readonly inputs: readonly string[];
  /** Reference corpora read from files (`--reference`). */
  readonly references?: readonly string[];
  /** An index built by `dedup index` (`--db`). */
  readonly db?: string | undefined;
  readonly settings?: DedupSettingsInput;
  /** Flag overlaps between documents of one group too (`--within-patient`). */
  readonly withinGroup?: boolean;
  /** Called after each input document. */
  readonly onProgress?: (checked: number) => void;
}

export interface GroupSummary {
  readonly group: string;
  readonly documents: number;
  /** Documents with a near duplicate in another group (or a reference). */
  readonly nearDuplicates: number;
  /** Documents sharing a span with another group (or a reference). */
  readonly exactOverlaps: number;
}

export interface DedupReport {
  readonly params: DedupParams;
  readonly references: number;
  readonly documents: number;
  /** Every finding, in input order; `sameGroup` ones only count as flagged with `withinGroup`. */
  readonly findings: Finding[];
  readonly summary: {
    /** Documents with at least one flagged finding. */
    readonly flaggedDocuments: number;
    readonly exactOverlaps: number;
    readonly nearDuplicates: number;
    /** Findings between documents of one group (not flagged unless `withinGroup`). */
    readonly withinGroupExactOverlaps: number;
    readonly withinGroupNearDuplicates: number;
    /** Shared spans that are value lists (vitals lines, lab panels): reported here, not flagged. */
    readonly valueListOverlaps: number;
    /** Share of documents with a near duplicate outside their group. */
    readonly nearDuplicateShare: number;
    /** Share of documents sharing a span outside their group. */
    readonly exactOverlapShare: number;
    readonly candidates: number;
    readonly seconds: number;
  };
  /** Per group (patient), when the input has groups. */
  readonly groups: GroupSummary[];
}

/** The reference corpora of a check, in one index; `close` releases the `--db` file. */
export interface References {
  readonly index: MemoryIndex;
  /**
   * Moves the index into shared memory for worker threads ({@link attachReferences}), so that one
   * copy serves them all and no thread reads, normalizes and hashes the corpora again.
   */
  share(): SharedReferences;
  close(): void;
}

/** References as worker threads receive them: plain data and shared memory, no copy of the tables. */
export interface SharedReferences {
  readonly index: SharedIndex;
  /** The `--db` file the texts of its documents are read from, by row id. */
  readonly db: { readonly path: string; readonly rowIds: Int32Array } | undefined;
}

/** Loads `--db` and `--reference` corpora into one index. */
export async function loadReferences(
  signer: Signer,
  options: { references?: readonly string[] | undefined; db?: string | undefined } & InputOptions,
): Promise<References> {
  // The loader reads texts from the store on demand, so the store stays open as long as the index.
  const store = options.db === undefined ? undefined : SqliteIndex.openForReading(options.db, signer);
  try {
    const index = store === undefined ? new MemoryIndex(signer) : store.load();
    for (const path of options.references ?? []) {
      for await (const doc of readDocuments(path, options)) index.add(doc, prepareText(doc.text, doc.names, signer));
    }
    return {
      index,
      share: () => ({ index: index.share(), db: store === undefined ? undefined : { path: store.path, rowIds: store.rowIds } }),
      close: () => store?.close(),
    };
  } catch (error) {
    store?.close();
    throw error;
  }
}

/** The references another thread loaded and shared; this thread opens the `--db` file for its texts. */
export function attachReferences(signer: Signer, shared: SharedReferences): References {
  const db = shared.db;
  const store = db === undefined ? undefined : SqliteIndex.openForReading(db.path, signer);
  const index = MemoryIndex.fromShared(signer, shared.index, db === undefined ? undefined : store?.textLoader(db.rowIds));
  return { index, share: () => shared, close: () => store?.close() };
}

export async function runDedup(options: DedupRunOptions): Promise<DedupReport> {
  const started = performance.now();
  const params = resolveDedupParams(options.settings ?? {});
  const signer = createSigner(params);
  const loaded = await loadReferences(signer, options);
  const references = loaded.index;
  const inputs = new MemoryIndex(signer);
  const withinGroup = options.withinGroup === true;
  const findings: Finding[] = [];
  const groups = new Map<string, { documents: number; near: number; exact: number }>();
  let documents = 0;
  let flaggedDocuments = 0;
  let nearDocuments = 0;
  let exactDocuments = 0;
  let candidates = 0;
  let valueListOverlaps = 0;
  try {
    for (const path of options.inputs) {
      for await (const doc of readDocuments(path, options)) {
        const prepared = prepareText(doc.text, doc.names, signer);
        const fromReferences = references.check(doc, prepared);
        const fromInputs = inputs.check(doc, prepared);
        inputs.add(doc, prepared);
        documents++;
        candidates += fromReferences.candidates + fromInputs.candidates;
        valueListOverlaps += fromReferences.valueLists.length + fromInputs.valueLists.filter((f) => withinGroup || !f.sameGroup).length;
        const found: Finding[] = [...fromReferences.exact, ...fromInputs.exact, ...fromReferences.near, ...fromInputs.near];
        findings.push(...found);
        const flagged = found.filter((f) => withinGroup || !f.sameGroup);
        const near = flagged.some((f) => f.kind === 'near-duplicate' && !f.sameGroup);
        const exact = flagged.some((f) => f.kind === 'exact-overlap' && !f.sameGroup);
        if (flagged.length > 0) flaggedDocuments++;
        if (near) nearDocuments++;
        if (exact) exactDocuments++;
        if (doc.group !== undefined) {
          const g = groups.get(doc.group) ?? { documents: 0, near: 0, exact: 0 };
          g.documents++;
          if (near) g.near++;
          if (exact) g.exact++;
          groups.set(doc.group, g);
        }
        options.onProgress?.(documents);
      }
    }
  } finally {
    loaded.close();
  }
  const count = (kind: Finding['kind'], same: boolean): number => findings.filter((f) => f.kind === kind && f.sameGroup === same).length;
  return {
    params,
    references: references.size,
    documents,
    findings,
    summary: {
      flaggedDocuments,
      exactOverlaps: count('exact-overlap', false) + (withinGroup ? count('exact-overlap', true) : 0),
      nearDuplicates: count('near-duplicate', false) + (withinGroup ? count('near-duplicate', true) : 0),
      withinGroupExactOverlaps: count('exact-overlap', true),
      withinGroupNearDuplicates: count('near-duplicate', true),
      valueListOverlaps,
      nearDuplicateShare: documents === 0 ? 0 : nearDocuments / documents,
      exactOverlapShare: documents === 0 ? 0 : exactDocuments / documents,
      candidates,
      seconds: (performance.now() - started) / 1000,
    },
    groups: [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([group, g]) => ({ group, documents: g.documents, nearDuplicates: g.near, exactOverlaps: g.exact })),
  };
}
