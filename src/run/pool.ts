/**
 * Runs patient indices on worker threads (or inline for one worker) and hands results back in
 * position order, whatever order the workers finish in: output bytes never depend on scheduling.
 */
import { Worker } from 'node:worker_threads';
import { deserializeError } from '../errors.js';
import type { ProducedIndex } from './produce.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker.js';

export interface PoolOptions {
  readonly workers: number;
  readonly init: WorkerInit;
  /** Runs one index on this thread (used when workers is 1). */
  readonly inline: (index: number) => Promise<ProducedIndex>;
  /** Patient index of a position in this shard's sequence. */
  readonly indexAt: (position: number) => number;
  readonly signal?: AbortSignal | undefined;
}

const BATCH = 4;
const IN_FLIGHT_PER_WORKER = 3;

/**
 * Produces positions [from, to) and calls `consume` for each in order (one at a time: an async
 * consume is awaited before the next). Stops early, after consuming everything already finished
 * in order, when the signal aborts.
 */
export async function runOrdered(
  options: PoolOptions,
  from: number,
  to: number,
  consume: (position: number, result: ProducedIndex) => void | Promise<void>,
): Promise<void> {
  if (options.workers <= 1) {
    for (let p = from; p < to; p++) {
      if (options.signal?.aborted === true) return;
      await consume(p, await options.inline(options.indexAt(p)));
      // Let signals and progress rendering in between patients.
      if ((p & 7) === 7) await new Promise((resolve) => setImmediate(resolve));
    }
    return;
  }
  const workerUrl = new URL('./worker.js', import.meta.url);
  const workers = Array.from({ length: options.workers }, () => new Worker(workerUrl, { workerData: options.init }));
  const pending = new Map<number, ProducedIndex>();
  let nextToDispatch = from;
  let nextToConsume = from;
  let failure: Error | undefined;
  let draining = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const inFlight = new Map<Worker, number>();
      // Consumes finished positions in order; an async consume (e.g. producing a patient again on
      // this thread) holds the queue while workers keep going.
      const drain = async (): Promise<void> => {
        if (draining) return;
        draining = true;
        try {
          while (failure === undefined && pending.has(nextToConsume)) {
            const result = pending.get(nextToConsume)!;
            pending.delete(nextToConsume);
            await consume(nextToConsume, result);
            nextToConsume++;
          }
        } catch (error) {
          failure ??= error as Error;
        } finally {
          draining = false;
        }
        finishIfIdle();
      };
      const dispatch = (worker: Worker): void => {
        while ((inFlight.get(worker) ?? 0) < IN_FLIGHT_PER_WORKER && nextToDispatch < to && options.signal?.aborted !== true) {
          const positions: number[] = [];
          for (let k = 0; k < BATCH && nextToDispatch < to; k++) positions.push(nextToDispatch++);
          const request: WorkerRequest = { positions, indices: positions.map(options.indexAt) };
          worker.postMessage(request);
          inFlight.set(worker, (inFlight.get(worker) ?? 0) + 1);
        }
      };
      const finishIfIdle = (): void => {
        const busy = draining || [...inFlight.values()].some((n) => n > 0);
        if (!busy && pending.has(nextToConsume) && failure === undefined) {
          void drain();
          return;
        }
        if (!busy && (nextToDispatch >= to || options.signal?.aborted === true || failure !== undefined)) {
          if (failure !== undefined) reject(failure);
          else resolve();
        }
      };
      for (const worker of workers) {
        worker.on('message', (reply: WorkerReply) => {
          inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1);
          if (reply.kind === 'error') {
            // The same class, code, fields and cause as on the worker: the user sees the same line
            // whatever the worker count.
            failure ??= deserializeError(reply.error);
          } else {
            reply.positions.forEach((p, k) => pending.set(p, reply.results[k]!));
            void drain();
          }
          if (failure === undefined) dispatch(worker);
          finishIfIdle();
        });
        worker.on('error', (error) => {
          failure ??= error;
          inFlight.set(worker, 0);
          finishIfIdle();
        });
        dispatch(worker);
      }
      options.signal?.addEventListener('abort', finishIfIdle, { once: true });
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
