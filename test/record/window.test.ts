import { describe, expect, it } from 'vitest';
import type { ConditionEntry, Encounter, Immunization, MedicationOrder, PatientRecord, ProcedureEntry } from '../../src/record/types.js';
import { windowRecord, windowStart, type RecordWindow } from '../../src/record/window.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { recordToResources } from '../../src/fhir/record-to-fhir.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { toSeed } from '../../src/core/random.js';
import type { IsoDate } from '../../src/core/time.js';

const at = (date: string): number => Date.parse(`${date}T12:00:00Z`);
const REF = Date.parse('2026-06-30T00:00:00Z');
const TEN: RecordWindow = { kind: 'years', years: 10 };
const RULES = { surgicalHistory: new Set(['80146002']) };
const coding = (code: string) => ({ system: 'http://snomed.info/sct', code, display: code });

function encounter(id: string, date: string, practitionerId = 'pr-old'): Encounter {
  const start = at(date);
  return { id, class: 'AMB', type: coding('185349003'), start, end: start + 1_800_000, practitionerId, organizationId: 'org', locationId: 'loc', reason: undefined };
}
function condition(id: string, encounterId: string, onset: string, abatement: string | undefined, category: ConditionEntry['category']): ConditionEntry {
  return {
    id, key: id, code: coding(id), category, onset: at(onset), recorded: at(onset), encounterId, practitionerId: 'pr-old',
    clinicalStatus: abatement === undefined ? 'active' : 'resolved', abatement: abatement === undefined ? undefined : at(abatement),
  };
}
function order(id: string, encounterId: string, conditionId: string, authored: string, end: string | undefined): MedicationOrder {
  return { id, medication: coding(id), conditionId, encounterId, practitionerId: 'pr-old', authored: at(authored), status: end === undefined ? 'active' : 'stopped', end: end === undefined ? undefined : at(end) };
}
function procedure(id: string, code: string, encounterId: string, date: string, reasonConditionId?: string): ProcedureEntry {
  return { id, code: coding(code), encounterId, practitionerId: 'pr-surgeon', start: at(date), end: at(date) + 3_600_000, reasonConditionId };
}
function dose(id: string, encounterId: string, date: string): Immunization {
  return { id, encounterId, time: at(date), vaccine: { system: 'http://hl7.org/fhir/sid/cvx', code: '08', display: 'Hep B' }, doseNumber: 1 };
}

/** A patient born 1970 whose chart runs from 1990 to 2025: visits old and new, and history of each kind. */
function record(overrides: Partial<PatientRecord> = {}): PatientRecord {
  const practitioner = (id: string) => ({ id, npi: id, givenNames: ['A'], familyName: id, sex: 'female' as const, specialty: coding('x'), organizationId: 'org' });
  return {
    id: 'p', index: 0, attempt: 0,
    demographics: { birthTime: at('1970-01-01'), birthDate: '1970-01-01' } as PatientRecord['demographics'],
    primaryCare: { practitionerId: 'pr-new', organizationId: 'org', locationId: 'loc' },
    encounters: [encounter('e-1990', '1990-03-01'), encounter('e-2010', '2010-05-01'), encounter('e-2015', '2015-12-01'), encounter('e-2018', '2018-02-01', 'pr-new'), encounter('e-2025', '2025-02-01', 'pr-new')],
    vitals: [{ id: 'v-old', kind: 'heartRate', encounterId: 'e-2010', time: at('2010-05-01'), value: 70 }, { id: 'v-new', kind: 'heartRate', encounterId: 'e-2018', time: at('2018-02-01'), value: 72 }],
    bloodPressures: [], smoking: [], allergies: [], labReports: [], carePlans: [], goals: [], pregnancyStatuses: [], prenatalExams: [], deliveries: [], screeningScores: [],
    immunizations: [dose('i-old', 'e-1990', '1990-03-01'), dose('i-new', 'e-2025', '2025-02-01')],
    conditions: [
      condition('htn', 'e-2010', '2010-05-01', undefined, 'problem-list-item'),
      condition('old-chronic', 'e-1990', '1990-03-01', '2000-01-01', 'problem-list-item'),
      condition('old-episode', 'e-2010', '2010-05-01', '2010-05-20', 'encounter-diagnosis'),
      condition('boundary-episode', 'e-2015', '2015-12-01', '2016-08-01', 'encounter-diagnosis'),
      condition('appendicitis', 'e-1990', '1990-03-01', '1990-03-05', 'encounter-diagnosis'),
    ],
    medications: [order('lisinopril', 'e-2010', 'htn', '2010-05-01', undefined), order('amoxicillin', 'e-2010', 'old-episode', '2010-05-01', '2010-05-11'), order('new-drug', 'e-2018', 'htn', '2018-02-01', undefined)],
    procedures: [procedure('appendectomy', '80146002', 'e-1990', '1990-03-02', 'appendicitis'), procedure('x-ray', '399208008', 'e-2010', '2010-05-01'), procedure('recent', '399208008', 'e-2018', '2018-02-01')],
    providers: { organizations: [{ id: 'org' } as never], locations: [{ id: 'loc', organizationId: 'org' } as never], practitioners: [practitioner('pr-old'), practitioner('pr-surgeon'), practitioner('pr-gone'), practitioner('pr-new')] },
    ...overrides,
  };
}

describe('windowStart', () => {
  it('counts years back on the calendar from the end, and gives nothing for the whole life', () => {
    expect(new Date(windowStart(TEN, REF)!).toISOString()).toBe('2016-06-30T00:00:00.000Z');
    expect(windowStart({ kind: 'all' }, REF)).toBeUndefined();
    expect(windowStart({ kind: 'since', since: at('2020-01-01') }, REF)).toBe(at('2020-01-01'));
  });
});

