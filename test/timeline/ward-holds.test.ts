import { describe, expect, it } from 'vitest';
import { keyOf, toSeed } from '../../src/core/random.js';
import { MS_PER_HOUR, type Instant } from '../../src/core/time.js';
import { loadLabs } from '../../src/knowledge/labs.js';
import type { ConditionId, Encounter, EncounterId, LabReport, MedicationOrder, PractitionerId } from '../../src/record/types.js';
import { IdAllocator } from '../../src/timeline/ids.js';
import { holdForWardLabs } from '../../src/timeline/ward-holds.js';

const day = (iso: string): Instant => Date.parse(`${iso}T10:00:00Z`);
const egfr = loadLabs().labs.egfr;
const stay: Encounter = {
  id: 'stay' as EncounterId,
  class: 'IMP',
  type: { system: 'http://snomed.info/sct', code: '183452005', display: 'Emergency hospital admission' },
  start: day('2017-01-21'),
  end: day('2017-01-26') + 4 * MS_PER_HOUR,
  practitionerId: 'hospitalist' as PractitionerId,
  organizationId: 'hosp',
  locationId: 'loc',
  reason: undefined,
} as Encounter;

const metformin = (end?: Instant): MedicationOrder => ({
  id: 'met',
  medication: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '860975', display: 'metformin' },
  conditionId: 'dm' as ConditionId,
  encounterId: 'clinic' as EncounterId,
  practitionerId: 'pcp' as PractitionerId,
  authored: day('2010-05-01'),
  status: end === undefined ? 'active' : 'stopped',
  end,
});

const draw = (iso: string, value: number): LabReport => ({
  id: `bmp-${iso}`,
  code: loadLabs().panels.bmp.code,
  encounterId: stay.id,
  practitionerId: stay.practitionerId,
  time: day(iso),
  results: [{ id: `egfr-${iso}`, code: egfr.code, value, unit: egfr.unit, low: 60, high: 200 }],
});

const ids = (): IdAllocator => new IdAllocator(keyOf(toSeed(1), 'holds'));

describe('home drugs held on the ward (contraindications.yaml)', () => {
  it('stops metformin at the ward eGFR below 30 and orders it again at discharge once the eGFR is back above 30', () => {
    const out = holdForWardLabs([metformin()], [stay], [draw('2017-01-22', 34), draw('2017-01-23', 28), draw('2017-01-25', 34)], ids());
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ id: 'met', status: 'stopped', end: day('2017-01-23'), stopReason: expect.stringMatching(/eGFR below 30/) });
    expect(out[1]).toMatchObject({ medication: { code: '860975' }, encounterId: 'stay', authored: stay.end, status: 'active', end: undefined });
  });

  it('keeps it stopped when the last ward eGFR is still below 30', () => {
    const out = holdForWardLabs([metformin()], [stay], [draw('2017-01-22', 31), draw('2017-01-24', 27)], ids());
    expect(out).toEqual([expect.objectContaining({ id: 'met', status: 'stopped', end: day('2017-01-24') })]);
  });

  it('resumes only the rest of an order that was to stop later anyway, and leaves an order stopped before the stay alone', () => {
    const later = day('2018-02-14');
    const resumed = holdForWardLabs([metformin(later)], [stay], [draw('2017-01-23', 28), draw('2017-01-25', 33)], ids());
    expect(resumed[1]).toMatchObject({ authored: stay.end, status: 'stopped', end: later });
    const before = metformin(day('2016-12-01'));
    expect(holdForWardLabs([before], [stay], [draw('2017-01-23', 20)], ids())).toEqual([before]);
  });

  it('leaves drugs no rule names, and values at the limit, untouched', () => {
    const lisinopril = { ...metformin(), id: 'lis', medication: { ...metformin().medication, code: '314077' } };
    expect(holdForWardLabs([lisinopril], [stay], [draw('2017-01-23', 12)], ids())).toEqual([lisinopril]);
    expect(holdForWardLabs([metformin()], [stay], [draw('2017-01-23', 30)], ids())).toEqual([metformin()]);
  });
});
