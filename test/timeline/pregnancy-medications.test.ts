import { describe, expect, it } from 'vitest';
import { Rng, keyOf, toSeed } from '../../src/core/random.js';
import { MS_PER_DAY, type Instant } from '../../src/core/time.js';
import type { ConditionEntry, ConditionId, DeliveryEntry, Encounter, EncounterId, MedicationOrder, PractitionerId } from '../../src/record/types.js';
import { IdAllocator } from '../../src/timeline/ids.js';
import { pregnancyMedications, type PregnancyMedicationInputs } from '../../src/timeline/pregnancy-medications.js';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const day = (iso: string): Instant => Date.parse(`${iso}T15:00:00Z`);
const doc = 'doc' as PractitionerId;

function visit(id: string, iso: string): Encounter {
  const start = day(iso);
  return { id: id as EncounterId, class: 'AMB', type: { system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up' }, start, end: start + 30 * 60_000, practitionerId: doc, organizationId: 'org', locationId: 'loc', reason: undefined } as Encounter;
}

function condition(id: string, key: string, recorded: Instant, encounterId: string, abatement?: Instant): ConditionEntry {
  return {
    id: id as ConditionId,
    key,
    code: { system: 'http://snomed.info/sct', code: key, display: key },
    category: 'problem-list-item',
    onset: recorded - 40 * MS_PER_DAY,
    recorded,
    encounterId: encounterId as EncounterId,
    practitionerId: doc,
    clinicalStatus: abatement === undefined ? 'active' : 'resolved',
    abatement,
  };
}

function order(id: string, code: string, conditionId: string, authored: Instant, end?: Instant): MedicationOrder {
  return {
    id,
    medication: { system: RX, code, display: code },
    conditionId: conditionId as ConditionId,
    encounterId: 'e0' as EncounterId,
    practitionerId: doc,
    authored,
    status: end === undefined ? 'active' : 'stopped',
    end,
  };
}

/** A woman with hypertension (lisinopril 20 mg), hyperlipidemia (simvastatin) and type 2 diabetes (metformin), and one pregnancy. */
function inputs(opts: { delivered?: string; lost?: string; visits?: string[]; medications?: MedicationOrder[] } = {}): PregnancyMedicationInputs {
  const first = visit('prenatal-1', '2020-03-02');
  const delivered = opts.delivered === undefined ? undefined : day(opts.delivered);
  const deliveries = delivered === undefined ? [] : [{ time: delivered } as DeliveryEntry];
  const ended = delivered ?? (opts.lost === undefined ? undefined : day(opts.lost));
  return {
    medications: opts.medications ?? [
      order('lis', '314077', 'htn', day('2018-01-10')),
      order('simva', '312961', 'lipid', day('2018-01-10')),
      order('met', '860975', 'dm', day('2018-01-10')),
      order('aml', '197361', 'htn', day('2018-06-10')),
    ],
    conditions: [condition('htn', 'hypertension', day('2018-01-10'), 'e0'), condition('lipid', 'hyperlipidemia', day('2018-01-10'), 'e0'), condition('dm', 'type2-diabetes', day('2018-01-10'), 'e0')],
    pregnancy: { conditions: [condition('preg', 'pregnancy', first.start + 10 * 60_000, first.id, ended)], encounters: [first], deliveries },
    visits: (opts.visits ?? ['2019-06-01', '2020-10-20', '2020-12-01', '2021-06-01']).map((iso, i) => visit(`clinic-${i}`, iso)),
    end: day('2025-06-01'),
    died: false,
  };
}

const run = (i: PregnancyMedicationInputs): MedicationOrder[] => pregnancyMedications(i, new Rng(keyOf(toSeed(3), 'pm')), new IdAllocator(keyOf(toSeed(3), 'pm-ids')));
const byCode = (orders: readonly MedicationOrder[], code: string): MedicationOrder[] => orders.filter((o) => o.medication.code === code).sort((a, b) => a.authored - b.authored);

describe('medicines in pregnancy (timeline)', () => {
  it('stops an ACE inhibitor, a statin and metformin at the first prenatal visit, with labetalol and insulin in their place', () => {
    const out = run(inputs({ delivered: '2020-10-01' }));
    const first = day('2020-03-02');
    for (const code of ['314077', '312961', '860975']) {
      const [stopped] = byCode(out, code);
      expect(stopped).toMatchObject({ status: 'stopped', end: first });
      expect(stopped!.stopReason).toMatch(/^Stopped for pregnancy/);
    }
    const [labetalol] = byCode(out, '896758');
    const [insulin] = byCode(out, '106892');
    expect(labetalol).toMatchObject({ conditionId: 'htn', encounterId: 'prenatal-1' });
    expect(insulin).toMatchObject({ conditionId: 'dm', encounterId: 'prenatal-1' });
    // Written after the pregnancy is recorded at that visit (10 minutes in).
    for (const o of [labetalol!, insulin!]) expect(o.authored).toBeGreaterThan(first + 10 * 60_000);
    // Amlodipine is safe in pregnancy: untouched.
    expect(byCode(out, '197361')).toEqual([inputs().medications[3]]);
    // The statin stops without a replacement.
    expect(out.filter((o) => o.conditionId === 'lipid')).toHaveLength(2);
  });

  it('resumes the prior therapy at the first clinic visit 42 days after the birth, and stops the replacement there', () => {
    const out = run(inputs({ delivered: '2020-10-01' }));
    // 2020-10-20 is 19 days after the birth: too soon; 2020-12-01 is the visit.
    const resume = day('2020-12-01');
    for (const code of ['314077', '312961', '860975']) {
      const [, resumed] = byCode(out, code);
      expect(resumed).toMatchObject({ status: 'active', end: undefined, encounterId: 'clinic-2' });
      expect(resumed!.authored - resume).toBeGreaterThanOrEqual(0);
      expect(resumed!.authored - resume).toBeLessThan(30 * 60_000);
    }
    for (const code of ['896758', '106892']) expect(byCode(out, code)[0]).toMatchObject({ status: 'stopped', end: resume, stopReason: expect.stringMatching(/^Changed back/) });
  });

  it('after a loss resumes 14 days on; while still pregnant keeps the replacement running', () => {
    const lisinopril = [order('lis', '314076', 'htn', day('2018-01-10'))];
    // A loss on 2020-05-01: 2020-05-10 is 9 days on, too soon; 2020-05-30 resumes.
    const lost = run(inputs({ lost: '2020-05-01', visits: ['2020-05-10', '2020-05-30'], medications: lisinopril }));
    expect(byCode(lost, '314076').map((o) => o.encounterId)).toEqual(['e0', 'clinic-1']);
    expect(byCode(lost, '896758')[0]).toMatchObject({ status: 'stopped', end: day('2020-05-30') });
    const ongoing = run(inputs({ medications: lisinopril }));
    expect(byCode(ongoing, '314076')).toHaveLength(1);
    expect(byCode(ongoing, '896758')[0]).toMatchObject({ status: 'active', end: undefined });
  });

  it('does not order a contraindicated drug the course would have started during the pregnancy, nor a second insulin', () => {
    const out = run(
      inputs({
        delivered: '2020-10-01',
        medications: [order('met', '860975', 'dm', day('2018-01-10')), order('ins', '106892', 'dm', day('2019-01-10')), order('statin', '312961', 'lipid', day('2020-06-01'))],
      }),
    );
    // Insulin was already taken: it continues, with no replacement order beside it.
    expect(byCode(out, '106892').map((o) => o.id)).toEqual(['ins']);
    // The statin the course started mid-pregnancy is first ordered at the postpartum visit.
    expect(byCode(out, '312961').map((o) => o.encounterId)).toEqual(['clinic-2']);
  });

  it('keeps one replacement through a second pregnancy that begins before the resume visit of the first', () => {
    // Her first clinic visit after the birth falls in the second pregnancy (2021-12-20): nothing resumes there.
    const base = inputs({ delivered: '2020-10-01', visits: ['2021-12-20', '2022-03-01'], medications: [order('lis', '314077', 'htn', day('2018-01-10'))] });
    const second = visit('prenatal-2', '2021-11-15');
    const twice: PregnancyMedicationInputs = {
      ...base,
      pregnancy: {
        conditions: [...base.pregnancy.conditions!, condition('preg-2', 'pregnancy', second.start + 10 * 60_000, second.id, day('2022-01-20'))],
        encounters: [...base.pregnancy.encounters!, second],
        deliveries: base.pregnancy.deliveries!,
      },
    };
    const out = run(twice);
    // A loss on 2022-01-20: lisinopril resumes at the 2022-03-01 visit, labetalol runs from the first pregnancy to it.
    expect(byCode(out, '314077').map((o) => o.encounterId)).toEqual(['e0', 'clinic-1']);
    expect(byCode(out, '896758')).toEqual([expect.objectContaining({ encounterId: 'prenatal-1', end: day('2022-03-01') })]);
  });

  it('leaves a woman never pregnant, or on no ruled-out drug, exactly as planned', () => {
    const none = { ...inputs(), pregnancy: {} };
    expect(run(none)).toEqual(none.medications);
    const safe = inputs({ medications: [order('aml', '197361', 'htn', day('2018-06-10'))] });
    expect(run(safe)).toEqual(safe.medications);
  });
});

describe('the pregnancy antihypertensive: labetalol or extended-release nifedipine (ACOG PB 203)', () => {
  const agentOf = (seed: number, i: PregnancyMedicationInputs): string[] =>
    pregnancyMedications(i, new Rng(keyOf(toSeed(seed), 'pm')), new IdAllocator(keyOf(toSeed(seed), 'pm-ids')))
      .filter((o) => o.conditionId === 'htn' && (o.medication.code === '896758' || o.medication.code === '198034'))
      .map((o) => o.medication.code);

  it('gives either first-line agent, about 60/40, from the data shares', () => {
    const picks = Array.from({ length: 200 }, (_, s) => agentOf(s + 1, inputs({ delivered: '2020-10-01' })));
    for (const p of picks) expect(p).toHaveLength(1);
    const nifedipine = picks.filter((p) => p[0] === '198034').length / picks.length;
    expect(nifedipine).toBeGreaterThan(0.28);
    expect(nifedipine).toBeLessThan(0.52);
  });

  it('gives labetalol before extended-release nifedipine was marketed (1989)', () => {
    // Lisinopril (marketed 1987) running when a 1988 pregnancy is found.
    const early = inputs({ delivered: '1988-10-01', visits: ['1987-06-01', '1988-12-01'], medications: [order('lis', '314077', 'htn', day('1987-09-10'))] });
    const first = visit('prenatal-1', '1988-03-02');
    const shifted: PregnancyMedicationInputs = {
      ...early,
      pregnancy: { ...early.pregnancy, conditions: [condition('preg', 'pregnancy', first.start + 10 * 60_000, first.id, day('1988-10-01'))], encounters: [first] },
    };
    for (let s = 1; s <= 30; s++) expect(agentOf(s, shifted)).toEqual(['896758']);
  });
});
