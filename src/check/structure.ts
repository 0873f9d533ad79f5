import { forEachReference, instantOf, referenceOf, resourceDates, SHARED_TYPES } from './bundle-view.js';
import type { FhirResource } from './bundle-source.js';
import type { CheckRule } from './rule.js';

/** Every reference inside a bundle resolves to one of its entries (by fullUrl or `Type/id`). */
export const referenceResolves: CheckRule = {
  id: 'structure.reference-resolves',
  family: 'structure',
  title: 'every reference resolves inside its bundle',
  check(view, emit) {
    for (const r of view.resources) {
      forEachReference(r, (reference, path) => {
        if (view.resolve(reference) === undefined) emit(r, `${path()} -> ${reference} does not resolve to an entry of the bundle`);
      });
    }
  },
};

/** A bundle holds exactly one Patient: the person every clinical resource belongs to. */
export const patientPresent: CheckRule = {
  id: 'structure.patient-present',
  family: 'structure',
  title: 'each bundle holds exactly one Patient',
  check(view, emit) {
    const n = view.resources.filter((r) => r.resourceType === 'Patient').length;
    if (n !== 1) emit(undefined, `holds ${n} Patient resources`);
  },
};

/** Clinical resources point at the bundle's patient, and at an Encounter of that patient when they name one. */
export const patientReference: CheckRule = {
  id: 'structure.patient-reference',
  family: 'structure',
  title: "every clinical resource references its patient (subject, patient, or a Coverage's beneficiary; and its encounter, when it has one, is the patient's)",
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType === 'Patient' || SHARED_TYPES.has(r.resourceType)) continue;
      const subject = referenceOf(r['subject']) ?? referenceOf(r['patient']) ?? referenceOf(r['beneficiary']);
      if (subject === undefined) emit(r, 'has no subject/patient reference');
      else if (!view.isPatient(subject)) emit(r, `subject ${subject} is not the bundle's Patient`);
      const context = r['context'];
      const encounterRef =
        referenceOf(r['encounter']) ??
        (typeof context === 'object' && context !== null && Array.isArray((context as { encounter?: unknown }).encounter)
          ? referenceOf(((context as { encounter: unknown[] }).encounter)[0])
          : undefined);
      if (encounterRef === undefined) continue;
      const encounter = view.resolve(encounterRef);
      if (encounter === undefined) continue; // dangling: reported by structure.reference-resolves
      if (encounter.resourceType !== 'Encounter') emit(r, `encounter ${encounterRef} is a ${encounter.resourceType}, not an Encounter`);
      else if (!view.isPatient(referenceOf(encounter['subject']))) emit(r, `encounter ${encounterRef} belongs to another patient`);
    }
  },
};

/** Nothing is dated before birth, after death, or after the reference date. */
export const datesWithinLife: CheckRule = {
  id: 'structure.dates-within-life',
  family: 'structure',
  title: 'no resource dated before birth or after death / the reference date (Bundle.timestamp)',
  check(view, emit) {
    const birth = view.birthDate;
    for (const r of view.resources) {
      if (r.resourceType === 'Patient' || SHARED_TYPES.has(r.resourceType)) continue;
      for (const [field, value] of resourceDates(r)) {
        const t = instantOf(value);
        if (t === undefined) {
          emit(r, `${field} ${JSON.stringify(value)} is not a valid date`);
          continue;
        }
        const day = value.slice(0, 10);
        if (birth !== undefined && value.length >= 10 && day < birth) emit(r, `${field} ${value} is before birth (${birth})`);
        else if (view.deathTime !== undefined && t > view.deathTime) emit(r, `${field} ${value} is after death (${new Date(view.deathTime).toISOString()})`);
        else if (view.referenceDate !== undefined && day > view.referenceDate) emit(r, `${field} ${value} is after the reference date (${view.referenceDate})`);
      }
    }
  },
};

/**
 * The bundle's one Provenance covers the patient's whole record: every resource in it but the
 * shared providers, the Patient included (that is also what puts the Provenance in the patient's
 * compartment, so `$everything` returns it).
 */
export const provenanceTargets: CheckRule = {
  id: 'structure.provenance-targets',
  family: 'structure',
  title: "each bundle holds one Provenance, and it targets every resource of the patient's record in the bundle",
  check(view, emit) {
    const provenances = view.resources.filter((r) => r.resourceType === 'Provenance');
    if (provenances.length !== 1) {
      emit(provenances[1] ?? view.patient, `holds ${provenances.length} Provenance resources`);
      if (provenances.length === 0) return;
    }
    const targeted = new Set<FhirResource>();
    for (const p of provenances) {
      const targets = p['target'];
      if (!Array.isArray(targets)) continue;
      for (const t of targets) {
        const r = view.resolve(referenceOf(t) ?? '');
        if (r !== undefined) targeted.add(r);
      }
    }
    for (const r of view.resources) {
      if (r.resourceType === 'Patient' || !SHARED_TYPES.has(r.resourceType)) {
        if (!targeted.has(r)) emit(r, `is no target of the bundle's Provenance`);
      }
    }
  },
};

/** Rules of the structure family, in report order. */
export const STRUCTURE_RULES: readonly CheckRule[] = [patientPresent, referenceResolves, patientReference, datesWithinLife, provenanceTargets];
