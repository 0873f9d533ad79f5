/**
 * `generate --validate`: every resource is validated before its bundle is written, and the first
 * error fails the run, so a cohort on disk is known-valid or not written at all. Each thread loads
 * the profiles once and keeps one validator; shared resources (organizations, practitioners,
 * locations) repeat in every bundle with the same content, so each is validated once per thread.
 */
import type { Resource } from '@medplum/fhirtypes';
import { ValidationFailedError } from '../errors.js';
import { loadProfiles } from '../fhir/profiles/load.js';
import { createValidator, type Validator } from '../fhir/validation/validator.js';
import { SHARED_TYPES } from '../fhir/record-to-fhir.js';

/** What `--validate` checks against. */
export interface ValidateSettings {
  /** IG packages (folders or `.tgz`, `--ig`), on top of base R4 which is always checked. */
  readonly igPaths: readonly string[];
}

/** Validates records' resources as they are produced. */
export class WriteTimeValidator {
  private readonly sharedSeen = new Set<string>();
  /** Warnings on patient-specific resources (shared ones are checked once per thread, so not counted). */
  warnings = 0;

  private constructor(
    private readonly validator: Validator,
    /** `name#version` of each IG loaded, for the manifest. */
    readonly igs: readonly string[],
  ) {}

  /** Loads the IGs (a bad path is an InputError naming it). */
  static async create(settings: ValidateSettings): Promise<WriteTimeValidator> {
    const set = await loadProfiles({ igPaths: settings.igPaths });
    return new WriteTimeValidator(
      createValidator(set),
      set.igs.map((ig) => `${ig.name}#${ig.version}`),
    );
  }

  /**
   * Checks one patient's resources; throws {@link ValidationFailedError} naming the patient, the
   * first failing resource, its location and message (and how many more errors there were).
   */
  check(patientId: string, resources: readonly Resource[]): void {
    const errors: string[] = [];
    for (const resource of resources) {
      const shared = SHARED_TYPES.has(resource.resourceType);
      if (shared) {
        const key = `${resource.resourceType}/${resource.id ?? ''}`;
        if (this.sharedSeen.has(key)) continue;
        this.sharedSeen.add(key);
      }
      for (const issue of this.validator.validate(resource)) {
        if (issue.severity === 'error') {
          errors.push(`${resource.resourceType}/${resource.id ?? '?'} at ${issue.path || resource.resourceType}: ${issue.message}`);
        } else if (issue.severity === 'warning' && !shared) {
          this.warnings++;
        }
      }
    }
    if (errors.length > 0) {
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''} in this bundle)` : '';
      throw new ValidationFailedError(`--validate: patient ${patientId} fails validation: ${errors[0]}${more}; nothing of it was written`);
    }
  }
}
