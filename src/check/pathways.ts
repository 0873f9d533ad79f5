/**
 * End-stage disease without its pathway: kidney failure with no nephrology care, dialysis or
 * recorded conservative decision; a cancer never biopsied, staged or treated or followed. The codes
 * come from the pathway data the engine generates from, passed in by the caller.
 */
import { codeIn, hasCode, label, referenceOf, instantOf, type BundleView } from './bundle-view.js';
import type { FhirResource } from './bundle-source.js';
import type { CheckRule } from './rule.js';
import { egfrCodes } from '../knowledge/labs.js';

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const NUCC = 'http://nucc.org/provider-taxonomy';
const DAY = 86_400_000;

/** What the kidney rule needs to know: where kidney failure starts and what counts as its care. */
export interface KidneyPathwayCodes {
  readonly belowEgfr: number;
  /** NUCC code of the nephrologist. */
  readonly nephrology: string;
  /** SNOMED CT codes of dialysis, transplant and the conservative-care decision. */
  readonly procedures: ReadonlySet<string>;
  /** Days a chart may take after the first eGFR below the limit before the pathway must show. */
  readonly graceDays: number;
}

/** What the cancer rule needs to know, per cancer SNOMED CT code: its biopsy code. */
export interface CancerPathwayCodes {
  readonly biopsyByCancer: ReadonlyMap<string, string>;
  /** Days after the diagnosis by which biopsy and stage must be recorded. */
  readonly graceDays: number;
}

/** The end of the chart: death, else the reference date, else the latest date in it. */
function chartEnd(view: BundleView): number {
  if (view.deathTime !== undefined) return view.deathTime;
  if (view.referenceDate !== undefined) return Date.parse(`${view.referenceDate}T00:00:00Z`);
  return Infinity;
}

function performerSpecialty(view: BundleView, r: FhirResource): string | undefined {
  const participants = (r['participant'] as { individual?: unknown }[] | undefined) ?? [];
  for (const p of participants) {
    const ref = referenceOf(p.individual);
    const who = ref === undefined ? undefined : view.resolve(ref);
    const quals = (who?.['qualification'] as { code?: unknown }[] | undefined) ?? [];
    for (const q of quals) {
      const code = codeIn(q.code, NUCC);
      if (code !== undefined) return code;
    }
  }
  return undefined;
}

export function kidneyFailurePathway(codes: KidneyPathwayCodes): CheckRule {
  return {
    id: 'clinical.kidney-failure-pathway',
    family: 'clinical',
    title: `an eGFR below ${codes.belowEgfr} is followed, within ${codes.graceDays} days, by nephrology care, dialysis, transplant or a recorded conservative-care decision`,
    check(view, emit) {
      let first: { r: FhirResource; at: number } | undefined;
      for (const r of view.resources) {
        if (r.resourceType !== 'Observation' || !egfrCodes().has(codeIn(r['code'], LOINC) ?? '')) continue;
        const v = (r['valueQuantity'] as { value?: unknown } | undefined)?.value;
        const at = typeof r['effectiveDateTime'] === 'string' ? instantOf(r['effectiveDateTime']) : undefined;
        if (typeof v !== 'number' || v >= codes.belowEgfr || at === undefined) continue;
        if (first === undefined || at < first.at) first = { r, at };
      }
      if (first === undefined || chartEnd(view) - first.at < codes.graceDays * DAY) return;
      const cared = view.resources.some(
        (r) =>
          (r.resourceType === 'Procedure' && hasCode(r['code'], codes.procedures, SNOMED)) ||
          (r.resourceType === 'Encounter' && performerSpecialty(view, r) === codes.nephrology),
      );
      if (!cared) emit(first.r, `${label(first.r)}: eGFR below ${codes.belowEgfr} with no nephrology care, dialysis, transplant or conservative-care decision after it`);
    },
  };
}

export function cancerPathway(codes: CancerPathwayCodes): CheckRule {
  return {
    id: 'clinical.cancer-pathway',
    family: 'clinical',
    title: `a cancer diagnosed over ${codes.graceDays} days before the chart ends has its biopsy, a stage, and treatment or oncology follow-up`,
    check(view, emit) {
      const end = chartEnd(view);
      for (const c of view.resources) {
        if (c.resourceType !== 'Condition') continue;
        const code = codeIn(c['code'], SNOMED);
        const biopsy = code === undefined ? undefined : codes.biopsyByCancer.get(code);
        const recorded = typeof c['recordedDate'] === 'string' ? instantOf(c['recordedDate']) : undefined;
        if (biopsy === undefined || recorded === undefined || end - recorded < codes.graceDays * DAY) continue;
        const forIt = (r: FhirResource): boolean => {
          const reasons = (r['reasonReference'] as unknown[] | undefined) ?? [];
          return reasons.some((x) => {
            const ref = referenceOf(x);
            return ref !== undefined && view.resolve(ref) === c;
          });
        };
        const related = view.resources.filter((r) => (r.resourceType === 'Procedure' || r.resourceType === 'Encounter') && forIt(r));
        const missing: string[] = [];
        if (!related.some((r) => r.resourceType === 'Procedure' && codeIn(r['code'], SNOMED) === biopsy)) missing.push('biopsy');
        if (!Array.isArray(c['stage']) || c['stage'].length === 0) missing.push('stage');
        // Treatment (a procedure other than the biopsy), or follow-up: visits beyond the biopsy and the consult.
        const treated = related.some((r) => r.resourceType === 'Procedure' && codeIn(r['code'], SNOMED) !== biopsy);
        if (!treated && related.filter((r) => r.resourceType === 'Encounter').length < 3) missing.push('treatment or oncology follow-up');
        if (missing.length > 0) emit(c, `${label(c)} diagnosed ${String(c['recordedDate']).slice(0, 10)} has no ${missing.join(', ')}`);
      }
    },
  };
}
