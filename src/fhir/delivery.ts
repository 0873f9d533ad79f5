/**
 * A delivery's Observations on the mother's delivery admission: gestational age at birth (LOINC
 * 76516-4, weeks), the newborn's sex (46098-0, SNOMED CT value), birth weight (8339-4, grams) and
 * the 1- and 5-minute Apgar scores (9272-6, 9274-2, integer scores). The newborn is not a patient
 * of the cohort, so they are the mother's chart entries, as a delivery summary records them. US Core
 * 6.1.0 has no profile for them; they claim US Core Simple Observation (category `exam`, the
 * delivering clinician as performer), as the cause of death does.
 */
import type { Observation } from '@medplum/fhirtypes';
import { loadNewborn } from '../knowledge/newborn.js';
import type { DeliveryEntry } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { gestationalAgeWeeks } from '../record/gestational-age.js';
import { concept } from './codings.js';
import { examObservation, type ExamObservationValue } from './exam-observation.js';
import type { MetaFactory } from './meta.js';

/** The five Observations of one delivery, in chart order. */
export function deliveryObservationResources(d: DeliveryEntry, patientId: string, meta: MetaFactory): Observation[] {
  const codes = loadNewborn().codes;
  const at = { patientId, encounterId: d.encounterId, practitionerId: d.practitionerId, time: d.time, partOfId: d.procedureId };
  const make = (id: string, code: typeof codes.sex, value: ExamObservationValue): Observation => examObservation(id, code, value, at, meta);
  const ids = d.observationIds;
  return [
    make(ids.gestationalAge, codes.gestationalAge, { valueQuantity: { value: gestationalAgeWeeks(d.gestationalAgeDays), unit: 'wk', system: SYSTEMS.ucum, code: 'wk' } }),
    make(ids.sex, codes.sex, { valueCodeableConcept: concept(d.infantSex === 'male' ? codes.male : codes.female) }),
    make(ids.birthWeight, codes.birthWeight, { valueQuantity: { value: d.birthWeightGrams, unit: 'g', system: SYSTEMS.ucum, code: 'g' } }),
    make(ids.apgar1, codes.apgar1, { valueInteger: d.apgar1 }),
    make(ids.apgar5, codes.apgar5, { valueInteger: d.apgar5 }),
  ];
}
