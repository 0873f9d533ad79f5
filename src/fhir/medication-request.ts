import type { Dosage, MedicationRequest, Quantity } from '@medplum/fhirtypes';
import { plainDisplay } from '../record/display.js';
import { dosingForOrder, fillFor, loadDosing, type DoseLine, type Dosing, type DrugDosing } from '../knowledge/dosing.js';
import { instantToDateTime, MS_PER_DAY } from '../core/time.js';
import type { MedicationOrder } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const CATEGORY = 'http://terminology.hl7.org/CodeSystem/medicationrequest-category';
const DOSE_RATE_TYPE = 'http://terminology.hl7.org/CodeSystem/dose-rate-type';
/** A prescription is valid for a year at most (state pharmacy law's usual limit for non-controlled drugs). */
const MAX_VALIDITY_DAYS = 365;

function ucum(value: number, unit: { code: string; display: string }): Quantity {
  return { value, unit: unit.display, system: SYSTEMS.ucum, code: unit.code };
}

function timingRepeat(d: DoseLine): NonNullable<NonNullable<Dosage['timing']>['repeat']> {
  const when = d.when.length === 0 ? {} : { when: [...d.when] };
  if (d.perDay !== undefined) return { frequency: d.perDay, period: 1, periodUnit: 'd', ...when };
  if (d.everyHours !== undefined) return { frequency: 1, period: d.everyHours, periodUnit: 'h', ...when };
  return { frequency: 1, period: d.everyMinutes!, periodUnit: 'min', ...when };
}

/** The structured dosage lines of one order: dose and unit, route, timing (with the course's bounds), PRN reason. */
function dosageLines(m: MedicationOrder, drug: DrugDosing, dosing: Dosing): Dosage[] {
  const start = instantToDateTime(m.authored);
  const bounds =
    m.courseDays !== undefined
      ? { boundsDuration: { value: m.courseDays, unit: 'days', system: SYSTEMS.ucum, code: 'd' } }
      : { boundsPeriod: m.end === undefined ? { start } : { start, end: instantToDateTime(m.end) } };
  const route = concept(dosing.routes[drug.route]!);
  const asNeeded: Pick<Dosage, 'asNeededBoolean' | 'asNeededCodeableConcept'> =
    drug.asNeeded === undefined
      ? { asNeededBoolean: false }
      : {
          asNeededCodeableConcept: {
            coding: drug.asNeeded.map((r) => ({ ...dosing.reasons[r]! })),
            text: drug.asNeeded.map((r) => plainDisplay(dosing.reasons[r]!.display).toLowerCase()).join(' or '),
          },
        };
  return drug.doses.map((d, i) => ({
    sequence: i + 1,
    ...(i === 0 ? { text: drug.sig, patientInstruction: drug.sig } : {}),
    timing: { repeat: { ...bounds, ...timingRepeat(d) } },
    ...asNeeded,
    route,
    doseAndRate: [
      {
        type: { coding: [{ system: DOSE_RATE_TYPE, code: 'ordered', display: 'Ordered' }] },
        doseQuantity: ucum(d.amount, dosing.units[d.unit]!),
      },
    ],
    ...(d.maxPer === undefined
      ? {}
      : {
          maxDosePerPeriod: {
            numerator: ucum(d.maxPer.amount, dosing.units[d.unit]!),
            denominator: { value: d.maxPer.hours, unit: 'h', system: SYSTEMS.ucum, code: 'h' },
          },
        }),
  }));
}

/** A ward order's one dosage line: its dose (a rate for an infusion), route and interval over the stay. */
function inpatientDosage(m: MedicationOrder, d: NonNullable<MedicationOrder['inpatient']>): Dosage[] {
  const start = instantToDateTime(m.authored);
  const boundsPeriod = m.end === undefined ? { start } : { start, end: instantToDateTime(m.end) };
  const quantity: Quantity = { value: d.value, unit: d.unit, system: SYSTEMS.ucum, code: d.unit };
  const repeat = d.everyHours === undefined ? { boundsPeriod } : { boundsPeriod, frequency: 1, period: d.everyHours, periodUnit: 'h' as const };
  return [
    {
      sequence: 1,
      text: d.text,
      timing: { repeat },
      asNeededBoolean: false,
      route: concept(d.route),
      doseAndRate: [
        d.everyHours === undefined
          ? { type: { coding: [{ system: DOSE_RATE_TYPE, code: 'ordered', display: 'Ordered' }] }, rateQuantity: quantity }
          : { type: { coding: [{ system: DOSE_RATE_TYPE, code: 'ordered', display: 'Ordered' }] }, doseQuantity: quantity },
      ],
    },
  ];
}

/**
 * A US Core MedicationRequest as a pharmacy would fill it: structured dosage from data/dosing.yaml
 * (dose, route, timing, PRN reason, the printed sig), the fill (quantity, refills, days' supply),
 * and a prescription validity of the fills it covers (at most a year), not the length of therapy:
 * that is the dosage's timing bounds. A drug with no dosing entry keeps only "take as directed"
 * (and `chartwright check` reports it). A ward order (`inpatient`) is categorised inpatient and
 * carries the order's own dose, route and interval, with no dispense.
 */
export function medicationRequestResource(m: MedicationOrder, patientId: string, meta: MetaFactory): MedicationRequest {
  const start = instantToDateTime(m.authored);
  const dosing = loadDosing();
  const listed = dosing.drugs[m.medication.code];
  // A child's liquid carries the dose worked from the weight at the visit.
  const drug = listed === undefined ? undefined : dosingForOrder(listed, m.weightDose);
  const base: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: m.id,
    meta: meta.forProfile(PROFILES.medicationRequest),
    status: m.status,
    ...(m.stopReason === undefined ? {} : { statusReason: { text: m.stopReason } }),
    intent: 'order',
    category: [{ coding: [m.inpatient === undefined ? { system: CATEGORY, code: 'outpatient', display: 'Outpatient' } : { system: CATEGORY, code: 'inpatient', display: 'Inpatient' }] }],
    reportedBoolean: false,
    medicationCodeableConcept: concept(m.medication),
    subject: ref(patientId),
    ...(m.encounterId === undefined ? {} : { encounter: ref(m.encounterId) }),
    authoredOn: start,
    requester: ref(m.practitionerId),
    reasonReference: [ref(m.conditionId)],
  };
  // A ward order is given by the nurses, not dispensed: its dosage from the order, no fill.
  if (m.inpatient !== undefined) return { ...base, dosageInstruction: inpatientDosage(m, m.inpatient) };
  if (drug === undefined) {
    return { ...base, dosageInstruction: [{ sequence: 1, text: 'Take as directed' }], dispenseRequest: { validityPeriod: { start } } };
  }
  const fill = fillFor(drug, m.courseDays, dosing);
  const validDays = Math.min(MAX_VALIDITY_DAYS, fill.supplyDays * (fill.refills + 1));
  const validEnd = Math.min(m.authored + validDays * MS_PER_DAY, m.end ?? Infinity);
  return {
    ...base,
    dosageInstruction: dosageLines(m, drug, dosing),
    dispenseRequest: {
      validityPeriod: { start, end: instantToDateTime(Math.max(validEnd, m.authored)) },
      numberOfRepeatsAllowed: fill.refills,
      quantity: ucum(fill.quantity, dosing.units[fill.unit]!),
      expectedSupplyDuration: { value: fill.supplyDays, unit: 'days', system: SYSTEMS.ucum, code: 'd' },
    },
  };
}
