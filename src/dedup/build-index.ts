/**
 * `chartwright dedup index PATH... --db FILE`: signs every document of the given corpora and adds
 * it to a SQLite index, in batches of one transaction each; rerunning adds only what is new.
 */
import { readDocuments, type InputOptions } from './inputs.js';
import { createSigner, prepareText, type DedupDocument, type PreparedText } from './prepared-text.js';
import { resolveDedupParams, type DedupParams, type DedupSettingsInput } from './settings.js';
import { SqliteIndex, type IndexAddResult, type IndexStats } from './sqlite-index.js';

export interface BuildIndexOptions extends InputOptions {
  readonly paths: readonly string[];
  readonly db: string;
  readonly settings?: DedupSettingsInput;
  readonly onProgress?: (documents: number) => void;
}

export interface BuildIndexResult extends IndexAddResult {
  readonly params: DedupParams;
  readonly index: IndexStats;
  readonly seconds: number;
}

const BATCH = 1000;

export async function buildIndex(options: BuildIndexOptions): Promise<BuildIndexResult> {
  const started = performance.now();
  const params = resolveDedupParams(options.settings ?? {});
  const signer = createSigner(params);
  const store = SqliteIndex.openForWriting(options.db, signer);
  const totals = { added: 0, updated: 0, unchanged: 0 };
  let batch: { doc: DedupDocument; prepared: PreparedText }[] = [];
  let seen = 0;
  const flush = (): void => {
    const r = store.add(batch);
    totals.added += r.added;
    totals.updated += r.updated;
    totals.unchanged += r.unchanged;
    batch = [];
  };
  try {
    for (const path of options.paths) {
      for await (const doc of readDocuments(path, options)) {
        batch.push({ doc, prepared: prepareText(doc.text, doc.names, signer) });
        if (batch.length >= BATCH) flush();
        options.onProgress?.(++seen);
      }
    }
    flush();
    return { ...totals, params, index: store.stats(), seconds: (performance.now() - started) / 1000 };
  } finally {
    store.close();
  }
}
