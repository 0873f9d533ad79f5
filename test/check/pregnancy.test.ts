import { beforeAll, describe, expect, it } from 'vitest';
import { auditCohort, type CheckReport } from '../../src/check/audit.js';
import { tempDir } from '../support/cli.js';
import { condition, miniBundle, procedure, writeCohort, type Bundle, type Resource } from './builders.js';

const RULE = 'clinical.pregnancy-coherence';

function pregnancy(pid: string, onset: string, abatement?: string): Resource {
  return condition(pid, '72892002', abatement === undefined ? { onset } : { onset, status: 'resolved', abatement });
}

function delivery(pid: string, at: string, code = '236973005'): Resource {
  return procedure(pid, code, at);
}

describe('clinical.pregnancy-coherence on deliberately broken bundles', () => {
  const out = tempDir('chartwright-check-pregnancy-');
  let report: CheckReport;
  const bundles = new Map<string, Bundle>();

  beforeAll(async () => {
    const woman = { birthDate: '1990-04-01', gender: 'female' };
    bundles.set('valid-two-births', miniBundle(woman, (pid) => [
      pregnancy(pid, '2015-01-10T00:00:00Z', '2015-10-01T12:00:00Z'),
      delivery(pid, '2015-10-01T12:00:00Z'),
      pregnancy(pid, '2017-03-01T00:00:00Z', '2017-11-20T08:00:00Z'),
      delivery(pid, '2017-11-20T08:00:00Z', '11466000'),
      pregnancy(pid, '2025-02-01T00:00:00Z'),
    ]));
    bundles.set('delivery-without-pregnancy', miniBundle(woman, (pid) => [delivery(pid, '2016-05-01T10:00:00Z')]));
    bundles.set('delivery-after-pregnancy-ended', miniBundle(woman, (pid) => [
      pregnancy(pid, '2015-01-10T00:00:00Z', '2015-03-01T00:00:00Z'),
      delivery(pid, '2015-10-01T12:00:00Z', '11466000'),
    ]));
    bundles.set('pregnancy-at-eight', miniBundle(woman, (pid) => [pregnancy(pid, '1998-06-01T00:00:00Z', '1998-08-01T00:00:00Z')]));
    bundles.set('pregnancy-at-sixty', miniBundle({ birthDate: '1950-01-01', gender: 'female' }, (pid) => [pregnancy(pid, '2010-06-01T00:00:00Z', '2010-08-01T00:00:00Z')]));
    bundles.set('overlapping-pregnancies', miniBundle(woman, (pid) => [
      pregnancy(pid, '2015-01-10T00:00:00Z', '2015-10-01T12:00:00Z'),
      pregnancy(pid, '2015-06-01T00:00:00Z', '2016-02-01T00:00:00Z'),
    ]));
    writeCohort(out, bundles);
    report = await auditCohort(out, { examplesPerRule: 100 });
  });

  it('catches each breakage, naming the resource', () => {
    const check = report.checks.find((c) => c.id === RULE)!;
    expect(check.status).toBe('fail');
    const byFile = new Map<string, string[]>();
    for (const e of check.examples) byFile.set(e.file, [...(byFile.get(e.file) ?? []), `${e.resource} ${e.message}`]);
    expect([...byFile.keys()].sort()).toEqual(
      ['delivery-after-pregnancy-ended', 'delivery-without-pregnancy', 'overlapping-pregnancies', 'pregnancy-at-eight', 'pregnancy-at-sixty'].map((n) => `${n}.json`),
    );
    expect(byFile.get('delivery-without-pregnancy.json')![0]).toMatch(/^Procedure\/\S+ delivery outside any recorded pregnancy$/);
    expect(byFile.get('pregnancy-at-eight.json')![0]).toMatch(/^Condition\/\S+ pregnancy begins at age 8\.2, outside 12-50\.5$/);
    expect(byFile.get('overlapping-pregnancies.json')![0]).toMatch(/pregnancy begins before the previous one/);
    expect(check.violations).toBe(5);
  });
});
