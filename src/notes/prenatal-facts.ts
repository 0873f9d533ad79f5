/**
 * The obstetric facts of a prenatal visit: the gestational age from the pregnancy's dates in the
 * record (the pregnancy Condition's onset is conception, two weeks after the last menstrual period,
 * as the timeline dates it), and what the visit measures: the fundal height from 20 weeks (about the
 * weeks in cm, within 2) and the fetal heart rate. The measurements are drawn once per encounter
 * from a stream seeded by the encounter (as the presentation's are), so every note of the visit
 * states the same values and the grounding checks hold notes to them.
 */
import { instantToDate, MS_PER_DAY } from '../core/time.js';
import { loadPregnancy } from '../knowledge/pregnancy.js';
import { gestationalAgeWeeks } from '../record/gestational-age.js';
import type { Encounter, PatientRecord } from '../record/types.js';
import type { Fact } from './facts.js';
import { Chooser } from './template/chooser.js';

/** Days from the last menstrual period to conception, as the pregnancy module dates the Condition's onset. */
const CONCEPTION_DAY = 14;

/** The prenatal facts of `encounter` (none unless it is a prenatal visit during an ongoing pregnancy). */
export function prenatalFacts(record: PatientRecord, encounter: Encounter): Fact[] {
  const k = loadPregnancy();
  if (encounter.type.code !== k.codes.prenatalVisit.code && encounter.type.code !== k.codes.initialVisit.code) return [];
  const pregnancy = record.conditions.find((x) => x.id === encounter.reasonConditionId && x.key === 'pregnancy');
  // A visit after the pregnancy ended (the miscarriage visit) has no gestational age.
  if (pregnancy === undefined || (pregnancy.abatement !== undefined && pregnancy.abatement <= encounter.start)) return [];
  const days = Math.floor((encounter.start - pregnancy.onset) / MS_PER_DAY) + CONCEPTION_DAY;
  if (days < CONCEPTION_DAY) return [];
  const weeks = days / 7;
  const date = instantToDate(encounter.start);
  const facts: Fact[] = [
    { id: 'prenatal.gestationalAge', kind: 'prenatal', label: 'Gestational age', synonyms: ['GA', 'gestational age'], value: gestationalAgeWeeks(days), unit: 'wk', date, resourceId: pregnancy.id },
  ];
  const exam = k.prenatalExam;
  const c = new Chooser(`prenatal|${encounter.id}`);
  if (weeks >= exam.fundalHeightFromWeek) {
    const cm = Math.round(Math.floor(weeks) + (c.next() * 2 - 1) * exam.fundalHeightSpreadCm);
    facts.push({ id: 'prenatal.fundalHeight', kind: 'prenatal', label: 'Fundal height', synonyms: ['FH', 'fundal height'], value: cm, unit: 'cm', date, resourceId: encounter.id });
  }
  if (weeks >= exam.fetalHeartFromWeek) {
    const r = exam.fetalHeartRate;
    // Box-Muller from the seeded stream: the fetal heart rate around its mean, kept in the normal range.
    const z = Math.sqrt(-2 * Math.log(1 - c.next())) * Math.cos(2 * Math.PI * c.next());
    const bpm = Math.min(r.max, Math.max(r.min, Math.round(r.mean + z * r.sd)));
    facts.push({ id: 'prenatal.fetalHeartRate', kind: 'prenatal', label: 'Fetal heart rate', synonyms: ['FHR', 'fetal heart rate', 'FHT'], value: bpm, unit: '/min', date, resourceId: encounter.id });
  }
  return facts;
}
