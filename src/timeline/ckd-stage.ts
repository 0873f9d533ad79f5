/**
 * The CKD stage on the problem list, read once more over the whole chart: the clinical course
 * stages CKD by the eGFR it draws, but the specialists' visits and the ward mornings draw theirs
 * after it, and their latest value is the one a reader (and `check`'s `clinical.ckd-stage-egfr`)
 * holds the stage to.
 */
import { stageForEgfr } from '../knowledge/kidney.js';
import { egfrCodes, loadLabs } from '../knowledge/labs.js';
import type { RecordItems } from './fragment.js';

/** The items with each active CKD-stage Condition coded by the stage of the chart's latest eGFR. */
export function stageByLatestEgfr(items: RecordItems): RecordItems {
  const codes = loadLabs().kidney.stageCodes;
  const staged = new Set(Object.values(codes).map((c) => c.code));
  const egfr = egfrCodes();
  let latest: { time: number; value: number } | undefined;
  for (const r of items.labReports) {
    for (const x of r.results) if (egfr.has(x.code.code) && (latest === undefined || r.time >= latest.time)) latest = { time: r.time, value: x.value };
  }
  if (latest === undefined || !items.conditions.some((c) => staged.has(c.code.code) && c.abatement === undefined)) return items;
  const code = codes[String(stageForEgfr(latest.value)) as keyof typeof codes];
  return { ...items, conditions: items.conditions.map((c) => (staged.has(c.code.code) && c.abatement === undefined && c.recorded <= latest!.time ? { ...c, code } : c)) };
}
