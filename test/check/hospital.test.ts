import { beforeAll, describe, expect, it } from 'vitest';
import { auditCohort, type CheckReport } from '../../src/check/audit.js';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { allRules } from '../../src/check/rules.js';
import { tempDir } from '../support/cli.js';
import { miniBundle, nextId, observation, urn, writeCohort, type Bundle, type Resource } from './builders.js';

const DEATH = '2024-03-05T14:00:00Z';

function stay(pid: string, end: string, disposition: string | undefined): Resource {
  return {
    resourceType: 'Encounter',
    id: nextId(),
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    subject: { reference: urn(pid) },
    period: { start: '2024-03-01T10:00:00Z', end },
    ...(disposition === undefined
      ? {}
      : { hospitalization: { dischargeDisposition: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: disposition }] } } }),
  };
}

const cause = (pid: string, codes: string[] = ['22298006']): Resource => observation(pid, '69453-9', DEATH, { codes });

describe('hospital and death checks on deliberately broken bundles', () => {
  const out = tempDir('chartwright-check-hospital-');
  const expected = new Map<string, string>();
  let report: CheckReport;

  beforeAll(async () => {
    const cohort = new Map<string, Bundle>();
    const add = (name: string, rule: string | undefined, b: Bundle): void => {
      cohort.set(name, b);
      if (rule !== undefined) expected.set(name, rule);
    };
    const ADULT = '1950-01-01';
    add('valid-died-in-hospital', undefined, miniBundle({ birthDate: ADULT, deceased: DEATH }, (pid) => [stay(pid, DEATH, 'exp'), cause(pid)]));
    add('valid-discharged-home', undefined, miniBundle({ birthDate: ADULT }, (pid) => [stay(pid, '2024-03-04T10:00:00Z', 'home')]));
    add('valid-died-at-home', undefined, miniBundle({ birthDate: ADULT, deceased: DEATH }, (pid) => [cause(pid, ['84114007'])]));
    add('stay-without-disposition', 'clinical.inpatient-discharge', miniBundle({ birthDate: ADULT }, (pid) => [stay(pid, '2024-03-04T10:00:00Z', undefined)]));
    add('expired-but-living', 'clinical.inpatient-discharge', miniBundle({ birthDate: ADULT }, (pid) => [stay(pid, '2024-03-04T10:00:00Z', 'exp')]));
    add('expired-not-at-death', 'clinical.inpatient-discharge', miniBundle({ birthDate: ADULT, deceased: DEATH }, (pid) => [stay(pid, '2024-03-04T10:00:00Z', 'exp'), cause(pid)]));
    add('deceased-without-cause', 'clinical.cause-of-death', miniBundle({ birthDate: ADULT, deceased: DEATH }));
    add('cause-without-value', 'clinical.cause-of-death', miniBundle({ birthDate: ADULT, deceased: DEATH }, (pid) => [cause(pid, [])]));
    add('living-with-cause', 'clinical.cause-of-death', miniBundle({ birthDate: ADULT }, (pid) => [cause(pid)]));
    writeCohort(out, cohort);
    report = await auditCohort(out, { examplesPerRule: 1000 });
  });

  const flaggedBy = (rule: string): Set<string> =>
    new Set(report.checks.find((c) => c.id === rule)!.examples.map((e) => e.file.replace(/\.json$/, '')));

  it('catches each breakage with its own rule', () => {
    for (const [name, rule] of expected) expect(flaggedBy(rule).has(name), `${rule} should flag ${name}`).toBe(true);
  });

  it('flags nothing else: valid stays and deaths pass, and each rule keeps to its own breakages', () => {
    for (const rule of ['clinical.inpatient-discharge', 'clinical.cause-of-death']) {
      const mine = [...expected].filter(([, r]) => r === rule).map(([n]) => n).sort();
      expect([...flaggedBy(rule)].sort()).toEqual(mine);
    }
  });
});

describe('clinical.visit-during-stay', () => {
  const rule = allRules().find((r) => r.id === 'clinical.visit-during-stay')!;
  const enc = (pid: string, cls: string, start: string, end: string): Resource => ({
    resourceType: 'Encounter',
    id: nextId(),
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: cls },
    subject: { reference: urn(pid) },
    period: { start, end },
  });
  const found = (b: Bundle): string[] => {
    const out: string[] = [];
    rule.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
    return out;
  };
  it('flags a specialist visit in the middle of an admission, not one the day after discharge', () => {
    const inside = miniBundle({ birthDate: '1950-01-01' }, (pid) => [
      enc(pid, 'IMP', '2024-03-01T12:00:00Z', '2024-03-05T10:00:00Z'),
      enc(pid, 'AMB', '2024-03-03T14:00:00Z', '2024-03-03T14:30:00Z'),
    ]);
    expect(found(inside)).toEqual([expect.stringContaining('inside the inpatient stay')]);
    const after = miniBundle({ birthDate: '1950-01-01' }, (pid) => [
      enc(pid, 'IMP', '2024-03-01T12:00:00Z', '2024-03-05T10:00:00Z'),
      enc(pid, 'AMB', '2024-03-06T14:00:00Z', '2024-03-06T14:30:00Z'),
    ]);
    expect(found(after)).toEqual([]);
  });
});
