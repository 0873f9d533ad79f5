import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { parentPort } from 'node:worker_threads';
import { serializeError, type SerializedError } from '../errors.js';
import { loadFhirDefinitions } from './definitions.js';
import { validationOutcome } from './validate.js';

/** A request to the validation worker: resources to check, answered in order. */
export interface ValidationRequest {
  readonly id: number;
  readonly resources: readonly Resource[];
}

/** The worker's answer: each resource's outcome, or the failure as data (rebuilt by the pool). */
export type ValidationReply =
  | { readonly id: number; readonly outcomes: (OperationOutcome | undefined)[] }
  | { readonly id: number; readonly error: SerializedError };

// A failure to load the definitions is answered to every request rather than crashing the thread.
let loadFailure: unknown;
try {
  loadFhirDefinitions();
} catch (error) {
  loadFailure = error;
}
parentPort?.on('message', (request: ValidationRequest) => {
  let reply: ValidationReply;
  try {
    if (loadFailure !== undefined) throw loadFailure;
    reply = { id: request.id, outcomes: request.resources.map(validationOutcome) };
  } catch (error) {
    reply = { id: request.id, error: serializeError(error) };
  }
  parentPort?.postMessage(reply);
});
