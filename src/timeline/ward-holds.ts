/**
 * Home drugs held on the ward: the ward charts (`ward.ts`) draw their panels after the clinical
 * course is closed, so a value the course never saw (an eGFR of 28 on the morning after a pneumonia
 * admission) could not stop the drug it rules out. This step reads those draws: an order running when
 * a ward value falls below its contraindication (contraindications.yaml: metformin below eGFR 30) is
 * stopped at that draw with the rule's reason, and when the stay's last value of that lab is back at
 * or above the limit the drug is ordered again at discharge, to the order's own end, as the team
 * restarts a held home drug once renal function is stable (sources in the data). A pure
 * function of the orders and the ward's lab reports; new orders take ids from the step's own allocator.
 */
import { loadContraindications, type Contraindications } from '../knowledge/contraindications.js';
import { egfrCodes, labKeyOfCode } from '../knowledge/labs.js';
import type { Instant } from '../core/time.js';
import type { Encounter, LabReport, MedicationOrder } from '../record/types.js';
import type { IdAllocator } from './ids.js';

/** The value of a rule's lab in one report, if the report carries it. */
function valueOf(report: LabReport, lab: string): number | undefined {
  const egfr = egfrCodes();
  const r = report.results.find((x) => labKeyOfCode(x.code.code) === lab || (lab === 'egfr' && egfr.has(x.code.code)));
  return r?.value;
}

/**
 * The orders with each ward hold applied: stopped at the first ward draw below the limit, and
 * resumed at discharge (a new order in the stay, the original's remaining course) when the stay's
 * last draw of that lab is at or above it; otherwise the stop stands.
 */
export function holdForWardLabs(
  medications: readonly MedicationOrder[],
  stays: readonly Encounter[],
  labReports: readonly LabReport[],
  ids: IdAllocator,
  k: Contraindications = loadContraindications(),
): MedicationOrder[] {
  let orders = [...medications];
  for (const stay of [...stays].sort((a, b) => a.start - b.start)) {
    const draws = labReports.filter((r) => r.encounterId === stay.id).sort((a, b) => a.time - b.time);
    if (draws.length === 0) continue;
    const next: MedicationOrder[] = [];
    const resumed: MedicationOrder[] = [];
    for (const o of orders) {
      const rule = k.rules.find((c) => c.drug === o.medication.code);
      const running = (t: Instant): boolean => o.authored < t && (o.end ?? Infinity) > t;
      const low = rule === undefined ? undefined : draws.find((d) => running(d.time) && (valueOf(d, rule.lab) ?? Infinity) < rule.below);
      if (rule === undefined || low === undefined) {
        next.push(o);
        continue;
      }
      next.push({ ...o, status: 'stopped', end: low.time, stopReason: rule.reason });
      const last = draws.filter((d) => valueOf(d, rule.lab) !== undefined).at(-1)!;
      if (valueOf(last, rule.lab)! >= rule.below && (o.end ?? Infinity) > stay.end) {
        resumed.push({ ...o, id: ids.next(), encounterId: stay.id, practitionerId: stay.practitionerId, authored: stay.end });
      }
    }
    orders = [...next, ...resumed];
  }
  return orders;
}