describe('windowRecord', () => {
  const w = windowRecord(record(), TEN, RULES, REF);
  const ids = <T extends { id: string }>(xs: readonly T[]) => xs.map((x) => x.id);

  it('keeps only encounters inside the window, with what was measured at them', () => {
    expect(ids(w.encounters)).toEqual(['e-2018', 'e-2025']);
    expect(ids(w.vitals)).toEqual(['v-new']);
  });

  it('carries the problem list into the first encounter: active and resolved chronic problems, episodes running at the start', () => {
    const byId = new Map(w.conditions.map((c) => [c.id, c]));
    expect([...byId.keys()].sort()).toEqual(['boundary-episode', 'htn', 'old-chronic']);
    for (const c of byId.values()) {
      expect(c).toMatchObject({ encounterId: 'e-2018', recorded: at('2018-02-01'), practitionerId: 'pr-new', carried: true });
    }
    // Onsets and abatements from before the window stay as they were.
    expect(byId.get('old-chronic')).toMatchObject({ onset: at('1990-03-01'), abatement: at('2000-01-01'), clinicalStatus: 'resolved' });
    expect(byId.get('boundary-episode')).toMatchObject({ onset: at('2015-12-01'), abatement: at('2016-08-01') });
  });

  it('keeps an order started before the window and still running, without its old encounter; finished ones go', () => {
    expect(ids(w.medications).sort()).toEqual(['lisinopril', 'new-drug']);
    const lisinopril = w.medications.find((m) => m.id === 'lisinopril')!;
    expect(lisinopril.encounterId).toBeUndefined();
    expect(lisinopril.authored).toBe(at('2010-05-01'));
  });

  it('carries past surgery with its date and no encounter, without an indication that left the chart; other old procedures go', () => {
    expect(ids(w.procedures).sort()).toEqual(['appendectomy', 'recent']);
    const appendectomy = w.procedures.find((p) => p.id === 'appendectomy')!;
    expect(appendectomy).toMatchObject({ encounterId: undefined, start: at('1990-03-02'), reasonConditionId: undefined, history: { recorded: at('2018-02-01'), practitionerId: 'pr-new' } });
  });

  it('carries doses given before the window as reported history, dated when given', () => {
    const old = w.immunizations.find((i) => i.id === 'i-old')!;
    expect(old).toMatchObject({ encounterId: undefined, time: at('1990-03-01'), history: { recorded: at('2018-02-01') } });
    expect(w.immunizations.find((i) => i.id === 'i-new')).toEqual(record().immunizations[1]);
  });

  it('keeps the providers the chart still points at, and only those', () => {
    // pr-old wrote the running lisinopril, pr-surgeon did the 2018 procedure; pr-gone saw no one in the window.
    expect(ids(w.providers.practitioners)).toEqual(['pr-old', 'pr-surgeon', 'pr-new']);
  });

  it('leaves a patient younger than the window, and --history-years all, untouched', () => {
    const young = record({ demographics: { birthTime: at('2018-01-01'), birthDate: '2018-01-01' } as PatientRecord['demographics'], encounters: record().encounters.slice(3) });
    expect(windowRecord(young, TEN, RULES, REF)).toBe(young);
    const whole = record();
    expect(windowRecord(whole, { kind: 'all' }, RULES, REF)).toBe(whole);
  });

  it('counts a deceased patient’s window back from death, not from the reference date', () => {
    const died = record({ death: { id: 'd', time: at('2019-01-01'), cause: coding('x'), encounterId: undefined, practitionerId: undefined } });
    // 2009-01-01 onwards: the 2010 and 2015 visits are in; only 1990 is history.
    expect(ids(windowRecord(died, TEN, RULES, REF).encounters)).toEqual(['e-2010', 'e-2015', 'e-2018', 'e-2025']);
  });

  it('widens a window that holds no encounter back to the latest visit', () => {
    const w2 = windowRecord(record({ encounters: record().encounters.slice(0, 3) }), { kind: 'since', since: at('2024-01-01') }, RULES, REF);
    expect(ids(w2.encounters)).toEqual(['e-2015']);
  });
});

describe('windowRecord on simulated patients', () => {
  it('leaves no reference to an encounter outside the window, and is deterministic', () => {
    const ctx = createCohortContext({ seed: toSeed(11), referenceDate: '2026-06-30' as IsoDate, age: { min: 40, max: 90 }, gender: undefined, state: undefined });
    const meta = new MetaFactory(ctx.runTag);
    let carried = 0;
    for (let i = 0; i < 6; i++) {
      for (const simulated of simulateIndex(ctx, i)) {
        const w = windowRecord(simulated, TEN, RULES, ctx.referenceTime);
        expect(windowRecord(simulated, TEN, RULES, ctx.referenceTime)).toEqual(w);
        const start = windowStart(TEN, simulated.death?.time ?? ctx.referenceTime)!;
        expect(w.encounters.every((e) => e.start >= start) || w.encounters.length === 1).toBe(true);
        const resources = recordToResources(w, meta);
        const names = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
        const json = JSON.stringify(resources);
        for (const m of json.matchAll(/"reference":"([A-Za-z]+\/[^"]+)"/g)) expect(names.has(m[1]!)).toBe(true);
        carried += w.immunizations.filter((x) => x.history !== undefined).length;
      }
    }
    expect(carried).toBeGreaterThan(0);
  });
});
