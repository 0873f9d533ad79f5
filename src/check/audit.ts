import { loadFidelityTargets, type FidelityTargets } from '../knowledge/fidelity-targets.js';
import { listBundleFiles, readBundleFiles } from './bundle-source.js';
import { label, viewBundle } from './bundle-view.js';
import { FidelityTable, measureLoincs, type FidelityRow } from './fidelity.js';
import { patientFacts } from './patient-facts.js';
import type { CheckRule, RuleFamily } from './rule.js';
import { allRules } from './rules.js';

/** One violation, as shown in the report. */
export interface CheckExample {
  /** Bundle file name under `OUT/fhir/`. */
  readonly file: string;
  /** `Type/id` of the offending resource, or null for the bundle as a whole. */
  readonly resource: string | null;
  readonly message: string;
}

/** A rule's verdict over the whole cohort. */
export interface CheckResult {
  readonly id: string;
  readonly family: RuleFamily;
  readonly title: string;
  readonly status: 'pass' | 'fail';
  readonly violations: number;
  /** The first violations found (bundles in file-name order), at most `examplesPerRule`. */
  readonly examples: readonly CheckExample[];
}

/** The whole report; `ok` is false when a check fails or a fidelity row is off its band. */
export interface CheckReport {
  readonly out: string;
  readonly bundles: number;
  readonly resources: number;
  readonly patients: { readonly living: number; readonly deceased: number };
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
  readonly fidelity: readonly FidelityRow[];
}

export interface AuditOptions {
  /** Examples kept per rule (default 5). */
  readonly examplesPerRule?: number;
  /** Rules to run (default: all). */
  readonly rules?: readonly CheckRule[];
  readonly targets?: FidelityTargets;
  /** Called after each bundle. */
  readonly onProgress?: (done: number, total: number) => void;
}

const READABLE: Pick<CheckRule, 'id' | 'family' | 'title'> = {
  id: 'structure.bundle-readable',
  family: 'structure',
  title: 'every file under fhir/ is a JSON FHIR Bundle',
};

/**
 * Audits a generated cohort: streams `OUT/fhir/*.json` one bundle at a time through every rule and
 * the prevalence table, holding only counts and a few examples. Deterministic for a given folder.
 */
export async function auditCohort(out: string, options: AuditOptions = {}): Promise<CheckReport> {
  const rules = options.rules ?? allRules();
  const targets = options.targets ?? loadFidelityTargets();
  const keep = options.examplesPerRule ?? 5;
  const loincs = measureLoincs(targets);
  const table = new FidelityTable(targets);
  const meta = [READABLE, ...rules];
  const counts = meta.map(() => 0);
  const examples: CheckExample[][] = meta.map(() => []);
  const record = (i: number, example: CheckExample): void => {
    counts[i]!++;
    if (examples[i]!.length < keep) examples[i]!.push(example);
  };
  const names = await listBundleFiles(out);
  let bundles = 0;
  let resources = 0;
  let living = 0;
  let deceased = 0;
  for await (const item of readBundleFiles(out, names)) {
    bundles++;
    if ('error' in item) {
      record(0, { file: item.file, resource: null, message: item.error });
    } else {
      const view = viewBundle(item.file, item.bundle);
      resources += view.resources.length;
      rules.forEach((rule, i) => {
        rule.check(view, (r, message) => record(i + 1, { file: item.file, resource: r === undefined ? null : label(r), message }));
      });
      if (view.patient !== undefined) {
        const facts = patientFacts(view, loincs);
        if (facts.living) living++;
        else deceased++;
        table.add(facts);
      }
    }
    options.onProgress?.(bundles, names.length);
  }
  const checks: CheckResult[] = meta.map((m, i) => ({
    id: m.id,
    family: m.family,
    title: m.title,
    status: counts[i] === 0 ? 'pass' : 'fail',
    violations: counts[i]!,
    examples: examples[i]!,
  }));
  const fidelity = table.rows();
  const ok = checks.every((c) => c.status === 'pass') && fidelity.every((r) => r.status !== 'fail');
  return { out, bundles, resources, patients: { living, deceased }, ok, checks, fidelity };
}
