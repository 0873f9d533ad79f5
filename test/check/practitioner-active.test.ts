import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { practitionerActive } from '../../src/check/practitioner-active.js';
import { miniBundle, nextId, urn, type Bundle, type Resource } from './builders.js';

function violations(b: Bundle): string[] {
  const out: string[] = [];
  practitionerActive.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
  return out;
}

function practitioner(code: string, start: string, end?: string): Resource {
  return {
    resourceType: 'Practitioner',
    id: nextId(),
    qualification: [{ code: { coding: [{ system: 'http://nucc.org/provider-taxonomy', code }] }, period: { start, ...(end === undefined ? {} : { end }) } }],
  };
}

function encounter(pid: string, doctor: Resource, start: string): Resource {
  return {
    resourceType: 'Encounter',
    id: nextId(),
    subject: { reference: urn(pid) },
    period: { start, end: start },
    participant: [{ individual: { reference: urn(doctor.id) } }],
  };
}

/** A bundle of one encounter with `doctor` on `date`, and a note the doctor signs for it. */
function seenOn(doctor: Resource, date: string): Bundle {
  return miniBundle({ birthDate: '1940-01-01' }, (pid) => {
    const e = encounter(pid, doctor, date);
    const note: Resource = { resourceType: 'DocumentReference', id: nextId(), date, author: [{ reference: urn(doctor.id) }], context: { encounter: [{ reference: urn(e.id) }] } };
    return [doctor, e, note];
  });
}

describe('clinical.practitioner-active', () => {
  it('passes a family physician seen inside their career', () => {
    expect(violations(seenOn(practitioner('207Q00000X', '1990-07-01', '2024-01-01'), '2010-03-01T14:00:00Z'))).toEqual([]);
  });

  it('flags a note signed after the author retired, and one before they started practice', () => {
    const retired = violations(seenOn(practitioner('207Q00000X', '1960-07-01', '1995-01-01'), '2010-03-01T14:00:00Z'));
    expect(retired).toHaveLength(2); // the encounter and its note
    expect(retired[0]).toMatch(/acts on 2010-03-01, after retiring on 1995-01-01/);
    const early = violations(seenOn(practitioner('207Q00000X', '2012-07-01T00:00:00Z'), '2010-03-01T14:00:00Z'));
    expect(early[0]).toMatch(/before starting practice on 2012-07-01/);
  });

  it('flags an emergency physician in 1975 and a hospitalist in 1990', () => {
    const ed = violations(seenOn(practitioner('207P00000X', '1970-07-01T00:00:00Z'), '1975-03-01T14:00:00Z'));
    expect(ed.some((m) => /acts as Emergency Medicine Physician on 1975-03-01, before the specialty existed \(from 1979-09-21/.test(m))).toBe(true);
    const hosp = violations(seenOn(practitioner('208M00000X', '1985-07-01T00:00:00Z'), '1990-03-01T14:00:00Z'));
    expect(hosp.some((m) => /Hospitalist Physician on 1990-03-01/.test(m))).toBe(true);
  });

  it('flags a practitioner without a career period', () => {
    const doctor: Resource = { resourceType: 'Practitioner', id: nextId(), qualification: [{ code: { coding: [] } }] };
    expect(violations(seenOn(doctor, '2010-03-01T14:00:00Z'))[0]).toMatch(/has no career period/);
  });
});
