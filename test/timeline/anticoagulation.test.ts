import { describe, expect, it } from 'vitest';
import { Rng, keyOf, toSeed } from '../../src/core/random.js';
import { MS_PER_DAY, localClock, type Instant } from '../../src/core/time.js';
import { loadAnticoagulation } from '../../src/knowledge/anticoagulation.js';
import { loadLabs } from '../../src/knowledge/labs.js';
import { loadWellness } from '../../src/knowledge/lifecycle.js';
import type { ConditionId, EncounterId, MedicationOrder, PractitionerId } from '../../src/record/types.js';
import { chartInrMonitoring, type InrInputs } from '../../src/timeline/anticoagulation.js';
import { assignPrimaryCare } from '../../src/timeline/clinic-visits.js';
import { IdAllocator } from '../../src/timeline/ids.js';
import { ProviderSetBuilder } from '../../src/timeline/provider-set.js';
import { ProviderDirectory, localSites } from '../../src/timeline/providers.js';

const day = (iso: string): Instant => Date.parse(`${iso}T15:00:00Z`);
const k = loadAnticoagulation();
const INR = loadLabs().labs.inr.code.code;

function warfarin(id: string, from: string, to?: string, code = '855332'): MedicationOrder {
  return {
    id,
    medication: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code, display: code },
    conditionId: 'af' as ConditionId,
    encounterId: 'e0' as EncounterId,
    practitionerId: 'pcp' as PractitionerId,
    authored: day(from),
    status: to === undefined ? 'active' : 'stopped',
    end: to === undefined ? undefined : day(to),
  };
}

function inputs(medications: MedicationOrder[], busyDay: (t: Instant) => boolean = () => false): InrInputs {
  const dir = new ProviderDirectory(keyOf(toSeed(5), 'inr-sites'), day('2025-06-01')).forState('CA');
  const care = assignPrimaryCare(Rng.of(toSeed(5), 'care'), localSites(dir, dir.clinics[0]!.location.postalCode));
  return {
    medications,
    rng: Rng.of(toSeed(5), 'inr'),
    ids: new IdAllocator(keyOf(toSeed(5), 'inr-ids')),
    birthTime: day('1945-03-01'),
    end: day('2025-06-01'),
    sex: 'male',
    clinic: care.clinic,
    practitionerAt: care.practitionerAt,
    providers: new ProviderSetBuilder(),
    zone: 'America/Los_Angeles',
    busyDay,
  };
}

describe('INR monitoring of warfarin (anticoagulation.yaml)', () => {
  it('checks the INR within days of the first order, weekly while the dose is found, then every 3-5 weeks until the order ends', () => {
    const out = chartInrMonitoring(inputs([warfarin('w', '2018-01-10', '2020-01-10')]));
    const visits = (out.encounters ?? []).sort((a, b) => a.start - b.start);
    const first = (visits[0]!.start - day('2018-01-10')) / MS_PER_DAY;
    expect(first).toBeGreaterThanOrEqual(k.firstCheckAfterDays[0] - 1);
    expect(first).toBeLessThanOrEqual(k.firstCheckAfterDays[1] + 8);
    const gaps = visits.slice(1).map((v, i) => (v.start - visits[i]!.start) / MS_PER_DAY);
    for (const g of gaps.slice(0, k.initiation.checks)) expect(g).toBeLessThan(k.initiation.everyDays + 8);
    for (const g of gaps.slice(k.initiation.checks)) {
      expect(g).toBeGreaterThanOrEqual(k.everyDays[0] - 1);
      expect(g).toBeLessThanOrEqual(k.everyDays[1] + 8);
    }
    // Two years at about four-weekly: some 25-30 checks, none after the order's end.
    expect(visits.length).toBeGreaterThan(20);
    expect(visits.length).toBeLessThan(36);
    expect(visits.at(-1)!.end).toBeLessThanOrEqual(day('2020-01-10'));
    for (const v of visits) {
      expect(v).toMatchObject({ class: 'AMB', labOnly: true, reasonConditionId: 'af', type: k.encounterType });
      const { minuteOfDay } = localClock('America/Los_Angeles', v.start);
      expect(Math.floor(minuteOfDay / 60)).toBeGreaterThanOrEqual(loadWellness().clinicHoursLocal.first);
    }
  });

  it('reports one INR per visit, about two thirds of maintenance values in 2.0-3.0 (warfarin time in therapeutic range)', () => {
    const out = chartInrMonitoring(inputs([warfarin('w', '2010-01-10')]));
    const reports = (out.labReports ?? []).sort((a, b) => a.time - b.time);
    expect(reports.length).toBe((out.encounters ?? []).length);
    for (const r of reports) expect(r.results.map((x) => x.code.code)).toEqual([INR]);
    const maintenance = reports.slice(k.initiation.checks + 1).map((r) => r.results[0]!.value);
    const inRange = maintenance.filter((v) => v >= 2 && v <= 3).length / maintenance.length;
    expect(maintenance.length).toBeGreaterThan(100);
    expect(inRange).toBeGreaterThan(0.5);
    expect(inRange).toBeLessThan(0.8);
  });

  it('books no check on a busy day, none for other drugs, and none before INR reporting (1992)', () => {
    const busy = (t: Instant): boolean => Math.floor(t / MS_PER_DAY) % 2 === 0;
    const out = chartInrMonitoring(inputs([warfarin('w', '2019-01-10', '2019-12-10')], busy));
    for (const v of out.encounters ?? []) expect(busy(v.start)).toBe(false);
    expect(chartInrMonitoring(inputs([warfarin('a', '2019-01-10', undefined, '1364445')])).encounters ?? []).toEqual([]);
    expect(chartInrMonitoring(inputs([warfarin('old', '1985-01-10', '1991-01-10')])).encounters ?? []).toEqual([]);
  });
});
