/**
 * Worker-thread entry: builds a Producer from the settings it is given and answers batches of
 * patient indices. Bundles are written here (in parallel); NDJSON text goes back to the main
 * thread, which appends it in index order.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { writeFileAtomic } from '../sinks/atomic.js';
import type { SharedReferences } from '../dedup/run-dedup.js';
import { serializeError, type SerializedError } from '../errors.js';
import { Producer, type ProducedIndex, type ProduceSettings, type ProduceSinks } from './produce.js';

export interface WorkerInit {
  readonly settings: ProduceSettings;
  readonly fhirDir: string;
  readonly notesDir: string;
  readonly tmpDir: string;
  /** The guard's references, loaded and shared by the main thread (with the guard on). */
  readonly sharedReferences?: SharedReferences | undefined;
}

/** Atomic writers for bundles (`fhir/<id>.json`) and notes (`notes/<patient>/<note>.txt`, annotations `<note>.json`). */
export function fileSinks(init: WorkerInit): ProduceSinks {
  const made = new Set<string>();
  return {
    writeBundle: (id, text) => writeFileAtomic(join(init.fhirDir, `${id}.json`), text, init.tmpDir),
    writeNote: (patientId, noteId, text, annotations) => {
      const dir = join(init.notesDir, patientId);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileAtomic(join(dir, `${noteId}.txt`), text, init.tmpDir);
      writeFileAtomic(join(dir, `${noteId}.json`), annotations, init.tmpDir);
    },
  };
}

export type WorkerRequest = { readonly positions: readonly number[]; readonly indices: readonly number[] };
export type WorkerReply =
  | { readonly kind: 'done'; readonly positions: readonly number[]; readonly results: ProducedIndex[] }
  /** Any failure, as data: the pool rebuilds it into the same class with the same fields (`deserializeError`). */
  | { readonly kind: 'error'; readonly error: SerializedError };

if (parentPort !== null) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  const ready = Producer.create(init.settings, fileSinks(init), { sharedReferences: init.sharedReferences });
  // A setup failure (an IG that will not load) is answered to the first request, typed, below;
  // left unhandled meanwhile it would crash the thread and reach the pool as a plain Error.
  ready.catch(() => undefined);
  const encoder = new TextEncoder();
  // Requests are answered one at a time, in the order they came.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: WorkerRequest) => {
    queue = queue.then(async () => {
      try {
        const producer = await ready;
        const results: ProducedIndex[] = [];
        for (const i of request.indices) results.push(await producer.produce(i));
        // NDJSON is the bulk of a result: encode it here and transfer the bytes, so the main thread
        // neither copies the strings nor encodes them.
        const transfer: ArrayBuffer[] = [];
        for (const result of results) {
          for (const [type, text] of Object.entries(result.ndjson)) {
            const bytes = encoder.encode(text as string);
            result.ndjson[type] = bytes;
            transfer.push(bytes.buffer as ArrayBuffer);
          }
        }
        port.postMessage({ kind: 'done', positions: request.positions, results } satisfies WorkerReply, transfer);
      } catch (error) {
        port.postMessage({ kind: 'error', error: serializeError(error) } satisfies WorkerReply);
      }
    });
  });
}
