/**
 * The obstetric facts of a prenatal visit: the gestational age from the pregnancy's dates in the
 * record (the pregnancy Condition's onset is conception, two weeks after the last menstrual period,
 * as the timeline dates it), and what the visit measured as the record charts it: the fundal height
 * (from 20 weeks) and the fetal heart rate, each the value of the visit's exam Observation, so a note
 * states only what the record holds and the grounding checks hold notes to it.
 */
import { instantToDate, MS_PER_DAY } from '../core/time.js';
import { loadPregnancy } from '../knowledge/pregnancy.js';
import { gestationalAgeWeeks } from '../record/gestational-age.js';
import type { Encounter, PatientRecord, PrenatalExamObservation } from '../record/types.js';
import type { Fact } from './facts.js';

/** Days from the last menstrual period to conception, as the pregnancy module dates the Condition's onset. */
const CONCEPTION_DAY = 14;

/** How each charted exam measurement reads as a fact. */
const EXAM_FACTS: Record<PrenatalExamObservation['kind'], Pick<Fact, 'id' | 'label' | 'synonyms' | 'unit'>> = {
  fundalHeight: { id: 'prenatal.fundalHeight', label: 'Fundal height', synonyms: ['FH', 'fundal height'], unit: 'cm' },
  fetalHeartRate: { id: 'prenatal.fetalHeartRate', label: 'Fetal heart rate', synonyms: ['FHR', 'fetal heart rate', 'FHT'], unit: '/min' },
};

/** The prenatal facts of `encounter` (none unless it is a prenatal visit during an ongoing pregnancy). */
export function prenatalFacts(record: PatientRecord, encounter: Encounter): Fact[] {
  const k = loadPregnancy();
  if (encounter.type.code !== k.codes.prenatalVisit.code && encounter.type.code !== k.codes.initialVisit.code) return [];
  const pregnancy = record.conditions.find((x) => x.id === encounter.reasonConditionId && x.key === 'pregnancy');
  // A visit after the pregnancy ended (the miscarriage visit) has no gestational age.
  if (pregnancy === undefined || (pregnancy.abatement !== undefined && pregnancy.abatement <= encounter.start)) return [];
  const days = Math.floor((encounter.start - pregnancy.onset) / MS_PER_DAY) + CONCEPTION_DAY;
  if (days < CONCEPTION_DAY) return [];
  const date = instantToDate(encounter.start);
  const facts: Fact[] = [
    { id: 'prenatal.gestationalAge', kind: 'prenatal', label: 'Gestational age', synonyms: ['GA', 'gestational age'], value: gestationalAgeWeeks(days), unit: 'wk', date, resourceId: pregnancy.id },
  ];
  for (const o of record.prenatalExams) {
    if (o.encounterId !== encounter.id) continue;
    facts.push({ ...EXAM_FACTS[o.kind], kind: 'prenatal', value: o.value, date, resourceId: o.id });
  }
  return facts;
}
