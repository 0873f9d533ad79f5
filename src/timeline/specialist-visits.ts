/**
 * What a specialist measures at the visits the pathways book (pathways.ts): the clinic's vital signs
 * (the one measurement model, body.ts `measure`) and the labs the specialty draws
 * (pathways.yaml `visitCare`): the nephrologist's renal panel, blood count and PTH, the oncologist's
 * CBC with differential and CMP before each cycle. Values come from the patient's own physiology
 * (the same latent kidneys and blood count as the clinic's labs), moved by the chemotherapy given so
 * far. A pure function over the pathway's output; the caller merges what it returns.
 */
import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { Rng } from '../core/random.js';
import { egfrCodes, labKeyOfCode, loadLabs, type LabKey, type PanelKey } from '../knowledge/labs.js';
import { loadPathways, type SpecialistVisit, type VisitDraw, type VisitReport } from '../knowledge/pathways.js';
import type { AdministrativeSex, BloodPressure, Encounter, LabReport, LabResult, ProcedureEntry, VitalSign } from '../record/types.js';
import { measure, type Body } from './body.js';
import { chartReading } from './clinic-visits.js';
import type { StepFragment } from './fragment.js';
import type { IdAllocator } from './ids.js';
import { drawLabValue, labResult, shiftLabResult } from './lab-draw.js';

export interface SpecialistVisitInput {
  readonly encounters: readonly Encounter[];
  /** What each ambulatory pathway visit is for, by encounter id (pathways.ts `visits`). */
  readonly visits: ReadonlyMap<string, SpecialistVisit>;
  readonly procedures: readonly ProcedureEntry[];
  readonly body: Body;
  readonly birthTime: Instant;
  readonly sex: AdministrativeSex;
  /** The blood-pressure effect of the patient's antihypertensives. */
  readonly bpShift: Readonly<{ systolic: number; diastolic: number }>;
  /** A panel of the patient's own physiology at a time (clinical-course.ts `wardPanels`). */
  readonly panel: (panel: PanelKey, at: Instant) => LabResult[];
  readonly vitalsRng: Rng;
  readonly labRng: Rng;
  readonly ids: IdAllocator;
}

/** Minutes after the visit starts at which vitals are taken and blood drawn (before a chemotherapy infusion at 10). */
const MEASURED_AFTER_MINUTES = 5;

/**
 * The chemotherapy's shift on each count at `at`: per cycle given before it, held to the data's
 * maximum, fading linearly over the recovery months after the last cycle.
 */
export function cytopeniaShift(cyclesBefore: readonly Instant[], at: Instant): Partial<Record<LabKey, number>> {
  const c = loadPathways().visitCare.cytopenia;
  const given = cyclesBefore.filter((t) => t < at);
  if (given.length === 0) return {};
  const months = (at - given.at(-1)!) / (30 * MS_PER_DAY);
  // A visit within a cycle's interval is still on treatment: no recovery yet.
  const fade = months <= 1 ? 1 : Math.max(0, 1 - (months - 1) / c.recoveryMonths);
  const out: Partial<Record<LabKey, number>> = {};
  for (const [lab, per] of Object.entries(c.perCycle) as [LabKey, number][]) {
    const cap = c.max[lab] ?? -Infinity;
    out[lab] = Math.max(cap, per * given.length) * fade;
  }
  return out;
}

function drawn(d: VisitDraw, rng: Rng, visit: readonly LabResult[]): number {
  let value = drawLabValue(d, rng);
  if (d.perEgfrBelow !== undefined) {
    const codes = egfrCodes();
    const egfr = visit.find((r) => codes.has(r.code.code));
    if (egfr !== undefined) value = Math.min(d.max ?? Infinity, value + d.perEgfrBelow.by * Math.max(0, d.perEgfrBelow.egfr - egfr.value));
  }
  if (d.fractionOf !== undefined) {
    const of = loadLabs().labs[d.fractionOf].code.code;
    const base = visit.find((r) => r.code.code === of);
    return base === undefined ? NaN : value * base.value;
  }
  return value;
}

function visitLabs(reports: readonly VisitReport[], e: Encounter, at: Instant, shift: Partial<Record<LabKey, number>>, input: SpecialistVisitInput): LabReport[] {
  const labs = loadLabs();
  const out: LabReport[] = [];
  const seen: LabResult[] = [];
  for (const report of reports) {
    const results: LabResult[] = [];
    if (report.panel !== undefined) {
      for (const r of input.panel(report.panel, at)) {
        const key = labKeyOfCode(r.code.code);
        results.push(shiftLabResult(r, key, key === undefined ? undefined : shift[key], 0.1));
      }
    }
    for (const d of report.draws) {
      const value = drawn(d, input.labRng, [...seen, ...results]);
      if (!Number.isNaN(value)) results.push(labResult(d.lab, value, input.ids, { sex: input.sex }));
    }
    if (results.length === 0) continue;
    seen.push(...results);
    const code = report.code ?? labs.panels[report.panel!].code;
    out.push({ id: input.ids.next(), code, encounterId: e.id, practitionerId: e.practitionerId, time: at, results });
  }
  return out;
}

/** The vital signs and labs of the pathways' ambulatory visits. */
export function chartSpecialistVisits(input: SpecialistVisitInput): StepFragment<'specialistCare'> {
  const care = loadPathways();
  const chemo = care.cancers.modalities.chemotherapy.code;
  const vitals: VitalSign[] = [];
  const bloodPressures: BloodPressure[] = [];
  const labReports: LabReport[] = [];
  const byId = new Map(input.procedures.map((p) => [p.encounterId as string, p]));
  const sorted = [...input.encounters].sort((a, b) => a.start - b.start);
  for (const e of sorted) {
    const kind = input.visits.get(e.id);
    if (kind === undefined) continue;
    const at = e.start + MEASURED_AFTER_MINUTES * MS_PER_MINUTE;
    const age = (at - input.birthTime) / MS_PER_YEAR;
    const charted = chartReading(measure(input.body, age, input.vitalsRng, input.bpShift), e.id, at, input.ids);
    vitals.push(...charted.vitals);
    bloodPressures.push(...charted.bloodPressures);
    // The counts before this visit's cycle reflect the cycles of the same cancer given before it.
    const cycles = input.procedures.filter((p) => p.code.code === chemo && p.reasonConditionId === e.reasonConditionId).map((p) => p.start);
    const shift = byId.get(e.id)?.code.code === chemo || kind === 'oncology-follow-up' ? cytopeniaShift(cycles, at) : {};
    labReports.push(...visitLabs(care.visitCare.labs[kind], e, at, shift, input));
  }
  return { vitals, bloodPressures, labReports };
}
