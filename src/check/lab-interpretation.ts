import { codeIn } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

function isLab(r: Record<string, unknown>): boolean {
  const categories = r['category'];
  return Array.isArray(categories) && categories.some((c) => codeIn(c, OBSERVATION_CATEGORY) === 'laboratory');
}

function bound(range: unknown, side: 'low' | 'high'): number | undefined {
  const v = (range as Record<string, { value?: unknown } | undefined> | undefined)?.[side]?.value;
  return typeof v === 'number' ? v : undefined;
}

/** A lab result's H/L/N flag agrees with its own value and reference range. */
export const labInterpretation: CheckRule = {
  id: 'clinical.lab-interpretation',
  family: 'clinical',
  title: 'a laboratory Observation flagged H, L or N has a value above, below or inside its reference range',
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'Observation' || !isLab(r)) continue;
      const interpretations = r['interpretation'];
      if (!Array.isArray(interpretations) || interpretations.length === 0) continue;
      const flag = codeIn(interpretations[0], INTERPRETATION);
      const value = (r['valueQuantity'] as { value?: unknown } | undefined)?.value;
      const range = Array.isArray(r['referenceRange']) ? r['referenceRange'][0] : undefined;
      if (typeof value !== 'number' || range === undefined || flag === undefined) continue;
      const low = bound(range, 'low');
      const high = bound(range, 'high');
      const expected = high !== undefined && value > high ? 'H' : low !== undefined && value < low ? 'L' : 'N';
      if (['H', 'L', 'N'].includes(flag) && flag !== expected) {
        emit(r, `value ${value} with range ${low ?? '-'}..${high ?? '-'} is flagged ${flag}, expected ${expected}`);
      }
    }
  },
};
