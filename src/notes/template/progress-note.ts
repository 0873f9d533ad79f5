/**
 * Progress notes for ambulatory visits (sick visits, well-child checks, adult examinations,
 * follow-ups, prenatal and immunization visits): SOAP-shaped or problem-oriented by author, with
 * a chief complaint in the patient's words and an HPI from the reported symptoms at sick visits,
 * a review of systems and an exam that follow the presentation, and an assessment per problem that
 * cites the evidence that matters for it and the plan the record carries.
 */
import { explainingProblem, unexplainedResultPlans } from '../../knowledge/assessment-evidence.js';
import { vaccineClinicalName } from '../../knowledge/immunizations.js';
import { rosBand } from '../../knowledge/review-of-systems.js';
import type { Fact, FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import { anyAboveGoal, followUpLine, RETURN_PRECAUTION, writeAcuteAssessment, writeProblemAssessment, type VisitKind } from './assessment.js';
import type { Chooser } from './chooser.js';
import { gestationalAgeDays, gestationalAgeText } from '../../record/gestational-age.js';
import { withArticle } from './grammar.js';
import { ageYearsAt, mayDeny, saidBefore, symptomsOf, writeAcuteHpi, writeChiefComplaint, writeIntro, writePhysicalExam, writeReviewOfSystems } from './history.js';
import { NoteBuilder, type SectionWriter } from './note-builder.js';
import { ageNoun, ageText, listJoin, patientRef, visitReason, writeEncounterText, writeSignature } from './phrases.js';
import { factsFor, factsOf, inSentence, labFlag, labTextInSentence, symptomDenials, writeAllergies, writeDenials, writeLabs, writeMedications, writeProblems, writeSocial, writeVitals } from './sections.js';
import { specialistFollowUp, writeFocusedExam, writeOtherProblems, writeResultsForPcp, writeReviewedResults, writeSpecialistAssessment, writeSpecialistComplaint, writeSpecialistHpi } from './specialist-visit.js';
import { heading, type ClinicianStyle } from './style.js';

function visitKind(sheet: FactSheet, reason: Fact | undefined, isShotVisit: boolean): VisitKind {
  const type = sheet.encounter.type;
  if (isShotVisit) return 'immunization';
  // A specialist's visit on a care pathway is about the condition it follows.
  if (sheet.encounter.specialty !== undefined && reason !== undefined) return 'specialist';
  if (/prenatal|antenatal|obstetric/i.test(type)) return 'prenatal';
  if (reason !== undefined && (reason.date === sheet.encounter.date || sheet.encounter.chiefComplaint !== undefined)) return 'acute';
  if (/well child/i.test(type) || (sheet.patient.age < 18 && /general examination|check-?up|preventive/i.test(type))) return 'well-child';
  if (/general examination|check-?up|preventive/i.test(type)) return 'preventive';
  return 'chronic';
}

/** Whether the patient takes a drug the record links to none of the sheet's problems. */
function unlinkedMedication(sheet: FactSheet): boolean {
  const problems = new Set(factsOf(sheet, 'problem').map((p) => p.id));
  return factsOf(sheet, 'medication').some((m) => !(m.relatesTo ?? []).some((id) => problems.has(id)));
}

/** Interval history of a follow-up: each chronic problem with what the patient takes for it. */
function writeIntervalHistory(s: SectionWriter, sheet: FactSheet, problems: readonly Fact[], c: Chooser): void {
  for (const p of problems.slice(0, 3)) {
    const meds = factsFor(sheet, 'medication', p).filter((m) => m.date !== sheet.encounter.date);
    s.add(c.pick(['Regarding ', 'For ', 'Re: ', 'With respect to ']));
    s.fact(inSentence(p.label), p.id);
    if (meds.length > 0) {
      s.add(c.pick([', taking ', ', reports taking ', ', adherent to ', ', on ']));
      meds.forEach((m, i) => {
        if (i > 0) s.add(' and ');
        s.fact(m.label, m.id);
      });
      s.add(c.pick([' without side effects. ', ' as prescribed, missing occasional doses. ', ' daily. ', ' with good tolerance. ', '; no side effects reported. ']));
    } else if (unlinkedMedication(sheet) || factsFor(sheet, 'medication', p).length > 0) {
      // A drug on the list that the record ties to no problem may be this one's, and one started at this
      // visit is on the list too (furosemide for the heart failure): "without medication" would contradict
      // the medication list, so the history says less.
      s.add(c.pick([', no new concerns. ', ', stable by report. ', ', reviewed; no interval change. ']));
    } else {
      s.add(c.pick([', managed with lifestyle measures. ', ', no treatment at present. ', ', monitored without medication. ']));
    }
  }
}

function writeOpening(hpi: SectionWriter, sheet: FactSheet, style: ClinicianStyle, c: Chooser, kind: VisitKind, reason: Fact | undefined, problems: readonly Fact[]): void {
  const ref = () => `${patientRef(sheet, style, c)} is ${withArticle(ageText(sheet))} ${ageNoun(sheet)} `;
  switch (kind) {
    case 'immunization':
      hpi.add(ref());
      hpi.add(c.pick(['seen today for scheduled immunizations. ', 'presenting for vaccine administration. ', 'here for a nurse visit for immunizations. ']));
      return;
    case 'acute':
      if (symptomsOf(sheet).length > 0) {
        writeAcuteHpi(hpi, sheet, style, c, c.pick(['presents with', 'comes in with', 'reports', 'is seen today for', 'complains of']));
        return;
      }
      hpi.add(ref());
      hpi.add(c.pick(['seen today for ', 'evaluated for ']));
      hpi.fact(inSentence(reason!.label), reason!.id);
      hpi.add('. ');
      return;
    case 'prenatal': {
      hpi.add(ref());
      const ga = sheet.facts.find((f) => f.id === 'prenatal.gestationalAge');
      if (ga?.value !== undefined) {
        // "at 24 weeks 3 days" from the pregnancy's dates in the record.
        hpi.add(c.pick(['at ', 'at ', 'currently at ']));
        hpi.fact(gestationalAgeText(gestationalAgeDays(ga.value)), ga.id);
        hpi.add(c.pick([' by LMP, ', ' gestation, ', ' ']));
      }
      hpi.add(c.pick(['presenting for routine prenatal care. ', 'seen for a scheduled prenatal visit. ', 'here for an OB visit. ']));
      hpi.add(c.pick(['Reports good fetal movement. ', 'Some fatigue and mild back discomfort, otherwise no complaints. ', 'Taking prenatal vitamins. ', 'No contractions, bleeding or leakage of fluid. ', 'Mild nausea has improved. ']));
      return;
    }
    case 'well-child':
      hpi.add(ref());
      if (sheet.patient.age < 3) {
        hpi.add(c.pick(['presenting for a scheduled well-baby visit. ', 'here for a routine infant check. ', 'seen for a well visit with a parent. ']));
        hpi.add(c.pick(['Feeding well, ', 'Breastfeeding on demand, ', 'Taking formula well, ', 'Eating a varied diet, ']));
        hpi.add(c.pick(['sleeping in stretches of several hours. ', 'good wet diapers and stools. ', 'meeting milestones per parent. ', 'no concerns about development. ']));
      } else {
        hpi.add(c.pick(['presenting for a routine well-child check. ', 'seen for an annual well visit. ', 'here with a parent for a well visit. ']));
        hpi.add(c.pick(['Doing well in school. ', 'Active, plays sports. ', 'Eats a varied diet; screen time discussed. ', 'Sleeping well, no behavior concerns. ']));
      }
      return;
    case 'preventive':
      hpi.add(ref());
      hpi.add(c.pick(['presenting for a routine preventive visit. ', 'seen for a scheduled health maintenance exam. ', 'here for an annual physical. ', 'presenting for an annual examination. ']));
      hpi.add(c.pick(['Reports feeling well overall. ', 'No new concerns. ', 'Exercises a few times a week. ', 'Has no specific complaints today. ', 'Sleep and appetite are normal. ']));
      if (problems.length > 0) writeIntervalHistory(hpi, sheet, problems, c);
      return;
    case 'specialist':
      writeSpecialistHpi(hpi, sheet, reason!, style, c);
      return;
    case 'chronic':
      if (problems.length > 0) {
        writeIntro(hpi, sheet, style, c, c.pick(['presents for follow-up. ', 'returns for a scheduled follow-up visit. ', 'is seen for chronic disease management. ']));
        writeIntervalHistory(hpi, sheet, problems, c);
      } else {
        hpi.add(ref());
        hpi.add(c.pick(['seen in follow-up. ', 'presenting for a scheduled follow-up visit. ', 'here for ongoing care. ']));
      }
      hpi.add(c.pick(['No interval hospitalizations or ER visits. ', 'Doing well since the last visit. ', 'No new concerns today. ', '']));
  }
}

/** A chief complaint for a visit without a presentation, in clinic words (never a SNOMED display). */
function routineComplaint(s: SectionWriter, sheet: FactSheet, kind: VisitKind, reason: Fact | undefined, problems: readonly Fact[], style: ClinicianStyle, c: Chooser): void {
  if (kind === 'specialist') {
    writeSpecialistComplaint(s, sheet, reason!, style, c);
    return;
  }
  if (reason !== undefined && kind !== 'prenatal') {
    s.fact(reason.label, reason.id);
    return;
  }
  if (kind === 'chronic' && problems.length > 0) {
    s.add(style.abbreviates ? 'f/u ' : c.pick(['Follow-up of ', 'Follow up ', 'Recheck of ']));
    const shown = problems.slice(0, 3);
    shown.forEach((p, i) => {
      if (i > 0) s.add(i === shown.length - 1 ? ' and ' : ', ');
      const abbreviations = (p.synonyms ?? []).filter((x) => /^[A-Z][A-Z0-9]+$/.test(x));
      s.fact(style.abbreviates && abbreviations.length > 0 ? abbreviations[0]! : inSentence(p.label), p.id);
    });
    return;
  }
  if (kind === 'prenatal') {
    s.add(/initial/i.test(sheet.encounter.type) ? c.pick(['New OB visit', 'Initial prenatal visit', 'Establish prenatal care']) : c.pick(['Routine prenatal visit', 'OB follow-up', 'Prenatal care']));
    return;
  }
  writeEncounterText(s, sheet, visitReason(sheet, c));
}

export function writeProgressNote(sheet: FactSheet, style: ClinicianStyle, c: Chooser): NoteOutput {
  // A telephone or video visit (class VR) has no vitals or examination: the clinician was not in the room.
  const virtual = sheet.encounter.class === 'VR';
  const byPhone = virtual && /telephone/i.test(sheet.encounter.type);
  const title = virtual
    ? byPhone
      ? c.pick(['Telephone Encounter', 'Telephone Visit', 'Phone Follow-up'])
      : c.pick(['Telehealth Visit', 'Video Visit', 'Virtual Visit Note'])
    : c.pick(['Progress Note', 'Office Visit', 'Clinic Note', 'Outpatient Progress Note', 'Office Visit Note']);
  const note = new NoteBuilder(title);
  const vitals = sheet.facts.filter((f) => f.kind === 'vital');
  const given = sheet.facts.filter((f) => f.kind === 'immunization');
  const problems = factsOf(sheet, 'problem');
  const smoking = sheet.facts.find((f) => f.id === 'social.smoking');
  // An immunization visit: a vaccine given and nothing else (no measurements, no diagnosis, no specialist).
  const isShotVisit = given.length > 0 && vitals.length === 0 && !virtual && sheet.encounter.reasonFactId === undefined && sheet.encounter.specialty === undefined;
  const reason = sheet.facts.find((f) => f.id === sheet.encounter.reasonFactId);
  const kind = visitKind(sheet, reason, isShotVisit);
  const chronic = problems.filter((p) => p !== reason);

  writeChiefComplaint(note.section(heading(style, 'Chief Complaint', 'CC')), sheet, style, c, (s) => routineComplaint(s, sheet, kind, reason, chronic, style, c));

  const hpi = note.section(heading(style, c.pick(kind === 'acute' ? ['History of Present Illness', 'HPI', 'Subjective'] : ['History of Present Illness', 'Subjective', 'Interval History']), c.pick(['HPI', 'S'])));
  writeOpening(hpi, sheet, style, c, kind, reason, chronic);
  if (kind !== 'acute' && kind !== 'immunization' && c.chance(0.6)) writeDenials(hpi, sheet, c);

  const history: Array<() => void> = [];
  if (problems.length > 0 || style.verbose) history.push(() => writeProblems(note, sheet, style, c));
  history.push(() => writeMedications(note, sheet, style, c));
  history.push(() => writeAllergies(note, sheet, style, c));
  if (smoking !== undefined) history.push(() => writeSocial(note, sheet, style, c));
  for (const add of style.verbose ? history : c.shuffle(history)) add();

  if (kind === 'acute') writeReviewOfSystems(note, sheet, style, c);
  else if (kind !== 'immunization' && (style.verbose || c.chance(0.4))) writeRoutineRos(note, sheet, style, c);

  let citedLabs: Fact[] = [];
  if (virtual) {
    note.section(heading(style, 'Visit Details', 'Visit')).add(
      byPhone
        ? c.pick(['Visit conducted by telephone with the patient; identity verified. No examination performed.', 'Telephone visit; patient consented to a phone visit. No physical examination.'])
        : c.pick(['Visit conducted by real-time audio and video; patient at home, identity verified. Examination limited to observation.', 'Video visit with the patient, who consented to telehealth. No hands-on examination.']),
    );
    citedLabs = writeLabs(note, sheet, style, c);
  } else if (!isShotVisit) {
    if (vitals.length > 0) writeVitals(note, sheet, style, c);
    const exam = writePhysicalExam(note, sheet, style, c, kind === 'acute' || kind === 'specialist');
    if (kind === 'specialist') writeFocusedExam(exam, sheet, style, c);
    if (kind === 'prenatal') writeObstetricExam(note, sheet, style, c);
    // A specialist lists the visit's own draw (or a few prior results, titled so), not the PCP's older panels as if today's.
    citedLabs = kind === 'specialist' ? writeLabs(note, sheet, style, c, undefined, true) : writeLabs(note, sheet, style, c);
  }

  if (given.length > 0 || (kind !== 'specialist' && c.chance(0.3))) {
    const imm = note.section(heading(style, 'Immunizations', 'Imm'));
    if (given.length === 0) {
      imm.add(c.pick(['Immunization record reviewed; none due today.', 'Up to date per review; no vaccines given today.', 'No vaccines administered at this visit.']));
    } else {
      imm.add(c.pick(['Administered today: ', 'Given today: ', 'Vaccines given: ', 'Today the patient received: ']));
      given.forEach((g, i) => {
        if (i > 0) imm.add(i === given.length - 1 ? c.pick([', and ', '; ']) : ', ');
        imm.fact(vaccineName(g), g.id);
      });
      imm.add(c.pick(['.', '. VIS provided.', '. Tolerated well.', '. No immediate reaction observed.']));
    }
  }

  const plan = note.section(heading(style, c.pick(['Assessment and Plan', 'Assessment/Plan', 'Plan']), 'A/P'));
  const items: ((w: SectionWriter) => void)[] = [];
  if (kind === 'acute' && reason !== undefined) items.push((w) => writeAcuteAssessment(w, sheet, reason, style, c));
  else if (kind === 'specialist' && reason !== undefined) {
    items.push((w) => writeSpecialistAssessment(w, sheet, reason, style, c));
    items.push((w) => writeOtherProblems(w, sheet, reason, style, c));
  } else
    items.push((w) =>
      w.add(
        kind === 'immunization'
          ? c.pick(['Immunizations given as above.', 'Vaccine administration visit.', 'Encounter for immunization.'])
          : kind === 'chronic'
            ? c.pick(['Follow-up visit.', 'Chronic disease follow-up.', 'Interval follow-up.'])
            : kind === 'prenatal'
              ? c.pick(['Intrauterine pregnancy, routine prenatal care.', 'Pregnancy, progressing as expected.', 'Prenatal visit; counseling on nutrition and warning signs given.'])
              : kind === 'well-child'
                ? c.pick(['Well child check; growth and development reviewed.', 'Routine well-child visit.', 'Healthy child; anticipatory guidance provided.'])
                : c.pick(['Routine adult health maintenance.', 'Annual preventive visit.', 'Health maintenance; age-appropriate screening reviewed.']),
      ),
    );
  // A well visit's plan names the vaccines given that day, as clinicians chart them ("DTaP, IPV and Hib given").
  if (given.length > 0 && (kind === 'well-child' || kind === 'preventive')) items.push((w) => writeVaccinesGiven(w, given, c));
  // An acute visit addresses its illness and, briefly, what else needs a word; follow-ups take every problem.
  // A specialist leaves the other problems to primary care (one line above).
  const addressed = kind === 'specialist' ? [] : kind === 'acute' ? chronic.filter(() => c.chance(0.3)).slice(0, 2) : chronic.slice(0, 6);
  for (const p of addressed) items.push((w) => writeProblemAssessment(w, sheet, p, style, c, kind === 'prenatal'));
  const bmi = vitals.find((f) => f.id === 'vital.bmi');
  if (kind !== 'acute' && kind !== 'specialist' && bmi?.value !== undefined && sheet.patient.age >= 18 && bmi.value >= 25 && !chronic.some((p) => /obes|overweight/i.test(p.label)) && c.chance(0.7)) {
    items.push((w) => {
      w.fact(`BMI ${Number.isInteger(bmi.value!) ? bmi.value : bmi.value!.toFixed(1)}`, bmi.id);
      w.add(c.pick(['; counseled on diet and physical activity.', '; discussed nutrition and exercise.', '; weight management discussed.']));
    });
  }
  if (smoking !== undefined && /daily|occasional|current/i.test(smoking.label) && sheet.patient.age >= 12) {
    items.push((w) => w.add(c.pick(['Tobacco cessation counseling provided (>3 minutes).', 'Advised to quit smoking; resources offered.', 'Smoking cessation discussed; patient considering quitting.'])));
  }
  const above = anyAboveGoal(sheet, chronic);
  let written = 0;
  const emit = (item: (w: SectionWriter) => void): void => {
    if (written > 0) plan.add(style.planAsList ? '\n' : ' ');
    if (style.planAsList) plan.add(`${written + 1}. `);
    item(plan);
    written++;
  };
  items.forEach(emit);
  // An abnormal result the note cites is addressed: by its problem's assessment above, else here.
  const spoken = new Set(plan.mentions.map((m) => m.factId));
  const unexplained = citedLabs.filter((f) => labFlag(f) !== undefined && !spoken.has(f.id));
  if (kind === 'specialist') {
    // A specialist reads the visit's own draw (glucose aside) and sends the rest to primary care.
    const own = unexplained.filter((f) => f.date === sheet.encounter.date && !/^(2345-7|2339-0)$/.test(f.code?.code ?? ''));
    const others = unexplained.filter((f) => !own.includes(f));
    if (own.length > 0) emit((w) => writeReviewedResults(w, own, c));
    if (others.length > 0) emit((w) => writeResultsForPcp(w, others, c));
  } else if (unexplained.length > 0) emit((w) => writeUnexplainedResults(w, unexplained, problems, kind === 'acute', c));
  // One set of return precautions per note: when the illness's plan already gave them, the close says only when to come back.
  emit((w) => w.add(kind === 'specialist' ? specialistFollowUp(sheet, c) : followUpLine(sheet, kind, above, c, RETURN_PRECAUTION.test(w.value))));

  writeSignature(note, sheet, style, c);
  return note.build();
}

/** A vaccine as a clinician charts it ("DTaP", "hepatitis B"): the clinical name the sheet carries last, else the CVX display. */
function vaccineName(g: Fact): string {
  const clinical = g.code === undefined ? undefined : vaccineClinicalName(g.code.code);
  return clinical !== undefined && (g.synonyms ?? []).includes(clinical) ? clinical : g.label;
}

/** The plan's vaccine line: "Vaccines today: DTaP, IPV and Hib; VIS reviewed with parent." */
function writeVaccinesGiven(w: SectionWriter, given: readonly Fact[], c: Chooser): void {
  w.add(c.pick(['Vaccines today: ', 'Immunizations given: ', 'Vaccinated today with ', 'Administered ']));
  given.forEach((g, i) => {
    if (i > 0) w.add(i === given.length - 1 ? ' and ' : ', ');
    w.fact(vaccineName(g), g.id);
  });
  w.add(c.pick(['; VIS provided.', '; risks and benefits reviewed.', '.', '; tolerated well.']));
}

/**
 * A review of systems at a routine visit: only the negatives the record supports, from the age's
 * band. A newborn's or infant's starts with what the caregiver reports as normal (feeding, wet
 * diapers, stools), as well-baby notes do, and denies in plain words ("No jaundice or fever").
 */
function writeRoutineRos(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser): void {
  // What the history said already (feeding, a denied fever) is not said again.
  const written = note.written;
  const negatives = symptomDenials(sheet).filter((n) => mayDeny(sheet, n) && !saidBefore(written, n));
  const picked = c.some(negatives, 0.5, 3).slice(0, 8);
  const band = rosBand(ageYearsAt(sheet));
  const normals = (band.normals ?? []).filter((n) => !saidBefore(written, n));
  if (picked.length === 0 && normals.length === 0) return;
  const s = note.section(heading(style, 'Review of Systems', 'ROS'));
  if (normals.length > 0) {
    const said = c.some(normals, 0.6, 2).slice(0, 4);
    s.add(`${c.pick(['Per parent: ', 'Caregiver reports: ', ''])}${said.map((x, i) => (i === 0 ? x : inSentence(x))).join(', ')}. `);
    const covered = new Set(band.coveredByNormals ?? []);
    const denied = picked.filter((n) => !covered.has(n));
    if (denied.length > 0) s.add(`No ${listJoin(denied, 'or')}.`);
    return;
  }
  s.add(`${style.abbreviates ? 'Neg for ' : 'Negative for '}${listJoin(picked, 'and')}. ${c.pick(['Otherwise negative.', 'All other systems negative.', 'Remainder reviewed and negative.'])}`);
}

/**
 * Abnormal results the note cites that no assessment spoke to, grouped by what is done about them:
 * "Elevated glucose 111 mg/dL: repeat fasting glucose with an A1c to confirm; diet and physical
 * activity counseled." A result a known problem accounts for says so instead ("Elevated glucose
 * 187 mg/dL: consistent with known diabetes mellitus type 2"): asking to confirm a diagnosis the
 * patient already has is what a clinician would strike (`assessment-evidence.yaml`,
 * `unexplainedResults`, `explainedBy`).
 */
function writeUnexplainedResults(w: SectionWriter, labs: readonly Fact[], problems: readonly Fact[], acute: boolean, c: Chooser): void {
  const names = problems.map((p) => p.label);
  const groups: { plans: readonly string[]; problem: Fact | undefined; facts: Fact[] }[] = [];
  for (const f of labs) {
    const known = explainingProblem(f.code?.code, names);
    const problem = known === undefined ? undefined : problems[known.problem];
    const plans = known?.plans ?? unexplainedResultPlans(f.code?.code, labFlag(f)!, acute);
    // Plans are the knowledge file's own arrays, so their identity (with the problem) groups the results.
    const same = groups.find((g) => g.plans === plans && g.problem === problem);
    if (same !== undefined) same.facts.push(f);
    else groups.push({ plans, problem, facts: [f] });
  }
  groups.forEach(({ plans, problem, facts }, g) => {
    if (g > 0) w.add(' ');
    const high = facts.every((f) => labFlag(f) === 'high');
    const low = facts.every((f) => labFlag(f) === 'low');
    w.add(high ? 'Elevated ' : low ? 'Low ' : 'Abnormal ');
    facts.forEach((f, i) => {
      if (i > 0) w.add(i === facts.length - 1 ? ' and ' : ', ');
      w.fact(labTextInSentence(f, c), f.id);
    });
    const plan = c.pick(plans);
    if (problem === undefined) {
      w.add(`: ${plan}.`);
      return;
    }
    const [before, after] = plan.split('{problem}') as [string, string];
    w.add(`: ${before}`).fact(inSentence(problem.label), problem.id).add(`${after}.`);
  });
}

/**
 * The prenatal visit's obstetric exam: gestational age, fundal height (from 20 weeks) and fetal
 * heart rate, each the sheet's fact (from the pregnancy's dates and the visit's measurements).
 */
function writeObstetricExam(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser): void {
  const ga = sheet.facts.find((f) => f.id === 'prenatal.gestationalAge');
  if (ga?.value === undefined) return;
  const fundus = sheet.facts.find((f) => f.id === 'prenatal.fundalHeight');
  const heart = sheet.facts.find((f) => f.id === 'prenatal.fetalHeartRate');
  const s = note.section(heading(style, c.pick(['Obstetric Exam', 'OB Exam', 'Prenatal Flowsheet']), 'OB'));
  s.add('GA ').fact(gestationalAgeText(gestationalAgeDays(ga.value)), ga.id).add('.');
  if (fundus?.value !== undefined) s.add(' ').fact(`${style.abbreviates ? 'FH' : 'Fundal height'} ${fundus.value} cm`, fundus.id).add(c.pick(['.', ', size equals dates.', ', consistent with dates.']));
  if (heart?.value !== undefined) s.add(' ').fact(`${style.abbreviates ? 'FHR' : 'Fetal heart rate'} ${heart.value} bpm`, heart.id).add('.');
  else s.add(c.pick([' Fetal heart tones not yet assessed at this gestation.', ' Fetal heart tones to be checked at the next visit.', '']));
}

export type { ClinicianStyle };
