import type { Instant } from '../core/time.js';
import type { Coding, Encounter, Practitioner, ConditionId, EncounterId } from '../record/types.js';
import type { Site } from './providers.js';

/** An ambulatory encounter at a site (clinic visit, prenatal visit), seen by one practitioner. */
export function ambulatoryEncounter(
  id: EncounterId,
  type: Coding,
  span: { readonly start: Instant; readonly end: Instant },
  site: Site,
  practitioner: Practitioner,
  reasonConditionId?: ConditionId,
): Encounter {
  return {
    id,
    class: 'AMB',
    type,
    start: span.start,
    end: span.end,
    practitionerId: practitioner.id,
    organizationId: site.organization.id,
    locationId: site.location.id,
    reason: undefined,
    ...(reasonConditionId === undefined ? {} : { reasonConditionId }),
  };
}
