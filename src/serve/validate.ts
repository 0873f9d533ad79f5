import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { findingsOutcome, fromMedplum, type MedplumIssue } from '../fhir/validation/index.js';

/** Throws an OperationOutcomeError naming every base-R4 violation of `resource`. */
export function assertValid(resource: Resource): void {
  const outcome = validationOutcome(resource);
  if (outcome !== undefined) throw new OperationOutcomeError(outcome);
}

/**
 * The errors of `resource` against base R4 as an OperationOutcome, or undefined when it is valid.
 * Medplum's findings go through the same adapter as `chartwright validate`'s, so a client sees one
 * issue shape (severity, issue-type code, message, FHIRPath location) from both.
 */
export function validationOutcome(resource: Resource): OperationOutcome | undefined {
  let issues: MedplumIssue[];
  try {
    issues = validateResource(resource) as MedplumIssue[];
  } catch (error) {
    issues = error instanceof OperationOutcomeError ? ((error.outcome.issue ?? []) as MedplumIssue[]) : [{ severity: 'error', code: 'invalid', details: { text: error instanceof Error ? error.message : String(error) } }];
  }
  const errors = issues.map(fromMedplum).filter((f) => f.severity === 'error');
  return errors.length > 0 ? (findingsOutcome(errors) as OperationOutcome) : undefined;
}
