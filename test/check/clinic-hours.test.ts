import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { clinicHours } from '../../src/check/clinic-hours.js';
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
