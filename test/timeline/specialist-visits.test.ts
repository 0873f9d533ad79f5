/**
 * What a specialist measures at a pathway visit (pathways.yaml visitCare): the clinic's vitals at
 * every visit, the renal panel, CBC and PTH at nephrology, CBC with differential and CMP before a
 * chemotherapy cycle, nothing drawn at the weekly radiation visit; chemotherapy lowers the counts
 * per cycle given and they recover after the last.
 */
import { describe, expect, it } from 'vitest';
import { Rng, toSeed } from '../../src/core/random.js';
import { MS_PER_DAY, MS_PER_YEAR } from '../../src/core/time.js';
import { loadLabs } from '../../src/knowledge/labs.js';
import { loadPathways, type SpecialistVisit } from '../../src/knowledge/pathways.js';
import type { ConditionId, Encounter, LabResult, ProcedureEntry } from '../../src/record/types.js';
import { createBody } from '../../src/timeline/body.js';
import { IdAllocator } from '../../src/timeline/ids.js';
import { labResult } from '../../src/timeline/lab-draw.js';
import { chartSpecialistVisits, cytopeniaShift } from '../../src/timeline/specialist-visits.js';

const T0 = Date.UTC(2024, 0, 8, 15);
const BIRTH = T0 - 60 * MS_PER_YEAR;
const CANCER = 'cond-1' as ConditionId;

describe('cytopeniaShift', () => {
  const c = loadPathways().visitCare.cytopenia;
  it('is nothing before the first cycle, grows per cycle to its cap, and fades after the last', () => {
    expect(cytopeniaShift([], T0)).toEqual({});
    expect(cytopeniaShift([T0 + MS_PER_DAY], T0)).toEqual({});
    const cycles = [0, 21, 42].map((d) => T0 + d * MS_PER_DAY);
    expect(cytopeniaShift(cycles, T0 + 63 * MS_PER_DAY).wbc).toBeCloseTo(3 * c.perCycle.wbc!);
    const many = Array.from({ length: 12 }, (_, i) => T0 + i * 14 * MS_PER_DAY);
    expect(cytopeniaShift(many, T0 + 170 * MS_PER_DAY).wbc).toBeCloseTo(c.max.wbc!);
    const later = (months: number): number => cytopeniaShift(cycles, cycles[2]! + months * 30 * MS_PER_DAY).hemoglobin!;
    expect(later(2)).toBeGreaterThan(later(1));
    expect(later(1 + c.recoveryMonths)).toBeCloseTo(0);
  });
});

describe('chartSpecialistVisits', () => {
  const labs = loadLabs();
  const ids = new IdAllocator(Rng.of(toSeed(1), 'ids').key);
  const enc = (day: number): Encounter =>
    ({ id: `enc-${day}`, class: 'AMB', start: T0 + day * MS_PER_DAY, end: T0 + day * MS_PER_DAY + 40 * 60_000, practitionerId: 'dr', organizationId: 'org', locationId: 'loc', reasonConditionId: CANCER, type: { system: 's', code: 'c', display: 'd' } }) as unknown as Encounter;
  const encounters = [0, 21, 42, 49, 200].map(enc);
  const kinds: SpecialistVisit[] = ['nephrology', 'chemotherapy', 'chemotherapy', 'radiation', 'oncology-follow-up'];
  const chemo = loadPathways().cancers.modalities.chemotherapy;
  const procedures = [1, 2].map((k) => ({ id: `p${k}`, code: chemo, encounterId: encounters[k]!.id, practitionerId: 'dr', start: encounters[k]!.start + 10 * 60_000, end: encounters[k]!.end, reasonConditionId: CANCER })) as unknown as ProcedureEntry[];
  // A steady patient: every panel reads its labs.json midpoint, so what moves is the visit's doing.
  const steady = (panel: keyof typeof labs.panels): LabResult[] =>
    labs.panels[panel].members.map((m) => labResult(m, m === 'egfr' ? 18 : (labs.labs[m].low + labs.labs[m].high) / 2, ids, { sex: 'female' }));
  const out = chartSpecialistVisits({
    encounters,
    visits: new Map(encounters.map((e, i) => [e.id, kinds[i]!])),
    procedures,
    body: createBody(Rng.of(toSeed(3), 'body'), 'female', 1964),
    birthTime: BIRTH,
    sex: 'female',
    bpShift: { systolic: 0, diastolic: 0 },
    panel: (p) => steady(p),
    vitalsRng: Rng.of(toSeed(4), 'vitals'),
    labRng: Rng.of(toSeed(5), 'labs'),
    ids,
  });
  const reportsOf = (e: Encounter) => (out.labReports ?? []).filter((r) => r.encounterId === e.id);
  const value = (e: Encounter, code: string): number | undefined => reportsOf(e).flatMap((r) => r.results).find((r) => r.code.code === code)?.value;

  it('takes vitals and a blood pressure at every visit, the radiation visit included', () => {
    for (const e of encounters) {
      expect((out.vitals ?? []).filter((v) => v.encounterId === e.id).map((v) => v.kind)).toEqual(expect.arrayContaining(['bodyWeight', 'heartRate', 'respiratoryRate', 'bodyTemperature']));
      expect((out.bloodPressures ?? []).some((b) => b.encounterId === e.id)).toBe(true);
    }
    expect(reportsOf(encounters[3]!)).toEqual([]);
  });

  it("draws the nephrologist's renal function panel with phosphate, the CBC and a PTH raised by the low eGFR", () => {
    expect(reportsOf(encounters[0]!).map((r) => r.code.code)).toEqual(['24362-6', '58410-2', '2731-8']);
    expect(value(encounters[0]!, labs.labs.phosphorus.code.code)).toBeGreaterThan(2);
    expect(value(encounters[0]!, labs.labs.pth.code.code)).toBeGreaterThan(65);
  });

  it('draws a CBC with differential and a CMP before each cycle, counts lower after a cycle and recovering later', () => {
    const wbc = labs.labs.wbc.code.code;
    expect(reportsOf(encounters[1]!).map((r) => r.code.code)).toEqual(['57021-8', '24323-8']);
    const first = value(encounters[1]!, wbc)!;
    const second = value(encounters[2]!, wbc)!;
    const recovered = value(encounters[4]!, wbc)!;
    expect(second).toBeLessThan(first);
    expect(recovered).toBeGreaterThan(second);
    const anc = value(encounters[2]!, labs.labs.neutrophils.code.code)!;
    expect(anc).toBeLessThan(second);
    expect(value(encounters[1]!, labs.labs.alt.code.code)).toBeDefined();
  });
});
