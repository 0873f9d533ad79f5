/**
 * A dedup index shared with worker threads: the main thread loads the references once, hands the
 * tables over in shared memory, and a thread checking against the shared copy finds exactly what
 * the original finds. The hand-over goes through a MessageChannel, the serialization `workerData`
 * and `postMessage` use, so what crosses here is what crosses to a worker.
 */
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryIndex } from '../../src/dedup/memory-index.js';
import { createSigner, prepareText, type DedupDocument } from '../../src/dedup/prepared-text.js';
import { attachReferences, loadReferences, type References, type SharedReferences } from '../../src/dedup/run-dedup.js';
import { resolveDedupParams } from '../../src/dedup/settings.js';
import { SqliteIndex } from '../../src/dedup/sqlite-index.js';
import { InternalError } from '../../src/errors.js';
import { tempDir } from '../support/cli.js';
import { editText, prng, REFERENCE_DIR, referenceDocuments, templateNotes } from './support.js';

const signer = createSigner(resolveDedupParams({}));

/** What a worker receives of `value` (the structured clone of postMessage, SharedArrayBuffers shared). */
function acrossThreads<T>(value: T): T {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(value);
  const received = receiveMessageOnPort(port2)!.message as T;
  port1.close();
  return received;
}

const findingsOf = (index: MemoryIndex, doc: DedupDocument) => {
  const m = index.check(doc, prepareText(doc.text, doc.names, signer));
  return {
    exact: m.exact.map((f) => [f.reference.id, f.reference.start, f.reference.end, f.query.start, f.query.end]),
    near: m.near.map((f) => [f.referenceId, f.jaccard]),
    valueLists: m.valueLists.length,
  };
};

describe('a dedup index shared with worker threads', () => {
  let notes: DedupDocument[];
  let queries: DedupDocument[];
  let original: References;
  let shared: SharedReferences;
  let attached: References;
  let before: ReturnType<typeof findingsOf>[];

  beforeAll(async () => {
    notes = await templateNotes(31, 0, 4);
    // Half the corpus in a SQLite index (texts read back by row id), half from files (texts in memory).
    const db = join(tempDir(), 'refs.sqlite');
    const writer = SqliteIndex.openForWriting(db, signer);
    writer.add(notes.map((doc) => ({ doc, prepared: prepareText(doc.text, doc.names, signer) })));
    writer.close();
    original = await loadReferences(signer, { db, references: [REFERENCE_DIR] });
    const random = prng(5);
    const refs = referenceDocuments();
    queries = [
      ...notes.slice(0, 6).map((d, k) => ({ id: `edit-${k}`, text: editText(d.text, 0.03, random) })),
      ...refs.slice(0, 4).map((d, k) => ({ id: `ref-edit-${k}`, text: editText(d.text, 0.02, random) })),
      { id: 'plant', text: `Seen today for a sprained ankle.\n${refs[1]!.text.split(/\s+/).slice(20, 90).join(' ')}\nIce and rest.` },
      ...(await templateNotes(32, 0, 1)).slice(0, 5),
    ];
    before = queries.map((q) => findingsOf(original.index, q));
    shared = acrossThreads(original.share());
    attached = attachReferences(signer, shared);
  });

  it('finds on the shared copy exactly what the original found: shared spans, near duplicates and value lists, from SQLite and from files', () => {
    expect(attached.index.size).toBe(original.index.size);
    expect(before.some((f) => f.exact.length > 0)).toBe(true);
    expect(before.some((f) => f.near.length > 0)).toBe(true);
    expect(before.some((f) => f.near.some(([id]) => String(id).endsWith('.txt')))).toBe(true);
    expect(queries.map((q) => findingsOf(attached.index, q))).toEqual(before);
    // The original, which now reads its texts from the shared copy too, still finds the same.
    expect(queries.map((q) => findingsOf(original.index, q))).toEqual(before);
  });

  it('hands the lookup tables over in shared memory, not as copies', () => {
    const sent = original.share();
    for (const table of [shared.index.bands, shared.index.windows]) {
      for (const array of [table.slots, table.keyHi, table.docs, table.positions, table.nexts]) expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    // A write through the sender's view is seen through the receiver's: one buffer.
    const was = sent.index.bands.nexts[0]!;
    sent.index.bands.nexts[0] = 123456;
    expect(shared.index.bands.nexts[0]).toBe(123456);
    sent.index.bands.nexts[0] = was;
    expect(shared.db?.rowIds.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('takes no more documents once shared (the other threads hold views of its tables)', () => {
    const doc = { id: 'late', text: 'A late document.' };
    expect(() => original.index.add(doc, prepareText(doc.text, undefined, signer))).toThrow(InternalError);
    expect(() => attached.index.add(doc, prepareText(doc.text, undefined, signer))).toThrow(InternalError);
  });
});
