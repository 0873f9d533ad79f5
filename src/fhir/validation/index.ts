/** FHIR validation: profile loading, the reusable validator, and `validate` over files. */
export { loadProfiles, canonicalUrl, type ProfileSet, type LoadProfilesOptions, type LoadedIg } from '../profiles/load.js';
export { createValidator, type Validator, type ValidatorEngine, type ValidatorOptions } from './validator.js';
export { hasErrors, type Finding, type IssueCode, type Severity, type ValidationIssue, type UnverifiedBindings } from './issue.js';
export { validatePaths, type ValidatePathsOptions } from './validate-paths.js';
export { formatReport, toOperationOutcome, type ValidationReport, type SummaryRow, type ResourceResult } from './report.js';
export { Terminology, type Expansion } from './terminology.js';
export { findingsOutcome, fromMedplum, type MedplumIssue } from './medplum-issue.js';
