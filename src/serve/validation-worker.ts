import type { Resource } from '@medplum/fhirtypes';
import { parentPort } from 'node:worker_threads';
import { loadFhirDefinitions } from './definitions.js';
import { validationOutcome } from './validate.js';

/** A request to the validation worker: resources to check, answered in order. */
export interface ValidationRequest {
  readonly id: number;
  readonly resources: readonly Resource[];
}

loadFhirDefinitions();
parentPort?.on('message', (request: ValidationRequest) => {
  parentPort?.postMessage({ id: request.id, outcomes: request.resources.map(validationOutcome) });
});
