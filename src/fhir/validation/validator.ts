/**
 * The validator: one per profile set (and per worker), reused for every resource. Structure,
 * cardinality, types, fixed/pattern values and invariants come from Medplum's `validateResource`
 * against each claimed profile that a loaded IG defines (or the base type when none is); value-set
 * bindings come from our {@link BindingChecker}. A claimed profile that no loaded IG defines is a
 * warning by name.
 */
import { OperationOutcomeError, tryGetDataType, tryGetProfile, validateResource, type InternalTypeSchema } from '@medplum/core';
import { canonicalUrl, type ProfileSet, type StructureDefinitionLike } from '../profiles/load.js';
import { BindingChecker } from './bindings.js';
import { FastChecker } from './fast-checker.js';
import type { Finding, UnverifiedBindings, ValidationIssue } from './issue.js';
import { fromMedplum, type MedplumIssue } from './medplum-issue.js';

/** Which structural checker runs: the compiled fast one (default) or Medplum's own. */
export type ValidatorEngine = 'fast' | 'medplum';

/** Options of {@link createValidator}. */
export interface ValidatorOptions {
  readonly engine?: ValidatorEngine;
}

/** A reusable validator over one profile set. */
export interface Validator {
  /** Every issue found in `resource` (empty when it is valid and clean). Never throws. */
  validate(resource: unknown): ValidationIssue[];
  /** Bindings that could not be checked offline so far, by value set. */
  readonly unverifiedBindings: UnverifiedBindings;
}

type MedplumResource = Parameters<typeof validateResource>[0];
type MedplumProfile = NonNullable<NonNullable<Parameters<typeof validateResource>[1]>['profile']>;

/** Creates a validator; cheap once `loadProfiles` has run. */
export function createValidator(profileSet: ProfileSet, options: ValidatorOptions = {}): Validator {
  const bindings = new BindingChecker(profileSet.terminology);
  const fast = options.engine === 'medplum' ? undefined : new FastChecker();
  const structural: StructuralCheck =
    fast === undefined
      ? (record, target) => medplumIssues(record, target.sd).map(fromMedplum)
      : (record, target) => fast.check(record, target.schema);
  return {
    unverifiedBindings: bindings.unverified,
    validate: (resource) => validateOne(resource, profileSet, bindings, structural),
  };
}

interface Target {
  sd?: StructureDefinitionLike;
  schema: InternalTypeSchema;
  url?: string;
}

type StructuralCheck = (record: Record<string, unknown>, target: Target) => readonly Finding[];

function validateOne(resource: unknown, profileSet: ProfileSet, bindings: BindingChecker, structural: StructuralCheck): ValidationIssue[] {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return [{ severity: 'error', code: 'structure', resourceType: 'unknown', path: '', message: 'not a JSON object' }];
  }
  const record = resource as Record<string, unknown>;
  const resourceType = record.resourceType;
  if (typeof resourceType !== 'string') {
    return [{ severity: 'error', code: 'structure', resourceType: 'unknown', path: '', message: 'missing resourceType' }];
  }
  const base: Pick<ValidationIssue, 'resourceType' | 'id'> =
    typeof record.id === 'string' ? { resourceType, id: record.id } : { resourceType };
  const baseSchema = tryGetDataType(resourceType);
  if (baseSchema === undefined || baseSchema.kind !== 'resource') {
    return [{ ...base, severity: 'error', code: 'structure', path: resourceType, message: `unknown resource type '${resourceType}'` }];
  }
  const issues: ValidationIssue[] = [];
  const targets: Target[] = [];
  for (const claimed of claimedProfiles(record)) {
    const url = canonicalUrl(claimed);
    const sd = profileSet.profiles.get(url);
    const schema = sd === undefined ? undefined : tryGetProfile(url);
    if (sd === undefined || schema === undefined) {
      issues.push({ ...base, severity: 'warning', code: 'structure', profile: url, path: `${resourceType}.meta.profile`, message: `profile ${url} is not defined by any loaded IG; not checked` });
    } else if (sd.type !== resourceType) {
      issues.push({ ...base, severity: 'error', code: 'structure', profile: url, path: `${resourceType}.meta.profile`, message: `profile ${url} is for ${sd.type ?? '?'}, not ${resourceType}` });
    } else {
      targets.push({ sd, schema, url });
    }
  }
  // A profile's snapshot includes its base type, so base R4 is checked through it.
  if (targets.length === 0) targets.push({ schema: baseSchema });
  const push = (issue: ValidationIssue): void => {
    issues.push(issue);
  };
  for (const target of targets) {
    const withProfile = target.url === undefined ? base : { ...base, profile: target.url };
    const found = structural(record, target);
    if (found.length > 0) pushStructural(found, withProfile, resourceType, push);
    for (const finding of bindings.check(record, target.schema)) push({ ...withProfile, ...finding });
  }
  return issues.length > 1 ? dedupe(issues) : issues;
}

/** Drops repeats (the same finding from two profiles, or from nested walks of one). */
function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.severity}\u0000${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pushStructural(
  found: readonly Finding[],
  withProfile: Pick<ValidationIssue, 'resourceType' | 'id' | 'profile'>,
  resourceType: string,
  push: (issue: ValidationIssue) => void,
): void {
  // Medplum cannot evaluate some HL7 invariants (e.g. `telecom or endpoint` over lists): such an
  // invariant is reported as not verified, not as a failure of the resource.
  const unevaluated = new Set(found.filter(isEvaluationFailure).map(fhirpathOf));
  for (const issue of found) {
    // Medplum reads the type of a reference from its first segment; `urn:uuid:` references
    // point into the Bundle, where that type check says nothing.
    if (issue.severity === 'warning' && issue.message.startsWith('Invalid reference: got "urn:')) continue;
    if (issue.code !== 'processing' && unevaluated.has(fhirpathOf(issue))) continue;
    const path = issue.path === '' ? resourceType : issue.path;
    if (isEvaluationFailure(issue)) {
      push({ ...withProfile, ...issue, severity: 'warning', path, message: `invariant not verified: the validator cannot evaluate ${fhirpathOf(issue)}` });
      continue;
    }
    push({ ...withProfile, ...issue, path });
  }
}

function claimedProfiles(record: Record<string, unknown>): string[] {
  const meta = record.meta as { profile?: unknown } | undefined;
  return Array.isArray(meta?.profile) ? meta.profile.filter((p): p is string => typeof p === 'string') : [];
}

function medplumIssues(record: Record<string, unknown>, sd: StructureDefinitionLike | undefined): MedplumIssue[] {
  try {
    const options = sd === undefined ? undefined : { profile: sd as unknown as MedplumProfile };
    return validateResource(record as unknown as MedplumResource, options) as MedplumIssue[];
  } catch (error) {
    if (error instanceof OperationOutcomeError) return (error.outcome.issue ?? []) as MedplumIssue[];
    return [{ severity: 'error', details: { text: `validator failed: ${(error as Error).message}` } }];
  }
}

function isEvaluationFailure(issue: Finding): boolean {
  return issue.code === 'processing' && issue.message.startsWith('Error evaluating invariant');
}

function fhirpathOf(issue: Finding): string {
  return issue.fhirpath === undefined ? 'an invariant' : `'${issue.fhirpath}'`;
}
