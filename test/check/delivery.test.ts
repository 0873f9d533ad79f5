import { beforeAll, describe, expect, it } from 'vitest';
import { auditCohort, type CheckReport } from '../../src/check/audit.js';
import { tempDir } from '../support/cli.js';
import { condition, miniBundle, nextId, observation, procedure, urn, writeCohort, type Bundle, type Resource } from './builders.js';

const RULE = 'clinical.delivery-outcome';
const AT = '2015-10-01T12:00:00Z';

interface Outcome {
  weeks?: number;
  grams?: number;
  apgar1?: number;
  apgar5?: number;
  sex?: string;
}

/** A delivery admission: pregnancy (onset at conception, 37 weeks before `AT`, so 39 weeks by dates), the delivery and its outcome Observations. */
function delivery(pid: string, outcome: Outcome, omit: readonly string[] = []): Resource[] {
  const encounter: Resource = { resourceType: 'Encounter', id: nextId(), status: 'finished', class: { code: 'IMP' }, subject: { reference: urn(pid) }, period: { start: '2015-10-01T04:00:00Z', end: '2015-10-03T04:00:00Z' } };
  const onEncounter = (r: Resource): Resource => ({ ...r, encounter: { reference: urn(encounter.id) } });
  const score = (loinc: string, value: number | undefined): Resource => {
    const o = onEncounter(observation(pid, loinc, AT, {}));
    return value === undefined ? o : { ...o, valueInteger: value };
  };
  const obs: [string, Resource][] = [
    ['76516-4', onEncounter(observation(pid, '76516-4', AT, { quantity: outcome.weeks ?? 39.14, unit: 'wk' }))],
    ['46098-0', onEncounter(observation(pid, '46098-0', AT, { codes: [outcome.sex ?? '248152002'] }))],
    ['8339-4', onEncounter(observation(pid, '8339-4', AT, { quantity: outcome.grams ?? 3380, unit: 'g' }))],
    ['9272-6', score('9272-6', 'apgar1' in outcome ? outcome.apgar1 : 8)],
    ['9274-2', score('9274-2', 'apgar5' in outcome ? outcome.apgar5 : 9)],
  ];
  return [
    condition(pid, '72892002', { onset: '2015-01-15T12:00:00Z', status: 'resolved', abatement: AT }),
    encounter,
    onEncounter(procedure(pid, '236973005', AT)),
    ...obs.filter(([code]) => !omit.includes(code)).map(([, r]) => r),
  ];
}

describe('clinical.delivery-outcome on deliberately broken bundles', () => {
  const out = tempDir('chartwright-check-delivery-');
  let report: CheckReport;
  const bundles = new Map<string, Bundle>();
  const woman = { birthDate: '1990-04-01', gender: 'female' };

  beforeAll(async () => {
    bundles.set('valid', miniBundle(woman, (pid) => delivery(pid, {})));
    bundles.set('valid-boy', miniBundle(woman, (pid) => delivery(pid, { weeks: 38.5, grams: 3000, sex: '248153007', apgar1: 5, apgar5: 8 })));
    // A delivery carried from before the record window: no admission, nothing to check.
    bundles.set('valid-carried', miniBundle(woman, (pid) => [procedure(pid, '11466000', '2001-03-01T00:00:00Z')]));
    bundles.set('no-apgars', miniBundle(woman, (pid) => delivery(pid, {}, ['9272-6', '9274-2'])));
    bundles.set('ga-50-weeks', miniBundle(woman, (pid) => delivery(pid, { weeks: 50 })));
    bundles.set('ga-disagrees-with-dates', miniBundle(woman, (pid) => delivery(pid, { weeks: 30, grams: 1400 })));
    bundles.set('term-baby-of-900-g', miniBundle(woman, (pid) => delivery(pid, { grams: 900 })));
    bundles.set('apgar-eleven', miniBundle(woman, (pid) => delivery(pid, { apgar5: 11 })));
    writeCohort(out, bundles);
    report = await auditCohort(out, { examplesPerRule: 100 });
  });

  it('catches each breakage, naming the resource, and passes the valid deliveries', () => {
    const check = report.checks.find((c) => c.id === RULE)!;
    expect(check.status).toBe('fail');
    const byFile = new Map<string, string[]>();
    for (const e of check.examples) byFile.set(e.file, [...(byFile.get(e.file) ?? []), `${e.resource} ${e.message}`]);
    expect([...byFile.keys()].sort()).toEqual(['apgar-eleven', 'ga-50-weeks', 'ga-disagrees-with-dates', 'no-apgars', 'term-baby-of-900-g'].map((n) => `${n}.json`));
    expect(byFile.get('no-apgars.json')).toEqual([expect.stringMatching(/^Procedure\/\S+ delivery without 1-minute Apgar score, 5-minute Apgar score on its admission$/)]);
    expect(byFile.get('ga-50-weeks.json')).toEqual([expect.stringMatching(/^Observation\/\S+ gestational age at birth 50 wk, outside 20-44$/)]);
    expect(byFile.get('ga-disagrees-with-dates.json')).toEqual([expect.stringMatching(/gestational age 30 wk, but the pregnancy's dates give 39\.0 wk$/)]);
    expect(byFile.get('term-baby-of-900-g.json')).toEqual([expect.stringMatching(/birth weight 900 g, implausible at 39\.14 weeks/)]);
    expect(byFile.get('apgar-eleven.json')).toEqual([expect.stringMatching(/Apgar score 11, not a whole number 0-10$/)]);
    expect(check.violations).toBe(5);
  });
});
