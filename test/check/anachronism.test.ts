import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { anachronism } from '../../src/check/anachronism.js';
import { availability, eraChoice, indexAvailability } from '../../src/knowledge/availability.js';
import { condition, medication, miniBundle, type Bundle, type Resource } from './builders.js';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const at = (date: string): number => Date.parse(`${date}T12:00:00Z`);
const rx = (code: string): { system: string; code: string; display: string } => ({ system: RXNORM, code, display: 'd' });

function violations(b: Bundle): string[] {
  const out: string[] = [];
  anachronism.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
  return out;
}

function apixaban(pid: string, reason: string, authoredOn: string): Resource {
  const m = medication(pid, reason, authoredOn);
  m['medicationCodeableConcept'] = { coding: [{ system: RXNORM, code: '1364445', display: 'apixaban 5 MG Oral Tablet' }] };
  return m;
}

describe('clinical.anachronism', () => {
  it('flags apixaban in 1985 and passes it in 2015', () => {
    const old = miniBundle({ birthDate: '1920-01-01' }, (pid) => {
      const af = condition(pid, '49436004', { onset: '1984-01-01T10:00:00Z' });
      return [af, apixaban(pid, af.id, '1985-03-01T10:00:00Z')];
    });
    expect(violations(old)).toHaveLength(1);
    expect(violations(old)[0]).toMatch(/apixaban 5 MG Oral Tablet used on 1985-03-01, outside its availability \(from 2012-12-28/);
    const recent = miniBundle({ birthDate: '1940-01-01' }, (pid) => {
      const af = condition(pid, '49436004', { onset: '2014-01-01T10:00:00Z' });
      return [af, apixaban(pid, af.id, '2015-03-01T10:00:00Z')];
    });
    expect(violations(recent)).toEqual([]);
  });
});

describe('eras as data', () => {
  it("gives each date its era's drug: warfarin before apixaban, metformin IR before ER, nothing before metformin", () => {
    expect(eraChoice(rx('1364445'), at('2020-01-01'))?.code).toBe('1364445');
    expect(eraChoice(rx('1364445'), at('2000-01-01'))?.code).toBe('855332');
    expect(eraChoice(rx('860975'), at('1997-01-01'))?.code).toBe('861007');
    expect(eraChoice(rx('860975'), at('1980-01-01'))).toBeUndefined();
    expect(eraChoice(rx('745679'), at('1926-01-01'))).toBeUndefined(); // no albuterol inhaler in 1926
  });

  it('loads only when every prescribable drug has a period, and refuses a dangling alternative', () => {
    expect(availability().size).toBeGreaterThan(35);
    const item = { system: 'rxnorm' as const, code: '1', display: 'x', from: '2000-01-01', source: 's', alternatives: ['2'] };
    expect(() => indexAvailability({ source: 's', items: [item] })).toThrow(/alternative 2 of 1 has no entry/);
    expect(() => indexAvailability({ source: 's', items: [{ ...item, alternatives: [] }, { ...item, alternatives: [] }] })).toThrow(/twice/);
  });
});
