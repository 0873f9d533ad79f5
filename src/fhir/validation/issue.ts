/** The shape every validation finding takes, whichever checker found it. */

/** How bad a finding is; any `error` makes a resource (and a `validate` run) fail. */
export type Severity = 'error' | 'warning' | 'information';

/**
 * What kind of problem, as FHIR's issue-type codes (http://hl7.org/fhir/issue-type), carried as
 * is into the OperationOutcome: `invariant` (a constraint failed), `processing` (an invariant the
 * checker cannot evaluate), `code-invalid` (a binding), `structure` (anything else about shape),
 * `invalid` (what Medplum reports under a code we do not list).
 */
export type IssueCode = 'structure' | 'invariant' | 'processing' | 'code-invalid' | 'invalid';

/**
 * One finding about one resource: the one issue type from the checkers (the fast checker, Medplum's
 * validator through its adapter, the binding checker) to `validate`'s report and OperationOutcomes.
 */
export interface ValidationIssue {
  readonly severity: Severity;
  readonly code: IssueCode;
  readonly resourceType: string;
  readonly id?: string;
  /** The profile checked when this was found; absent for base R4 checks. */
  readonly profile?: string;
  /** FHIRPath location, e.g. `Patient.telecom[0].system`. */
  readonly path: string;
  readonly message: string;
  /** The FHIRPath of the invariant, for `invariant` and `processing` issues. */
  readonly fhirpath?: string;
}

/** What a checker finds in one resource, before the validator names the resource and profile. */
export type Finding = Omit<ValidationIssue, 'resourceType' | 'id' | 'profile'>;

/** Counts of bindings that could not be checked offline, by value set URL. */
export type UnverifiedBindings = Map<string, { count: number; reason: string }>;

/** True when any issue is an error. */
export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
