/** The shape every validation finding takes, whichever checker found it. */

/** How bad a finding is; any `error` makes a resource (and a `validate` run) fail. */
export type Severity = 'error' | 'warning' | 'information';

/** One finding about one resource. */
export interface ValidationIssue {
  readonly severity: Severity;
  readonly resourceType: string;
  readonly id?: string;
  /** The profile checked when this was found; absent for base R4 checks. */
  readonly profile?: string;
  /** FHIRPath location, e.g. `Patient.telecom[0].system`. */
  readonly path: string;
  readonly message: string;
}

/** Counts of bindings that could not be checked offline, by value set URL. */
export type UnverifiedBindings = Map<string, { count: number; reason: string }>;

/** True when any issue is an error. */
export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
