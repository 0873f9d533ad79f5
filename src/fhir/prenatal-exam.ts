/**
 * The prenatal exam's Observations of a visit: the fundal height (LOINC 11881-0, cm) and the fetal
 * heart rate (LOINC 55283-6, /min). US Core 6.1.0 has no profile for them (they are not the mother's
 * vital signs); they claim US Core Simple Observation, as the delivery's Observations do.
 */
import type { Observation } from '@medplum/fhirtypes';
import { loadPregnancy } from '../knowledge/pregnancy.js';
import type { PrenatalExamObservation } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { examObservation } from './exam-observation.js';
import type { MetaFactory } from './meta.js';

/** UCUM unit of each measurement. */
const UNIT: Record<PrenatalExamObservation['kind'], string> = { fundalHeight: 'cm', fetalHeartRate: '/min' };

/** One prenatal exam measurement as an exam Observation of its visit. */
export function prenatalExamResource(o: PrenatalExamObservation, patientId: string, meta: MetaFactory): Observation {
  const codes = loadPregnancy().codes;
  const unit = UNIT[o.kind];
  return examObservation(
    o.id,
    o.kind === 'fundalHeight' ? codes.fundalHeight : codes.fetalHeartRate,
    { valueQuantity: { value: o.value, unit, system: SYSTEMS.ucum, code: unit } },
    { patientId, encounterId: o.encounterId, practitionerId: o.practitionerId, time: o.time },
    meta,
  );
}
