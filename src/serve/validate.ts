import { badRequest, OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';

/** Throws an OperationOutcomeError naming every base-R4 violation of `resource`. */
export function assertValid(resource: Resource): void {
  const outcome = validationOutcome(resource);
  if (outcome !== undefined) throw new OperationOutcomeError(outcome);
}

/** The errors of `resource` against base R4 as an OperationOutcome, or undefined when it is valid. */
export function validationOutcome(resource: Resource): OperationOutcome | undefined {
  let issues;
  try {
    issues = validateResource(resource);
  } catch (error) {
    if (error instanceof OperationOutcomeError) return error.outcome;
    return badRequest(error instanceof Error ? error.message : String(error));
  }
  const errors = issues.filter((issue) => issue.severity === 'error');
  return errors.length > 0 ? { resourceType: 'OperationOutcome', issue: errors } : undefined;
}
