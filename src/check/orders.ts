/**
 * Orders as a pharmacist would check them: every prescription fully written (dose, route, timing,
 * sig, a fill), none for a drug the patient is known to be allergic to, none left running once the
 * chart's own lab value rules the drug out (metformin below eGFR 30).
 */
import type { Contraindications } from '../knowledge/contraindications.js';
import type { DrugAllergies } from '../knowledge/drug-allergies.js';
import type { FhirResource } from './bundle-source.js';
import { codeIn, codingsOf, instantOf, label } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const MS_PER_DAY = 86_400_000;
/** A prescription's validity may not exceed a year (and a day for leap years). */
const MAX_VALIDITY_DAYS = 366;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function hasQuantity(v: unknown): boolean {
  const q = obj(v);
  return q !== undefined && typeof q['value'] === 'number' && typeof q['code'] === 'string';
}

/** What is missing from one dosage line. */
function dosageGaps(d: Json, first: boolean): string[] {
  const gaps: string[] = [];
  if (first && (typeof d['text'] !== 'string' || d['text'].length === 0)) gaps.push('sig text');
  const repeat = obj(obj(d['timing'])?.['repeat']);
  // A continuous infusion is dosed as a rate over its bounds, with no repeat interval.
  const infusion = arr(d['doseAndRate']).some((x) => hasQuantity(obj(x)?.['rateQuantity']));
  if (repeat === undefined || (!infusion && (typeof repeat['period'] !== 'number' || typeof repeat['periodUnit'] !== 'string'))) gaps.push('timing');
  if (codingsOf(d['route']).length === 0) gaps.push('route');
  if (!infusion && !arr(d['doseAndRate']).some((x) => hasQuantity(obj(x)?.['doseQuantity']))) gaps.push('dose quantity');
  if (d['asNeededBoolean'] === undefined && d['asNeededCodeableConcept'] === undefined) gaps.push('as-needed flag');
  return gaps;
}

/** Every MedicationRequest carries a structured dosage and a fill. */
export const dosageComplete: CheckRule = {
  id: 'clinical.dosage-complete',
  family: 'clinical',
  title: 'every MedicationRequest has a sig, dose quantity (an infusion: a rate), route, timing and PRN flag per line, and, unless a ward order, a fill (quantity, refills, supply) valid at most a year',
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'MedicationRequest') continue;
      const lines = arr(r['dosageInstruction']).map(obj).filter((x): x is Json => x !== undefined);
      if (lines.length === 0) {
        emit(r, 'has no dosageInstruction');
        continue;
      }
      const gaps = [...new Set(lines.flatMap((d, i) => dosageGaps(d, i === 0)))];
      // A ward order is given on the ward, not dispensed: it has no fill to check.
      if (arr(r['category']).some((c) => codeIn(c, 'http://terminology.hl7.org/CodeSystem/medicationrequest-category') === 'inpatient')) {
        if (gaps.length > 0) emit(r, `dosage lacks ${gaps.join(', ')}`);
        continue;
      }
      const fill = obj(r['dispenseRequest']);
      if (fill === undefined || !hasQuantity(fill['quantity'])) gaps.push('dispense quantity');
      if (typeof fill?.['numberOfRepeatsAllowed'] !== 'number') gaps.push('refills');
      if (!hasQuantity(fill?.['expectedSupplyDuration'])) gaps.push('expected supply');
      if (gaps.length > 0) emit(r, `dosage lacks ${gaps.join(', ')}`);
      const validity = obj(fill?.['validityPeriod']);
      const start = typeof validity?.['start'] === 'string' ? instantOf(validity['start']) : undefined;
      const end = typeof validity?.['end'] === 'string' ? instantOf(validity['end']) : undefined;
      if (start !== undefined && end !== undefined && end - start > MAX_VALIDITY_DAYS * MS_PER_DAY) {
        emit(r, `prescription valid ${Math.round((end - start) / MS_PER_DAY)} days (more than a year): the course length belongs in the dosage timing`);
      }
    }
  },
};

/** The time an allergy was known from: its onset, else when it was recorded. */
function allergyFrom(a: FhirResource): number | undefined {
  const t = a['onsetDateTime'] ?? a['recordedDate'];
  return typeof t === 'string' ? instantOf(t) : undefined;
}

