/**
 * Worker-thread entry: builds a Producer from the settings it is given and answers batches of
 * patient indices. Bundles are written here (in parallel); NDJSON text goes back to the main
 * thread, which appends it in index order.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { writeFileAtomic } from '../sinks/atomic.js';
import { Producer, type ProduceSettings } from './produce.js';

export interface WorkerInit {
  readonly settings: ProduceSettings;
  readonly fhirDir: string;
  readonly tmpDir: string;
}

export type WorkerRequest = { readonly positions: readonly number[]; readonly indices: readonly number[] };
export type WorkerReply =
  | { readonly kind: 'done'; readonly positions: readonly number[]; readonly results: ReturnType<Producer['produce']>[] }
  | { readonly kind: 'error'; readonly message: string; readonly stack: string | undefined };

if (parentPort !== null) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  const producer = new Producer(init.settings, (id, text) => writeFileAtomic(join(init.fhirDir, `${id}.json`), text, init.tmpDir));
  port.on('message', (request: WorkerRequest) => {
    try {
      const results = request.indices.map((i) => producer.produce(i));
      port.postMessage({ kind: 'done', positions: request.positions, results } satisfies WorkerReply);
    } catch (error) {
      const e = error as Error;
      port.postMessage({ kind: 'error', message: e.message, stack: e.stack } satisfies WorkerReply);
    }
  });
}
