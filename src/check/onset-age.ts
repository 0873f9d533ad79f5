/**
 * Onset-age floors: no chronic disease begins younger than the knowledge says it can (atrial
 * fibrillation at 7, osteoporosis at 15 and CKD 5 at 12 are what a made-up record looks like).
 */
import { loadPathways } from '../knowledge/pathways.js';
import { conditionModules } from '../knowledge/conditions.js';
import { loadLabs } from '../knowledge/labs.js';
import { once } from '../knowledge/load.js';
import { codingsOf, instantOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const SNOMED = 'http://snomed.info/sct';
const MS_PER_YEAR = 365.2425 * 86_400_000;

/** SNOMED code → the module it belongs to and its floor; CKD stage codes share the CKD module's floor. */
const floorsByCode = once((): ReadonlyMap<string, { key: string; age: number }> => {
  const out = new Map<string, { key: string; age: number }>();
  for (const m of conditionModules()) {
    if (m.code.system === SNOMED) out.set(m.code.code, { key: m.key, age: m.onsetAgeFloor.age });
  }
  const ckd = conditionModules().find((m) => m.key === 'chronic-kidney-disease');
  if (ckd !== undefined) {
    for (const c of [...Object.values(loadLabs().kidney.stageCodes), loadPathways().kidney.endStage]) out.set(c.code, { key: ckd.key, age: ckd.onsetAgeFloor.age });
  }
  return out;
});

function onsetOf(r: Record<string, unknown>): string | undefined {
  const t = r['onsetDateTime'] ?? (r['onsetPeriod'] as { start?: unknown } | undefined)?.start ?? r['recordedDate'];
  return typeof t === 'string' ? t : undefined;
}

export const onsetAgeFloor: CheckRule = {
  id: 'clinical.onset-age-floor',
  family: 'clinical',
  title: "a chronic Condition's onset is no younger than its module's onset-age floor (e.g. atrial fibrillation 20, osteoporosis 40, adult CKD 18)",
  check(view, emit) {
    const birth = view.birthDate === undefined ? undefined : instantOf(view.birthDate);
    if (birth === undefined) return;
    const floors = floorsByCode();
    for (const r of view.resources) {
      if (r.resourceType !== 'Condition') continue;
      const floor = codingsOf(r['code']).find((c) => c.system === SNOMED && c.code !== undefined && floors.has(c.code));
      if (floor === undefined) continue;
      const f = floors.get(floor.code!)!;
      const onset = onsetOf(r);
      const at = onset === undefined ? undefined : instantOf(onset);
      if (at === undefined) continue;
      // The birth date has no hour: a day's grace so that an onset on the floor birthday passes.
      const age = (at - birth + 86_400_000) / MS_PER_YEAR;
      if (age < f.age) emit(r, `${f.key} (${floor.code}) begins at age ${(Math.floor(age * 10) / 10).toFixed(1)}, younger than its floor of ${f.age}`);
    }
  },
};