/** No drug is ordered that an active, known allergy rules out. */
export function allergyOrderConflict(data: DrugAllergies): CheckRule {
  return {
    id: 'clinical.allergy-order-conflict',
    family: 'clinical',
    title: 'no MedicationRequest for a drug the patient had an active allergy to when it was ordered (penicillins, cephalosporins, sulfonamides, NSAIDs, aspirin)',
    check(view, emit) {
      const allergies = view.resources.filter((r) => {
        if (r.resourceType !== 'AllergyIntolerance') return false;
        const status = codeIn(r['clinicalStatus'], 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical');
        const verification = codeIn(r['verificationStatus'], 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification');
        return status !== 'resolved' && status !== 'inactive' && verification !== 'refuted' && verification !== 'entered-in-error';
      });
      if (allergies.length === 0) return;
      for (const r of view.resources) {
        if (r.resourceType !== 'MedicationRequest') continue;
        const drug = codeIn(r['medicationCodeableConcept'], RXNORM);
        const authored = typeof r['authoredOn'] === 'string' ? instantOf(r['authoredOn']) : undefined;
        if (drug === undefined || authored === undefined) continue;
        for (const a of allergies) {
          const allergen = codeIn(a['code'], SNOMED);
          const entry = allergen === undefined ? undefined : data.allergens[allergen];
          if (entry === undefined || !entry.drugs.includes(drug)) continue;
          const from = allergyFrom(a);
          if (from !== undefined && from <= authored) emit(r, `orders ${drug} for a patient allergic to ${entry.name} (${label(a)}) since ${String(a['onsetDateTime'] ?? a['recordedDate'])}`);
        }
      }
    },
  };
}

/** When an order stops: the dosage's bounds end, else never (still active). */
export function orderEnd(r: FhirResource): number {
  const repeat = obj(obj(obj(arr(r['dosageInstruction'])[0])?.['timing'])?.['repeat']);
  const end = obj(repeat?.['boundsPeriod'])?.['end'];
  if (typeof end === 'string') return instantOf(end) ?? Infinity;
  const days = obj(repeat?.['boundsDuration'])?.['value'];
  const start = typeof r['authoredOn'] === 'string' ? instantOf(r['authoredOn']) : undefined;
  if (typeof days === 'number' && start !== undefined) return start + days * MS_PER_DAY;
  return r['status'] === 'active' || r['status'] === undefined ? Infinity : (start ?? Infinity);
}

/** A drug the patient's own lab value rules out is not started, and is stopped by the day that value is seen. */
export function labContraindication(rules: Contraindications, loincsOf: (lab: string) => ReadonlySet<string>): CheckRule {
  const byDrug = new Map(rules.rules.map((c) => [c.drug, { ...c, loincs: loincsOf(c.lab) }]));
  return {
    id: 'clinical.lab-contraindication',
    family: 'clinical',
    title: `no drug ordered or continued past a lab value that rules it out (${[...new Set(rules.rules.map((c) => `${c.name} below ${c.lab} ${c.below}`))].join('; ')})`,
    check(view, emit) {
      const orders = view.resources.filter((r) => r.resourceType === 'MedicationRequest' && byDrug.has(codeIn(r['medicationCodeableConcept'], RXNORM) ?? ''));
      if (orders.length === 0) return;
      const labs = view.resources.filter((r) => r.resourceType === 'Observation' && typeof r['effectiveDateTime'] === 'string');
      for (const order of orders) {
        const rule = byDrug.get(codeIn(order['medicationCodeableConcept'], RXNORM)!)!;
        const start = typeof order['authoredOn'] === 'string' ? instantOf(order['authoredOn']) : undefined;
        if (start === undefined || rule.loincs.size === 0) continue;
        const end = orderEnd(order);
        let prior: { at: number; value: number; text: string } | undefined;
        let continued: { value: number; text: string } | undefined;
        for (const obs of labs) {
          if (!rule.loincs.has(codeIn(obs['code'], LOINC) ?? '')) continue;
          const value = obj(obs['valueQuantity'])?.['value'];
          const text = obs['effectiveDateTime'] as string;
          const at = instantOf(text);
          if (typeof value !== 'number' || at === undefined) continue;
          if (at <= start) {
            if (prior === undefined || at > prior.at) prior = { at, value, text };
          } else if (value < rule.below && end > at + MS_PER_DAY && continued === undefined) continued = { value, text };
        }
        if (prior !== undefined && prior.value < rule.below) emit(order, `${rule.name} ordered after ${rule.lab} ${prior.value} on ${prior.text} (below ${rule.below})`);
        else if (continued !== undefined) emit(order, `${rule.name} continued past ${rule.lab} ${continued.value} on ${continued.text} (below ${rule.below})`);
      }
    },
  };
}
