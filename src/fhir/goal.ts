import type { Goal } from '@medplum/fhirtypes';
import { instantToDate } from '../core/time.js';
import type { GoalEntry } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const ACHIEVEMENT = 'http://terminology.hl7.org/CodeSystem/goal-achievement';
const ACHIEVEMENT_DISPLAY = {
  achieved: 'Achieved',
  'not-achieved': 'Not Achieved',
  improving: 'Improving',
  worsening: 'Worsening',
  'in-progress': 'In Progress',
} as const;

/**
 * A US Core Goal for a chronic condition: start date, due date and, where measurable, its target;
 * once reviewed, what the review found (achievementStatus, statusDate) and the revised due date.
 */
export function goalResource(g: GoalEntry, patientId: string, meta: MetaFactory): Goal {
  const dueDate = instantToDate(g.due);
  return {
    resourceType: 'Goal',
    id: g.id,
    meta: meta.forProfile(PROFILES.goal),
    lifecycleStatus: g.lifecycleStatus,
    description: { text: g.description },
    subject: ref(patientId),
    ...(g.review === undefined
      ? {}
      : {
          achievementStatus: {
            coding: [{ system: ACHIEVEMENT, code: g.review.achievement, display: ACHIEVEMENT_DISPLAY[g.review.achievement] }],
            text: ACHIEVEMENT_DISPLAY[g.review.achievement],
          },
          statusDate: instantToDate(g.review.at),
        }),
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
