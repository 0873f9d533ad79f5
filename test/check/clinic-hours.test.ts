import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { clinicHours, oneBookedVisitPerDay } from '../../src/check/clinic-hours.js';
import { oneVisitPerDay, type Slot } from '../../src/timeline/slots.js';
import { Rng, keyOf, toSeed } from '../../src/core/random.js';
import { clinicSlot } from '../../src/timeline/visits.js';
import { miniBundle, nextId, urn, type Bundle } from './builders.js';

function violations(b: Bundle): string[] {
  const out: string[] = [];
  clinicHours.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
  return out;
}

const visit = (code: string, start: string, cls = 'AMB'): Bundle =>
  miniBundle({ birthDate: '1960-01-01' }, (pid) => [
    { resourceType: 'Encounter', id: nextId(), subject: { reference: urn(pid) }, class: { code: cls }, type: [{ coding: [{ system: 'http://snomed.info/sct', code }] }], period: { start, end: start } },
  ]);

describe('clinical.clinic-hours', () => {
  it('passes a Tuesday checkup at 15:30 UTC and an emergency visit on a Sunday night', () => {
    expect(violations(visit('162673000', '2024-06-04T15:30:00Z'))).toEqual([]);
    expect(violations(visit('50849002', '2024-06-02T03:10:00Z', 'EMER'))).toEqual([]);
  });

  it('flags a follow-up on a Saturday and a checkup at 04:00 UTC', () => {
    expect(violations(visit('390906007', '2024-06-01T15:00:00Z'))[0]).toMatch(/on a Saturday \(2024-06-01\), a day the clinic is closed/);
    expect(violations(visit('162673000', '2024-06-04T04:00:00Z'))[0]).toMatch(/outside clinic hours/);
  });

  it('books every clinic slot on a weekday, moving a weekend day to the Monday after', () => {
    const rng = new Rng(keyOf(toSeed(1), 'slots'));
    const saturday = Date.parse('2024-06-01T00:00:00Z');
    for (let n = 0; n < 400; n++) {
      const day = saturday + (n % 14) * 864e5;
      const d = new Date(clinicSlot(rng, day).start);
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
