/**
 * INR monitoring of warfarin (data/anticoagulation.yaml, sources named there): every warfarin order
 * in the finished chart gets INR checks at the patient's clinic, the first a few days after it is
 * written, weekly while the dose is found, then every three to five weeks while it runs. Each check
 * is a short lab-only visit (no clinician note) with one INR result, log-normal around the target
 * (about two thirds in 2.0-3.0, as warfarin's time in therapeutic range is). Read off the final
 * orders with its own stream and ids, so the rest of the chart is unchanged.
 */
import { eraChoice } from '../knowledge/availability.js';
import { loadAnticoagulation, type Anticoagulation } from '../knowledge/anticoagulation.js';
import { loadLabs } from '../knowledge/labs.js';
import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { Rng } from '../core/random.js';
import type { AdministrativeSex, Encounter, EncounterId, LabReport, MedicationOrder, Practitioner } from '../record/types.js';
import type { StepFragment } from './fragment.js';
import type { IdAllocator } from './ids.js';
import { labResult } from './lab-draw.js';
import { freeSlot } from './pregnancy.js';
import type { ProviderSetBuilder } from './provider-set.js';
import type { Site } from './providers.js';
import { ambulatoryEncounter } from './site-encounter.js';

/** What the monitoring reads: the final orders, where and when the patient can be seen. */
export interface InrInputs {
  readonly medications: readonly MedicationOrder[];
  readonly rng: Rng;
  readonly ids: IdAllocator;
  readonly birthTime: Instant;
  /** End of the record (reference date or death). */
  readonly end: Instant;
  readonly sex: AdministrativeSex;
  readonly clinic: Site;
  readonly practitionerAt: (age: number) => Practitioner;
  readonly providers: ProviderSetBuilder;
  readonly zone: string;
  /** Whether the patient already has a booked visit or a hospital stay on the day of `t`. */
  readonly busyDay: (t: Instant) => boolean;
}

const logNormal = (rng: Rng, m: { median: number; logSd: number }): number => m.median * Math.exp(rng.normal(0, m.logSd));

/** The INR checks of every warfarin order of the record, with their results. */
export function chartInrMonitoring(inputs: InrInputs, k: Anticoagulation = loadAnticoagulation()): StepFragment<'inr'> {
  const encounters: Encounter[] = [];
  const labReports: LabReport[] = [];
  const inr = loadLabs().labs.inr;
  const taken = new Set<number>();
  const orders = inputs.medications.filter((o) => k.drugs.includes(o.medication.code)).sort((a, b) => a.authored - b.authored);
  orders.forEach((o, i) => {
    const rng = inputs.rng.fork('order', i);
    const until = Math.min(o.end ?? Infinity, inputs.end);
    // A continued order (one written to replace another of the same drug, or resumed) keeps the maintenance cadence.
    const continued = orders.some((p) => p !== o && p.authored < o.authored && (p.end ?? Infinity) >= o.authored - 7 * MS_PER_DAY);
    let checks = continued ? k.initiation.checks : 0;
    let day = o.authored + (continued ? rng.uniform(k.everyDays[0], k.everyDays[1]) : rng.uniform(k.firstCheckAfterDays[0], k.firstCheckAfterDays[1])) * MS_PER_DAY;
    while (day < until) {
      const slot = freeSlot({ rng, zone: inputs.zone, busyDay: inputs.busyDay }, day, taken);
      const span = { start: slot.start, end: slot.start + rng.int(k.visitMinutes[0], k.visitMinutes[1]) * MS_PER_MINUTE };
      if (span.end > until) break;
      // The INR as its era reports it (none before its general use).
      if (eraChoice(inr.code, span.start) !== undefined) {
        const practitioner = inputs.practitionerAt((span.start - inputs.birthTime) / MS_PER_YEAR);
        inputs.providers.add(inputs.clinic, practitioner);
        const encounterId = inputs.ids.next<EncounterId>();
        encounters.push({ ...ambulatoryEncounter(encounterId, k.encounterType, span, inputs.clinic, practitioner, o.conditionId), labOnly: true });
        const value = Math.min(k.bounds.max, Math.max(k.bounds.min, logNormal(rng, checks < k.initiation.checks ? k.initiation.inr : k.maintenance)));
        labReports.push({ id: inputs.ids.next(), code: inr.code, encounterId, practitionerId: practitioner.id, time: span.start + 5 * MS_PER_MINUTE, results: [labResult('inr', value, inputs.ids, { sex: inputs.sex })] });
      }
      day = span.start + (checks < k.initiation.checks ? k.initiation.everyDays : rng.uniform(k.everyDays[0], k.everyDays[1])) * MS_PER_DAY;
      checks++;
    }
  });
  return { encounters, labReports };
}
