/**
 * The validation report: counts by resource type and profile, failing resources with their
 * issues, input problems and unverified bindings; as text for people, as JSON for scripts, and
 * as OperationOutcomes for `validation.json`.
 */
import { findingsOutcome } from './medplum-issue.js';
import { formatLocation, type SourceLocation } from './inputs.js';
import type { ValidationIssue } from './issue.js';

/** Counts for one row of the summary table. */
export interface SummaryRow {
  resourceType: string;
  /** Profile URL, or `(base R4)` for resources that claim none. */
  profile: string;
  resources: number;
  failing: number;
  errors: number;
  warnings: number;
}

/** A resource with issues (or an input problem, with resourceType `(input)`). */
export interface ResourceResult {
  readonly location: SourceLocation;
  readonly resourceType: string;
  readonly id?: string;
  readonly issues: readonly ValidationIssue[];
}

/** What `validatePaths` found. */
export interface ValidationReport {
  readonly files: number;
  readonly resources: number;
  readonly errors: number;
  readonly warnings: number;
  readonly failingResources: number;
  readonly summary: readonly SummaryRow[];
  /** Resources with at least one error or warning, and input problems, in input order. */
  readonly results: readonly ResourceResult[];
  readonly unverifiedBindings: readonly { valueSet: string; count: number; reason: string }[];
  readonly igs: readonly { name: string; version: string; source: string }[];
  /** Where the OperationOutcomes were written, if they were. */
  readonly outcomeFile?: string;
}

const BASE = '(base R4)';

/** The summary table, failing errors in full (at most `maxErrors`), and unverified bindings. */
export function formatReport(report: ValidationReport, maxErrors: number): string {
  const lines: string[] = [];
  const igs = report.igs.map((ig) => `${ig.name}#${ig.version}`).join(', ');
  lines.push(`Validated ${report.resources} resources in ${report.files} files against base R4${igs === '' ? '' : ` and ${igs}`}.`);
  lines.push('');
  const header = ['resource type', 'profile', 'resources', 'failing', 'errors', 'warnings'];
  const rows = report.summary.map((r) => [r.resourceType, shortProfile(r.profile), String(r.resources), String(r.failing), String(r.errors), String(r.warnings)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
  lines.push(fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt));
  lines.push('');
  const errors = report.results.flatMap((r) => r.issues.filter((i) => i.severity === 'error').map((i) => ({ r, i })));
  if (errors.length > 0) {
    lines.push(`First ${Math.min(maxErrors, errors.length)} of ${errors.length} errors:`);
    for (const { r, i } of errors.slice(0, maxErrors)) {
      const parts = [formatLocation(r.location)];
      if (r.resourceType !== '(input)') parts.push(`${r.resourceType}/${r.id ?? '?'}`);
      if (i.path !== '') parts.push(i.path);
      if (i.profile !== undefined) parts.push(`[${shortProfile(i.profile)}]`);
      lines.push(`  ${parts.join(' ')}: ${i.message}`);
    }
    lines.push('');
  }
  if (report.unverifiedBindings.length > 0) {
    const total = report.unverifiedBindings.reduce((n, b) => n + b.count, 0);
    lines.push(`Bindings not verified (need a terminology server): ${total} values in ${report.unverifiedBindings.length} value sets`);
    for (const b of report.unverifiedBindings.slice(0, 10)) lines.push(`  ${b.count.toString().padStart(7)}  ${b.valueSet} (${b.reason})`);
    if (report.unverifiedBindings.length > 10) lines.push(`  ... ${report.unverifiedBindings.length - 10} more in the JSON report`);
    lines.push('');
  }
  lines.push(`${report.errors} errors, ${report.warnings} warnings in ${report.failingResources} resources${report.outcomeFile === undefined ? '' : `; details in ${report.outcomeFile}`}.`);
  return lines.join('\n');
}

function shortProfile(url: string): string {
  return url === BASE ? url : url.slice(url.lastIndexOf('/') + 1);
}

/** Accumulates counts as resources are validated. */
export class ReportBuilder {
  private readonly rows = new Map<string, SummaryRow>();
  readonly results: ResourceResult[] = [];
  resources = 0;
  errors = 0;
  warnings = 0;
  failing = 0;

  /** Records one validated resource and its issues. */
  add(location: SourceLocation, resourceType: string, id: string | undefined, profiles: readonly string[], issues: readonly ValidationIssue[]): void {
    this.resources += 1;
    const errors = issues.filter((i) => i.severity === 'error').length;
    const warnings = issues.filter((i) => i.severity === 'warning').length;
    this.errors += errors;
    this.warnings += warnings;
    if (errors > 0) this.failing += 1;
    for (const profile of profiles.length === 0 ? [BASE] : profiles) {
      const key = `${resourceType}\u0000${profile}`;
      let row = this.rows.get(key);
      if (row === undefined) {
        row = { resourceType, profile, resources: 0, failing: 0, errors: 0, warnings: 0 };
        this.rows.set(key, row);
      }
      const mine = issues.filter((i) => profiles.length === 0 || i.profile === undefined || i.profile === profile);
      row.resources += 1;
      const rowErrors = mine.filter((i) => i.severity === 'error').length;
      row.errors += rowErrors;
      row.warnings += mine.filter((i) => i.severity === 'warning').length;
      if (rowErrors > 0) row.failing += 1;
    }
    if (issues.some((i) => i.severity !== 'information')) {
      this.results.push(id === undefined ? { location, resourceType, issues } : { location, resourceType, id, issues });
    }
  }

  /** Records bad input (not JSON, empty file): an error of its own. */
  addProblem(location: SourceLocation, message: string): void {
    this.errors += 1;
    this.failing += 1;
    this.results.push({ location, resourceType: '(input)', issues: [{ severity: 'error', code: 'structure', resourceType: '(input)', path: '', message }] });
  }

  summary(): SummaryRow[] {
    return [...this.rows.values()].sort((a, b) => a.resourceType.localeCompare(b.resourceType) || a.profile.localeCompare(b.profile));
  }
}

/** FHIR OperationOutcome for one failing resource. */
export function toOperationOutcome(result: ResourceResult): Record<string, unknown> {
  const named = `${formatLocation(result.location)}${result.resourceType === '(input)' ? '' : ` ${result.resourceType}/${result.id ?? '?'}`}`;
  return findingsOutcome(result.issues, (i) => `${named}${i.profile === undefined ? '' : ` profile ${i.profile}`}`);
}

/** `validation.json`: a collection Bundle holding one OperationOutcome per failing resource. */
export function outcomesBundle(report: Omit<ValidationReport, 'outcomeFile'>): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    total: report.results.length,
    entry: report.results.map((r) => ({
      fullUrl: `${formatLocation(r.location)}${r.id === undefined ? '' : `#${r.resourceType}/${r.id}`}`,
      resource: toOperationOutcome(r),
    })),
  };
}
