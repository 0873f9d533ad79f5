import { describe, expect, it } from 'vitest';
import { viewBundle } from '../../src/check/bundle-view.js';
import type { CheckedBundle, FhirResource } from '../../src/check/bundle-source.js';
import { episodeResolution } from '../../src/check/episodes.js';
import { allRules } from '../../src/check/rules.js';
import { condition, miniBundle, type Resource } from './builders.js';

const ENCOUNTER_DIAGNOSIS = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }];
const RESOLVED = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] };

/** An encounter diagnosis (acute episode) with the given times and status. */
function episode(pid: string, onset: string, abatement: string | undefined, status = RESOLVED): Resource {
  const c = condition(pid, '43878008', { onset, ...(abatement === undefined ? {} : { abatement }) });
  c['category'] = ENCOUNTER_DIAGNOSIS;
  c['clinicalStatus'] = status;
  return c;
}

function violations(extra: (pid: string) => Resource[]): string[] {
  const bundle = miniBundle({ birthDate: '1980-01-01' }, extra);
  const messages: string[] = [];
  episodeResolution.check(viewBundle('b.json', bundle as unknown as CheckedBundle), (r: FhirResource | undefined, m) => messages.push(`${r?.resourceType}: ${m}`));
  return messages;
}

describe('clinical.episode-resolution', () => {
  it('is registered with the other rules', () => {
    expect(allRules().map((r) => r.id)).toContain('clinical.episode-resolution');
  });

  it('passes resolved episodes that end within the window, active ones, and problem-list items', () => {
    expect(
      violations((pid) => [
        episode(pid, '2024-01-05T10:00:00Z', '2024-01-15T10:00:00Z'),
        episode(pid, '2025-05-25T10:00:00Z', undefined, { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] }),
        condition(pid, '59621000', { onset: '2001-01-01T00:00:00Z', status: 'resolved', abatement: '2020-01-01T00:00:00Z' }),
      ]),
    ).toEqual([]);
  });

  it('catches a resolved episode without abatement, one that abates before it starts, and one that runs for years', () => {
    expect(violations((pid) => [episode(pid, '2024-01-05T10:00:00Z', undefined)])).toEqual(['Condition: encounter diagnosis is resolved but has no abatementDateTime']);
    expect(violations((pid) => [episode(pid, '2024-01-05T10:00:00Z', '2024-01-01T10:00:00Z')])[0]).toMatch(/before onsetDateTime/);
    expect(violations((pid) => [episode(pid, '2019-01-05T10:00:00Z', '2024-01-01T10:00:00Z')])[0]).toMatch(/runs 1822 days .* more than 365/);
  });
});
