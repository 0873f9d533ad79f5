import type { FhirResource } from './bundle-source.js';
import type { BundleView } from './bundle-view.js';

/** Families group the rules in the report. */
export type RuleFamily = 'structure' | 'clinical';

/** Reports one violation of a rule, on a resource of the bundle (or the bundle itself). */
export type Emit = (resource: FhirResource | undefined, message: string) => void;

/**
 * A named coherence rule: a pure check of one bundle. Rules never throw on odd input; whatever
 * they cannot read they report or skip.
 */
export interface CheckRule {
  /** Stable id, `<family>.<name>`, e.g. `structure.reference-resolves`. */
  readonly id: string;
  readonly family: RuleFamily;
  /** What the rule demands, one line, for the report. */
  readonly title: string;
  check(view: BundleView, emit: Emit): void;
}
