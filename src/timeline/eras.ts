/**
 * Records of their era: every dated act the timeline charted (vital sign, lab report and result,
 * procedure, vaccine) as a clinician of its date would have charted it. Each code is put through
 * the knowledge's availability table (`eraChoice`, the same path the prescribing steps take for
 * drugs): inside its period it stays; before it, the era's alternative replaces it (the calculated-LDL
 * lipid panel before direct LDL, PCV7 before PCV13) or, with none, the item is left out (no pulse
 * oximetry before 1987, no low-dose CT screening before 2013, no platelet count before automated
 * counters in 1956). A manual hemogram stands in for the automated CBC before 1956 (same values,
 * the era's codes); a fasting glucose for HbA1c before 1980 is valued when it is drawn (see
 * `ClinicalCourse.glycemia`), so one still coded as HbA1c here is left out.
 */
import { eraChoice, periodOf } from '../knowledge/availability.js';
import type { Coding, LabReport, VitalSign } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { VITAL_CODES } from '../record/vital-codes.js';
import type { RecordItems } from './fragment.js';

/** A vital sign is charted when every code it is written with existed at its time. */
function vitalOfItsEra(v: VitalSign): boolean {
  return VITAL_CODES[v.kind].every((c) => {
    const chosen = eraChoice({ system: SYSTEMS.loinc, ...c }, v.time);
    return chosen !== undefined && chosen.code === c.code;
  });
}

/** The report with its panel and results of their era; undefined when nothing of it was done then. */
function reportOfItsEra(r: LabReport): LabReport | undefined {
  const code = eraChoice(r.code, r.time);
  if (code === undefined) return undefined;
  const results = r.results.flatMap((x) => {
    const c = eraChoice(x.code, r.time);
    if (c === undefined) return [];
    // A different analyte stands in (fasting glucose for HbA1c): its value comes from a model when
    // the result is drawn, never from relabelling this one; one that reaches here was not modeled.
    if (c !== x.code && periodOf(x.code.system, x.code.code)?.substitute === 'value-model') return [];
    return [c === x.code ? x : { ...x, code: c }];
  });
  if (results.length === 0) return undefined;
  return code === r.code && results.length === r.results.length && results.every((x, i) => x === r.results[i]) ? r : { ...r, code, results };
}

function recoded<T extends object>(item: T, from: Coding, to: Coding | undefined, key: keyof T): T | undefined {
  if (to === undefined) return undefined;
  return to === from ? item : { ...item, [key]: to };
}

/** The items with every act of its era (see the module comment); other lists are returned as they are. */
export function ofTheirEra(items: RecordItems): RecordItems {
  return {
    ...items,
    vitals: items.vitals.filter(vitalOfItsEra),
    labReports: items.labReports.flatMap((r) => reportOfItsEra(r) ?? []),
    procedures: items.procedures.flatMap((p) => recoded(p, p.code, eraChoice(p.code, p.start), 'code') ?? []),
    immunizations: items.immunizations.flatMap((i) => recoded(i, i.vaccine, eraChoice(i.vaccine, i.time), 'vaccine') ?? []),
  };
}
