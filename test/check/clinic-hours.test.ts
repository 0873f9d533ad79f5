import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { clinicHours, oneBookedVisitPerDay } from '../../src/check/clinic-hours.js';
import { oneVisitPerDay, type Slot } from '../../src/timeline/slots.js';
import { Rng, keyOf, toSeed } from '../../src/core/random.js';
import { localClock } from '../../src/core/time.js';
import { clinicSlot } from '../../src/timeline/visits.js';
import { holidaysOf, loadHolidays } from '../../src/knowledge/holidays.js';
import { miniBundle, nextId, urn, type Bundle } from './builders.js';

function violations(b: Bundle): string[] {
  const out: string[] = [];
  clinicHours.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
  return out;
}

const visit = (code: string, start: string, cls = 'AMB', state = 'NY'): Bundle =>
  miniBundle({ birthDate: '1960-01-01', address: [{ state }] }, (pid) => [
    { resourceType: 'Encounter', id: nextId(), subject: { reference: urn(pid) }, class: { code: cls }, type: [{ coding: [{ system: 'http://snomed.info/sct', code }] }], period: { start, end: start } },
  ]);

describe('clinical.clinic-hours', () => {
  it('passes a Tuesday checkup at 15:30 UTC and an emergency visit on a Sunday night', () => {
    expect(violations(visit('162673000', '2024-06-04T15:30:00Z'))).toEqual([]);
    expect(violations(visit('50849002', '2024-06-02T03:10:00Z', 'EMER'))).toEqual([]);
  });

  it('reads the hours on the wall clock of the patient state: 9:00 in California is 16:00Z in summer and 17:00Z in winter', () => {
    expect(violations(visit('162673000', '2024-06-04T16:00:00Z', 'AMB', 'CA'))).toEqual([]);
    expect(violations(visit('162673000', '2024-12-03T17:00:00Z', 'AMB', 'CA'))).toEqual([]);
    // 13:30Z is 9:30 in New York but 6:30 in California.
    expect(violations(visit('162673000', '2024-06-04T13:30:00Z', 'AMB', 'NY'))).toEqual([]);
    expect(violations(visit('162673000', '2024-06-04T13:30:00Z', 'AMB', 'CA'))[0]).toMatch(/at 06:30 America\/Los_Angeles .*outside clinic hours/);
    // Friday 23:30 in California is Saturday in UTC: still a Friday visit on its own clock, but after hours.
    expect(violations(visit('162673000', '2024-06-08T06:30:00Z', 'AMB', 'CA'))).toEqual([expect.stringMatching(/at 23:30 .*outside clinic hours/)]);
  });

  it('never books a visit across UTC midnight (dates are UTC dates), in Pacific or Hawaiian afternoons either', () => {
    const rng = new Rng(keyOf(toSeed(2), 'midnight'));
    for (const zone of ['America/Los_Angeles', 'Pacific/Honolulu', 'America/Anchorage']) {
      for (let n = 0; n < 400; n++) {
        const slot = clinicSlot(rng, Date.parse('2024-01-01T00:00:00Z') + n * 864e5, zone);
        expect(Math.floor(slot.start / 864e5), zone).toBe(Math.floor((slot.end + 30 * 60_000) / 864e5));
        const { minuteOfDay } = localClock(zone, slot.start);
        expect(minuteOfDay, zone).toBeGreaterThanOrEqual(8 * 60);
      }
    }
  });

  it('books a California slot between 8:00 and 16:45 Pacific, whatever the season', () => {
    const rng = new Rng(keyOf(toSeed(2), 'ca-slots'));
    const hours = new Set<number>();
    for (let n = 0; n < 400; n++) {
      const start = clinicSlot(rng, Date.parse('2024-01-01T00:00:00Z') + n * 864e5, 'America/Los_Angeles').start;
      const { minuteOfDay, dayNumber } = localClock('America/Los_Angeles', start);
      expect(minuteOfDay).toBeGreaterThanOrEqual(8 * 60);
      expect(minuteOfDay).toBeLessThanOrEqual(16 * 60 + 45);
      expect([1, 2, 3, 4, 5]).toContain(new Date(dayNumber * 864e5).getUTCDay());
      hours.add(new Date(start).getUTCHours());
    }
    // Summer (UTC-7) and winter (UTC-8) put 8:00 at 15Z and 16Z; 16:45 at 23Z and 00Z.
    expect([...hours].sort((a, b) => a - b)).toEqual([0, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
  });

  it('flags a checkup on Christmas Day and on the observed Independence Day (Monday 2021-07-05), not on Christmas Eve 2024', () => {
    expect(violations(visit('162673000', '2024-12-25T15:00:00Z'))).toEqual([expect.stringMatching(/on Christmas Day \(2024-12-25 10:00 America\/New_York\), a public holiday the clinic is closed/)]);
    expect(violations(visit('162673000', '2021-07-05T15:00:00Z'))).toEqual([expect.stringMatching(/on Independence Day \(observed\)/)]);
    expect(violations(visit('162673000', '2024-12-24T15:00:00Z'))).toEqual([]);
  });

  it('dates the holidays by 5 U.S.C. 6103 and its history, with observed days', () => {
    const days = (year: number): Record<string, string> =>
      Object.fromEntries([...holidaysOf(loadHolidays(), year)].map(([d, name]) => [new Date(d * 864e5).toISOString().slice(0, 10), name]));
    expect(days(2021)).toEqual({
      '2021-01-01': "New Year's Day",
      '2021-05-31': 'Memorial Day',
      '2021-07-05': 'Independence Day (observed)',
      '2021-09-06': 'Labor Day',
      '2021-11-25': 'Thanksgiving Day',
      '2021-12-24': 'Christmas Day (observed)',
      '2021-12-31': "New Year's Day (observed)", // 2022-01-01 was a Saturday
    });
    // Before the Uniform Monday Holiday Act Memorial Day was May 30 (a Sunday in 1965, observed Monday);
    // before 1942 Thanksgiving was the last Thursday (November 30 in 1939).
    expect(days(1965)['1965-05-31']).toBe('Memorial Day (observed)');
    expect(days(1939)['1939-11-30']).toBe('Thanksgiving Day');
    expect(days(1950)['1950-11-23']).toBe('Thanksgiving Day');
  });

  it('moves a visit booked for a holiday to the next working day: Thanksgiving 2024 to Friday, Christmas 2022 (observed Monday) to Tuesday', () => {
    const rng = new Rng(keyOf(toSeed(3), 'holidays'));
    const dayOf = (t: number): string => new Date(t).toISOString().slice(0, 10);
    expect(dayOf(clinicSlot(rng, Date.parse('2024-11-28T12:00:00Z'), 'UTC').start)).toBe('2024-11-29');
    expect(dayOf(clinicSlot(rng, Date.parse('2022-12-24T12:00:00Z'), 'UTC').start)).toBe('2022-12-27');
  });

  it('flags a follow-up on a Saturday and a checkup at 04:00 UTC', () => {
    expect(violations(visit('390906007', '2024-06-01T15:00:00Z'))[0]).toMatch(/on a Saturday \(2024-06-01 11:00 America\/New_York\), a day the clinic is closed/);
    expect(violations(visit('162673000', '2024-06-04T04:00:00Z'))[0]).toMatch(/outside clinic hours/);
  });

  it('books every clinic slot on a weekday, moving a weekend day to the Monday after', () => {
    const rng = new Rng(keyOf(toSeed(1), 'slots'));
    const saturday = Date.parse('2024-06-01T00:00:00Z');
    for (let n = 0; n < 400; n++) {
      const day = saturday + (n % 14) * 864e5;
      const d = new Date(clinicSlot(rng, day, 'UTC').start);
      expect([1, 2, 3, 4, 5]).toContain(d.getUTCDay());
      if (n % 7 <= 1) expect(d.toISOString().slice(0, 10)).toBe(new Date(saturday + (n % 14 < 7 ? 2 : 9) * 864e5).toISOString().slice(0, 10));
    }
  });
});

describe('clinical.one-booked-visit-per-day', () => {
  const day = (encounters: Array<{ code: string; start: string; org: string }>): string[] => {
    const b = miniBundle({ birthDate: '1990-01-01' }, (pid) =>
      encounters.map((e) => ({
        resourceType: 'Encounter',
        id: nextId(),
        subject: { reference: urn(pid) },
        class: { code: 'AMB' },
        type: [{ coding: [{ system: 'http://snomed.info/sct', code: e.code }] }],
        period: { start: e.start, end: e.start },
        serviceProvider: { reference: `Organization/${e.org}` },
      })),
    );
    const out: string[] = [];
    oneBookedVisitPerDay.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
    return out;
  };

  it('flags a prenatal visit booked at the clinic on the day of a checkup', () => {
    const out = day([
      { code: '162673000', start: '2021-03-29T15:00:00Z', org: 'clinic' },
      { code: '424619006', start: '2021-03-29T19:30:00Z', org: 'clinic' },
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/second booked visit at the same clinic on 2021-03-29/);
  });

  it('passes a specialist follow-up at the hospital, a walk-in sick visit, and visits on other days', () => {
    expect(
      day([
        { code: '162673000', start: '2021-03-29T15:00:00Z', org: 'clinic' },
        { code: '390906007', start: '2021-03-29T20:00:00Z', org: 'hospital' },
        { code: '185345009', start: '2021-03-29T21:00:00Z', org: 'clinic' },
        { code: '424619006', start: '2021-03-30T15:00:00Z', org: 'clinic' },
      ]),
    ).toEqual([]);
  });
});

describe('oneVisitPerDay', () => {
  const dose = { vaccine: { cvx: '03', display: 'MMR' }, doseNumber: 1 } as unknown as Slot['doses'][number];
  const slot = (kind: Slot['kind'], start: string, doses: Slot['doses'] = []): Slot => ({ start: Date.parse(start), end: Date.parse(start) + 9e5, age: 40, kind, doses });

  it('keeps the checkup of a day and gives a same-day immunization visit’s doses at the follow-up kept over it', () => {
    const out = oneVisitPerDay([
      slot('followUp', '2021-03-29T14:00:00Z'),
      slot('adultCheckup', '2021-03-29T16:00:00Z'),
      slot('immunization', '2021-04-05T14:00:00Z', [dose]),
      slot('followUp', '2021-04-05T18:00:00Z'),
      slot('followUp', '2021-04-06T18:00:00Z'),
    ]);
    expect(out.map((s) => s.kind)).toEqual(['adultCheckup', 'followUp', 'followUp']);
    expect(out[1]!.doses).toEqual([dose]);
    expect(new Date(out[1]!.start).toISOString()).toBe('2021-04-05T18:00:00.000Z');
  });
});
