import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { careChannels } from '../../src/check/care-channels.js';
import { channelShare, loadCareChannels } from '../../src/knowledge/care-channels.js';
import { miniBundle, nextId, urn, type Bundle, type Resource } from './builders.js';

function violations(b: Bundle): string[] {
  const out: string[] = [];
  careChannels.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
  return out;
}

const VIDEO = '448337001';
const PHONE = '185317003';

function virtualVisit(code: string, start: string, withVitals = false): Bundle {
  return miniBundle({ birthDate: '1950-01-01' }, (pid) => {
    const e: Resource = { resourceType: 'Encounter', id: nextId(), subject: { reference: urn(pid) }, class: { code: 'VR' }, type: [{ coding: [{ system: 'http://snomed.info/sct', code }], text: 'Telemedicine consultation with patient' }], period: { start, end: start } };
    const bp: Resource = { resourceType: 'Observation', id: nextId(), category: [{ coding: [{ code: 'vital-signs' }] }], encounter: { reference: urn(e.id) }, effectiveDateTime: start };
    return withVitals ? [e, bp] : [e];
  });
}

describe('clinical.care-channel', () => {
  it('passes a video visit in 2020 and a telephone visit in 2012', () => {
    expect(violations(virtualVisit(VIDEO, '2020-04-14T15:00:00Z'))).toEqual([]);
    expect(violations(virtualVisit(PHONE, '2012-04-10T15:00:00Z'))).toEqual([]);
  });

  it('flags a video visit in 1995, a virtual visit of no channel, and vitals taken over video', () => {
    expect(violations(virtualVisit(VIDEO, '1995-04-14T15:00:00Z'))[0]).toMatch(/video visit on 1995-04-14, before video visits began \(2014-01-01\)/);
    expect(violations(virtualVisit('390906007', '2020-04-14T15:00:00Z'))[0]).toMatch(/not a telephone or video visit/);
    expect(violations(virtualVisit(VIDEO, '2020-04-14T15:00:00Z', true))[0]).toMatch(/vital sign recorded at a Telemedicine consultation with patient visit/);
  });

  it('holds no remote follow-ups before their era and surges them in 2020', () => {
    const [phone, video] = [loadCareChannels().find((c) => c.name === 'telephone')!, loadCareChannels().find((c) => c.name === 'video')!];
    expect(channelShare(video, Date.parse('2005-06-01'))).toBe(0);
    expect(channelShare(phone, Date.parse('2000-06-01'))).toBe(0);
    const y = (year: number): number => channelShare(phone, Date.parse(`${year}-06-01`)) + channelShare(video, Date.parse(`${year}-06-01`));
    expect(y(2020)).toBeGreaterThan(5 * y(2019));
    expect(y(2020)).toBeLessThanOrEqual(1);
  });
});
