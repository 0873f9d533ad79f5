/**
 * The delivery of a delivery admission as sheet facts: gestational age at birth, how the baby was
 * delivered, and the newborn's sex, birth weight and Apgar scores, each backed by the Observation
 * (or the delivery Procedure) the chart holds.
 */
import { instantToDate } from '../core/time.js';
import { loadNewborn } from '../knowledge/newborn.js';
import { gestationalAgeWeeks } from '../record/gestational-age.js';
import type { Encounter, PatientRecord } from '../record/types.js';
import type { Fact } from './facts.js';

/** The facts of the delivery charted at `encounter` (none when it is not a delivery admission). */
export function deliveryFacts(record: PatientRecord, encounter: Encounter): Fact[] {
  const d = record.deliveries.find((x) => x.encounterId === encounter.id);
  if (d === undefined) return [];
  const codes = loadNewborn().codes;
  const date = instantToDate(d.time);
  const ids = d.observationIds;
  const cesarean = d.method === 'cesarean';
  return [
    { id: 'birth.gestationalAge', kind: 'birth', label: 'Gestational age at birth', synonyms: ['gestational age', 'GA'], code: codes.gestationalAge, value: gestationalAgeWeeks(d.gestationalAgeDays), unit: 'wk', date, resourceId: ids.gestationalAge },
    {
      id: 'birth.method',
      kind: 'birth',
      label: cesarean ? 'Cesarean delivery' : 'Vaginal delivery',
      synonyms: cesarean ? ['cesarean section', 'C-section', 'delivered'] : ['vaginal birth', 'VD', 'delivered'],
      date,
      resourceId: d.procedureId,
    },
    {
      id: 'birth.sex',
      kind: 'birth',
      label: d.infantSex === 'male' ? 'male infant' : 'female infant',
      synonyms: d.infantSex === 'male' ? ['baby boy', 'male newborn'] : ['baby girl', 'female newborn'],
      code: d.infantSex === 'male' ? codes.male : codes.female,
      date,
      resourceId: ids.sex,
    },
    { id: 'birth.weight', kind: 'birth', label: 'Birth weight', synonyms: ['BW', 'weighing'], code: codes.birthWeight, value: d.birthWeightGrams, unit: 'g', date, resourceId: ids.birthWeight },
    {
      id: 'birth.apgar',
      kind: 'birth',
      label: 'Apgar scores',
      synonyms: ['Apgars', 'Apgar'],
      components: [
        { label: '1 minute', value: d.apgar1, unit: '{score}' },
        { label: '5 minutes', value: d.apgar5, unit: '{score}' },
      ],
      date,
      resourceId: ids.apgar5,
    },
  ];
}
