/**
 * The adapter between Medplum's validator output and our {@link Finding}, and the way back: one
 * OperationOutcome shape for every finding, whether `validate` writes it or `serve` answers with it.
 */
import type { Finding, IssueCode } from './issue.js';

/** An OperationOutcome issue as Medplum's validator reports it. */
export interface MedplumIssue {
  severity?: string;
  code?: string;
  details?: { text?: string };
  diagnostics?: string;
  expression?: string[];
}

const MEDPLUM_CODES: ReadonlySet<string> = new Set<IssueCode>(['structure', 'invariant', 'processing', 'code-invalid']);

/**
 * Medplum's output adapted into our {@link Finding}: severity folded to ours, the code kept when
 * we know it, and the invariant's FHIRPath read out of the JSON Medplum puts in `diagnostics`.
 */
export function fromMedplum(issue: MedplumIssue): Finding {
  const severity = issue.severity === 'error' || issue.severity === 'fatal' ? 'error' : issue.severity === 'warning' ? 'warning' : 'information';
  const code = (issue.code !== undefined && MEDPLUM_CODES.has(issue.code) ? issue.code : 'invalid') as IssueCode;
  let fhirpath: string | undefined;
  try {
    fhirpath = (JSON.parse(issue.diagnostics ?? '{}') as { fhirpath?: string }).fhirpath;
  } catch {
    fhirpath = undefined;
  }
  return {
    severity,
    code,
    path: issue.expression?.[0] ?? '',
    message: issue.details?.text ?? issue.diagnostics ?? 'invalid',
    ...(fhirpath === undefined ? {} : { fhirpath }),
  };
}

/** An OperationOutcome issue for each finding; `diagnostics` says where (file, resource, profile) when the caller knows. */
export function findingsOutcome(findings: readonly (Finding & { readonly profile?: string })[], where: (f: Finding & { readonly profile?: string }) => string | undefined = () => undefined): {
  resourceType: 'OperationOutcome';
  issue: { severity: Finding['severity']; code: IssueCode; details: { text: string }; diagnostics?: string; expression?: string[] }[];
} {
  return {
    resourceType: 'OperationOutcome',
    issue: findings.map((f) => {
      const diagnostics = where(f);
      return {
        severity: f.severity,
        code: f.code,
        details: { text: f.message },
        ...(diagnostics === undefined ? {} : { diagnostics }),
        ...(f.path === '' ? {} : { expression: [f.path] }),
      };
    }),
  };
}
