/** Which allergies a person develops, when, and whether childhood ones are outgrown; and where the chart records them. */
import { loadAllergies, type AllergyKind } from '../knowledge/allergies.js';
import { MS_PER_YEAR, type Instant } from '../core/time.js';
import type { Allergy, Encounter, Reaction } from '../record/types.js';
import type { Rng } from '../core/random.js';
import type { StepFragment } from './fragment.js';
import type { IdAllocator } from './ids.js';

export interface PlannedAllergy {
  readonly kind: AllergyKind;
  readonly onset: Instant;
  readonly resolved: Instant | undefined;
  readonly reactions: readonly Reaction[];
}

export function planAllergies(rng: Rng, birth: Instant, until: Instant): PlannedAllergy[] {
  const out: PlannedAllergy[] = [];
  for (const kind of loadAllergies().allergies) {
    const own = rng.fork(kind.key);
    if (!own.chance(kind.prevalence)) continue;
    const onsetAge = own.uniform(kind.onsetAgeYears[0], kind.onsetAgeYears[1]);
    const onset = birth + onsetAge * MS_PER_YEAR;
    if (onset >= until) continue;
    let resolved: Instant | undefined;
    if (onsetAge < 12 && own.chance(kind.childhoodResolves)) {
      const t = onset + own.uniform(2, 8) * MS_PER_YEAR;
      if (t < until) resolved = t;
    }
    const count = kind.reactions.length > 1 && own.chance(0.35) ? 2 : 1;
    const weights = kind.reactions.map((r) => r.weight);
    const reactions: Reaction[] = [];
    for (let k = 0; k < count; k++) {
      const r = kind.reactions[own.weightedIndex(weights)]!;
      if (!reactions.some((x) => x.manifestation.code === r.code.code)) {
        reactions.push({ manifestation: r.code, severity: r.severity });
      }
    }
    out.push({ kind, onset, resolved, reactions });
  }
  return out.sort((a, b) => a.onset - b.onset);
}

/**
 * The chart's allergy list: each planned allergy recorded at the first of `encounters` on or after
 * its onset; none recorded is charted as "no known allergy" at the first encounter.
 */
export function recordAllergies(
  plan: readonly PlannedAllergy[],
  encounters: readonly Encounter[],
  end: Instant,
  ids: IdAllocator,
): StepFragment<'allergies'> {
  const allergies: Allergy[] = [];
  for (const planned of plan) {
    const at = encounters.find((e) => e.start >= planned.onset);
    if (at === undefined) continue;
    allergies.push({
      id: ids.next(),
      code: planned.kind.code,
      name: planned.kind.name,
      category: planned.kind.category,
      type: planned.kind.type,
      criticality: planned.kind.criticality,
      onset: planned.onset,
      recorded: at.start,
      encounterId: at.id,
      practitionerId: at.practitionerId,
      clinicalStatus: planned.resolved !== undefined && planned.resolved < end ? 'resolved' : 'active',
      resolved: planned.resolved,
      reactions: planned.reactions,
      isNoKnownAllergy: false,
    });
  }
  const first = encounters[0];
  if (allergies.length === 0 && first !== undefined) {
    allergies.push({
      id: ids.next(),
      code: loadAllergies().noKnownAllergy,
      name: 'No known allergies',
      category: undefined,
      type: undefined,
      criticality: undefined,
      onset: undefined,
      recorded: first.start,
      encounterId: first.id,
      practitionerId: first.practitionerId,
      clinicalStatus: 'active',
      resolved: undefined,
      reactions: [],
      isNoKnownAllergy: true,
    });
  }
  return { allergies };
}
