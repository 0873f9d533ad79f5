import type { PregnancyKnowledge } from '../knowledge/pregnancy.js';
import { codingsOf, instantOf, type BundleView } from './bundle-view.js';
import type { FhirResource } from './bundle-source.js';
import type { CheckRule } from './rule.js';

const MS_PER_YEAR = 365.2425 * 86_400_000;
/** Longest span from the pregnancy's onset (conception) to delivery: 44 weeks from the last period. */
const MAX_GESTATION_MS = 42 * 7 * 86_400_000;

function hasCoding(concept: unknown, system: string, codes: ReadonlySet<string>): boolean {
  return codingsOf(concept).some((c) => c.system === system && c.code !== undefined && codes.has(c.code));
}

function timeOf(value: unknown): number | undefined {
  return typeof value === 'string' ? instantOf(value) : undefined;
}

function performedAt(r: FhirResource): number | undefined {
  return timeOf(r['performedDateTime']) ?? timeOf((r['performedPeriod'] as { start?: unknown } | undefined)?.start);
}

interface Span {
  readonly resource: FhirResource;
  readonly onset: number;
  readonly end: number | undefined;
}

function pregnancies(view: BundleView, system: string, codes: ReadonlySet<string>): Span[] {
  const out: Span[] = [];
  for (const r of view.resources) {
    if (r.resourceType !== 'Condition' || !hasCoding(r['code'], system, codes)) continue;
    const onset = timeOf(r['onsetDateTime']);
    if (onset !== undefined) out.push({ resource: r, onset, end: timeOf(r['abatementDateTime']) });
  }
  return out.sort((a, b) => a.onset - b.onset);
}

/**
 * Builds the rule from the pregnancy knowledge: pregnancies fall in the reproductive years and never
 * overlap, and every delivery happens during a recorded pregnancy. (Sex is `clinical.sex-appropriate`'s job.)
 */
export function pregnancyCoherence(k: PregnancyKnowledge): CheckRule {
  const pregnancyCodes = new Set([k.codes.pregnancy.code]);
  const deliveryCodes = new Set([k.codes.vaginalDelivery.code, k.codes.cesarean.code]);
  const system = k.codes.pregnancy.system;
  const minAge = k.menarcheAge;
  const maxAge = k.lastConceptionAge + 1;
  return {
    id: 'clinical.pregnancy-coherence',
    family: 'clinical',
    title: `pregnancies begin at reproductive age (${minAge}-${maxAge}) and never overlap; every delivery falls within a recorded pregnancy`,
    check(view, emit) {
      const spans = pregnancies(view, system, pregnancyCodes);
      const birth = view.birthDate === undefined ? undefined : instantOf(view.birthDate);
      for (let i = 0; i < spans.length; i++) {
        const s = spans[i]!;
        if (birth !== undefined) {
          const age = (s.onset - birth) / MS_PER_YEAR;
          if (age < minAge || age > maxAge) emit(s.resource, `pregnancy begins at age ${age.toFixed(1)}, outside ${minAge}-${maxAge}`);
        }
        const next = spans[i + 1];
        if (next !== undefined && (s.end === undefined || s.end > next.onset)) {
          emit(next.resource, `pregnancy begins before the previous one (${s.resource.resourceType}/${s.resource.id}) ends`);
        }
      }
      for (const r of view.resources) {
        if (r.resourceType !== 'Procedure' || !hasCoding(r['code'], system, deliveryCodes)) continue;
        const at = performedAt(r);
        if (at === undefined) continue;
        const within = spans.some((s) => s.onset <= at && at - s.onset <= MAX_GESTATION_MS && (s.end === undefined || s.end >= at));
        if (!within) emit(r, 'delivery outside any recorded pregnancy');
      }
    },
  };
}
