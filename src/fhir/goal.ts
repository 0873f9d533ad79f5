import type { Goal } from '@medplum/fhirtypes';
import { instantToDate } from '../core/time.js';
import type { GoalEntry } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

/** A US Core Goal for a chronic condition: start date, due date and, where measurable, its target. */
export function goalResource(g: GoalEntry, patientId: string, meta: MetaFactory): Goal {
  const dueDate = instantToDate(g.due);
  return {
    resourceType: 'Goal',
    id: g.id,
    meta: meta.forProfile(PROFILES.goal),
    lifecycleStatus: g.lifecycleStatus,
    description: { text: g.description },
    subject: ref(patientId),
    startDate: instantToDate(g.start),
    target:
      g.targets.length === 0
        ? [{ dueDate }]
        : g.targets.map((t) => ({
            measure: concept(t.measure),
            detailQuantity: { value: t.high, comparator: '<' as const, unit: t.unit, system: SYSTEMS.ucum, code: t.unit },
            dueDate,
          })),
    expressedBy: ref(g.practitionerId),
    addresses: [ref(g.conditionId)],
  };
}
