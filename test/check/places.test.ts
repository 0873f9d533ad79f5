import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { carePlaces } from '../../src/check/places.js';
import { loadRegions, regionOfZip } from '../../src/knowledge/area-codes.js';
import { keyOf, toSeed } from '../../src/core/random.js';
import { ProviderDirectory, localSites } from '../../src/timeline/providers.js';
import { miniBundle, nextId, urn, type Bundle, type Resource } from './builders.js';

function violations(b: Bundle): string[] {
  const out: string[] = [];
  carePlaces.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
  return out;
}

const YORBA_LINDA = '92886';
const SAN_FRANCISCO = '94110';

function seenAt(homeZip: string, homePhone: string, clinicZip: string, clinicPhone: string): Bundle {
  const b = miniBundle({ birthDate: '1960-01-01' }, (pid) => {
    const org: Resource = { resourceType: 'Organization', id: nextId(), name: 'Clinic', address: [{ postalCode: clinicZip, state: 'CA' }], telecom: [{ system: 'phone', value: clinicPhone }] };
    const enc: Resource = { resourceType: 'Encounter', id: nextId(), subject: { reference: urn(pid) }, serviceProvider: { reference: urn(org.id) }, period: { start: '2024-06-04T15:00:00Z' } };
    return [org, enc];
  });
  const patient = b.entry[0]!.resource;
  patient['address'] = [{ postalCode: homeZip, state: 'CA' }];
  patient['telecom'] = [{ system: 'phone', value: homePhone }];
  return b;
}

describe('regions and area codes', () => {
  it('puts Yorba Linda in the Anaheim (714/657) cluster and San Francisco in its own (415/628)', () => {
    expect(regionOfZip(YORBA_LINDA)?.city).toBe('Anaheim');
    expect(regionOfZip(YORBA_LINDA)?.areaCodes).toEqual(['714', '657']);
    expect(regionOfZip(SAN_FRANCISCO)?.areaCodes).toContain('415');
    expect(loadRegions().size).toBe(51);
  });

  it('gives a resident the clinics and hospitals of their own region, nearest first', () => {
    const dir = new ProviderDirectory(keyOf(toSeed(3), 'places-test'), Date.parse('2025-06-01T00:00:00Z')).forState('CA');
    const local = localSites(dir, YORBA_LINDA);
    expect(local.clinics.length).toBeGreaterThan(0);
    expect(local.hospitals.length).toBeGreaterThan(0);
    for (const s of [...local.clinics, ...local.hospitals]) {
      expect(regionOfZip(s.organization.address.postalCode)?.key).toBe('CA:Anaheim');
      expect(['714', '657']).toContain(s.organization.phone.slice(0, 3));
    }
  });
});

describe('clinical.care-near-home', () => {
  it('passes a Yorba Linda patient seen in Anaheim with local numbers', () => {
    expect(violations(seenAt(YORBA_LINDA, '714-555-0101', '92805', '657-555-0102'))).toEqual([]);
  });

  it('flags a Yorba Linda patient seen at a San Francisco clinic, and numbers of the wrong region', () => {
    const away = violations(seenAt(YORBA_LINDA, '714-555-0101', SAN_FRANCISCO, '415-555-0102'));
    expect(away).toHaveLength(1);
    expect(away[0]).toMatch(/San Francisco, CA region, away from home in the Anaheim, CA region/);
    const phones = violations(seenAt(YORBA_LINDA, '213-555-0101', '92805', '415-555-0102'));
    expect(phones).toHaveLength(2);
    expect(phones[0]).toMatch(/patient phone 213-555-0101 has area code 213, not one of Anaheim, CA \(714\/657\)/);
  });
});
