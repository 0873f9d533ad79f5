import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deserializeError } from '../errors.js';
import { validationOutcome } from './validate.js';
import type { ValidationReply, ValidationRequest } from './validation-worker.js';

/** Validates resources against base R4; the outcome of each, undefined when valid. */
export type Validator = (resources: readonly Resource[]) => Promise<(OperationOutcome | undefined)[]>;

/** Validation on this thread: the default, and what one core can do. */
export const inlineValidator: Validator = (resources) => Promise.resolve(resources.map(validationOutcome));

/**
 * Validation on worker threads. Validating a resource costs about 0.3 ms, far more than storing
 * it, so a first load is bound by validation; workers spread it over the cores while the main
 * thread parses requests and writes. Each worker indexes the FHIR definitions once (about a second).
 * Workers keep the process alive until {@link ValidationPool.close}.
 */
export class ValidationPool {
  private readonly workers: { worker: Worker; busy: number }[];
  private readonly waiting = new Map<number, { resolve: (outcomes: (OperationOutcome | undefined)[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(size: number) {
    const url = workerUrl();
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(url);
      const slot = { worker, busy: 0 };
      worker.on('message', (reply: ValidationReply) => {
        slot.busy -= 1;
        const pending = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        if ('error' in reply) pending?.reject(deserializeError(reply.error));
        else pending?.resolve(reply.outcomes);
      });
      worker.on('error', (error) => {
        for (const pending of this.waiting.values()) pending.reject(error);
        this.waiting.clear();
      });
      return slot;
    });
  }

  /** Validates on the least busy worker. */
  readonly validate: Validator = (resources) => {
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy += 1;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const request: ValidationRequest = { id, resources };
      slot.worker.postMessage(request);
    });
  };

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}

// Compiled, the worker sits next to this module; under the tests (TypeScript sources) it is taken
// from dist/, which the tests' global setup compiles first.
function workerUrl(): URL {
  const beside = new URL('./validation-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL('../../dist/serve/validation-worker.js', import.meta.url);
}
