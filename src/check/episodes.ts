import { codeIn, hasCode, instantOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const CLINICAL_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const ENCOUNTER_DIAGNOSIS = new Set(['encounter-diagnosis']);
const ENDED = new Set(['resolved', 'inactive', 'remission']);

/** The longest an acute episode (infection, injury, surgery recovery) plausibly runs before it resolves. */
export const MAX_EPISODE_DAYS = 365;
const MS_PER_DAY = 86_400_000;

/**
 * Acute episodes end: an encounter diagnosis that is resolved carries an abatement after its
 * onset and within {@link MAX_EPISODE_DAYS} of it (a resolved cold that lasted five years, or an
 * abatement before the illness began, is a broken chart).
 */
export const episodeResolution: CheckRule = {
  id: 'clinical.episode-resolution',
  family: 'clinical',
  title: `a resolved encounter diagnosis abates after its onset, within ${MAX_EPISODE_DAYS} days`,
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'Condition') continue;
      const categories = r['category'];
      if (!Array.isArray(categories) || !categories.some((c) => hasCode(c, ENCOUNTER_DIAGNOSIS, CATEGORY))) continue;
      const status = codeIn(r['clinicalStatus'], CLINICAL_STATUS);
      if (status === undefined || !ENDED.has(status)) continue;
      const onsetText = r['onsetDateTime'];
      const abatementText = r['abatementDateTime'];
      if (typeof abatementText !== 'string') {
        emit(r, `encounter diagnosis is ${status} but has no abatementDateTime`);
        continue;
      }
      if (typeof onsetText !== 'string') continue;
      const onset = instantOf(onsetText);
      const abatement = instantOf(abatementText);
      if (onset === undefined || abatement === undefined) continue;
      if (abatement < onset) emit(r, `abatementDateTime ${abatementText} is before onsetDateTime ${onsetText}`);
      else if (abatement - onset > MAX_EPISODE_DAYS * MS_PER_DAY) {
        emit(r, `episode runs ${Math.round((abatement - onset) / MS_PER_DAY)} days (onset ${onsetText}, abatement ${abatementText}), more than ${MAX_EPISODE_DAYS}`);
      }
    }
  },
};
