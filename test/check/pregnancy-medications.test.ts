import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { pregnancyContraindicatedDrug } from '../../src/check/pregnancy-medications.js';
import { allRules } from '../../src/check/rules.js';
import { medicationRequestResource } from '../../src/fhir/medication-request.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { loadPregnancy } from '../../src/knowledge/pregnancy.js';
import { loadPregnancyMedications } from '../../src/knowledge/pregnancy-medications.js';
import type { ConditionId, EncounterId, PractitionerId } from '../../src/record/types.js';
import { condition, miniBundle, nextId, urn, type Bundle, type Resource } from './builders.js';

const meta = new MetaFactory('0123456789abcdef');
const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const rule = pregnancyContraindicatedDrug(loadPregnancyMedications(), loadPregnancy().codes.pregnancy, 70);
const woman = { birthDate: '1990-04-01', gender: 'female' };

function violations(b: Bundle): string[] {
  const out: string[] = [];
  rule.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, message) => out.push(message));
  return out;
}

/** A MedicationRequest as the exporter writes it. */
function order(pid: string, reasonId: string, code: string, authored: string, end?: string): Resource {
  const r = medicationRequestResource(
    {
      id: nextId(),
      medication: { system: RX, code, display: code },
      conditionId: reasonId as ConditionId,
      encounterId: nextId() as EncounterId,
      practitionerId: nextId() as PractitionerId,
      authored: Date.parse(authored),
      status: end === undefined ? 'active' : 'stopped',
      end: end === undefined ? undefined : Date.parse(end),
    },
    pid,
    meta,
  );
  return { ...(r as unknown as Resource), subject: { reference: urn(pid) } };
}

/** A pregnancy recorded at its first prenatal visit (`recorded`), begun at `onset`. */
function pregnancy(pid: string, onset: string, recorded: string, abatement?: string): Resource {
  const c = condition(pid, '72892002', abatement === undefined ? { onset } : { onset, status: 'resolved', abatement });
  return { ...c, recordedDate: recorded };
}

describe('clinical.pregnancy-contraindicated-drug', () => {
  it('is registered with the other rules', () => {
    expect(allRules().map((r) => r.id)).toContain('clinical.pregnancy-contraindicated-drug');
  });

  it('fails a hand-built record with lisinopril running through a pregnancy', () => {
    const b = miniBundle(woman, (pid) => {
      const htn = condition(pid, '59621000', { onset: '2016-01-01T10:00:00Z' });
      return [htn, order(pid, htn.id, '314077', '2016-01-01T10:00:00Z'), pregnancy(pid, '2018-02-01T00:00:00Z', '2018-03-20T15:10:00Z', '2018-10-20T08:00:00Z')];
    });
    expect(violations(b)).toEqual([expect.stringMatching(/^lisinopril \(ACE inhibitor\) active during Condition\/\S+, known from 2018-03-20$/)]);
  });

  it('fails a statin or SGLT2 inhibitor started during a pregnancy, and warfarin through a carried past one', () => {
    const started = miniBundle(woman, (pid) => {
      const c = condition(pid, '55822004');
      return [c, pregnancy(pid, '2018-02-01T00:00:00Z', '2018-03-20T15:10:00Z', '2018-10-20T08:00:00Z'), order(pid, c.id, '859751', '2018-06-01T10:00:00Z'), order(pid, c.id, '1373463', '2018-06-01T10:00:00Z', '2018-07-01T10:00:00Z')];
    });
    expect(violations(started)).toEqual([expect.stringMatching(/^rosuvastatin \(statin\)/), expect.stringMatching(/^canagliflozin \(SGLT2 inhibitor\)/)]);
    // Carried onto a chart opened in 2020: known from its onset plus the latest first visit (70 days).
    const carried = miniBundle(woman, (pid) => {
      const c = condition(pid, '49436004');
      return [c, pregnancy(pid, '2018-02-01T00:00:00Z', '2020-05-01T15:10:00Z', '2018-10-20T08:00:00Z'), order(pid, c.id, '855332', '2017-01-01T10:00:00Z', '2018-05-01T10:00:00Z')];
    });
    expect(violations(carried)).toEqual([expect.stringMatching(/^warfarin \(vitamin K antagonist\) active during .*known from 2018-04-12$/)]);
  });

  it('passes the drug stopped at the first prenatal visit and resumed after the pregnancy, labetalol and metformin in it', () => {
    const b = miniBundle(woman, (pid) => {
      const htn = condition(pid, '59621000', { onset: '2016-01-01T10:00:00Z' });
      const dm = condition(pid, '44054006', { onset: '2016-01-01T10:00:00Z' });
      return [
        htn,
        dm,
        pregnancy(pid, '2018-02-01T00:00:00Z', '2018-03-20T15:10:00Z', '2018-10-20T08:00:00Z'),
        order(pid, htn.id, '314077', '2016-01-01T10:00:00Z', '2018-03-20T15:00:00Z'),
        order(pid, htn.id, '896758', '2018-03-20T15:12:00Z', '2018-12-10T15:00:00Z'),
        order(pid, dm.id, '860975', '2016-01-01T10:00:00Z'),
        order(pid, htn.id, '314077', '2018-12-10T15:05:00Z'),
      ];
    });
    expect(violations(b)).toEqual([]);
  });
});
