/**
 * Patient portal messages: a short thread, the patient's message and the clinic's reply, about
 * something the record holds (a vaccine just given, a reading from the visit, an allergy on file).
 */
import type { VaccineCourse } from '../../knowledge/immunizations.js';
import type { FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import type { Chooser } from './chooser.js';
import { NoteBuilder } from './note-builder.js';
import { labFlag, labText } from './sections.js';
import type { ClinicianStyle } from './style.js';

/**
 * What comes next for a vaccine, by its course: a seasonal dose is one a season, a booster has its
 * interval, a one-time vaccine needs nothing more, and only a series still under way has next doses.
 */
/** Vaccines given by mouth (CVX 02 OPV, 116 rotavirus): no sore arm. */
const ORAL_CVX = new Set(['02', '116']);

export function nextDoseLine(course: VaccineCourse | undefined, c: Chooser): string {
  switch (course?.kind) {
    case 'seasonal':
      return c.pick(['One dose is all that is needed this season; the next one will be offered next season.', 'This is a once-a-season vaccine, so nothing more is due until next season.']);
    case 'booster':
      return c.pick(['No other dose is needed now; we will remind you when the next booster is due.', 'That booster is all you need for now; the next one is years away and we will remind you.']);
    case 'single':
      return c.pick(['This vaccine is given once, so no more doses are needed.', 'No further doses of this vaccine are needed.']);
    case 'series':
      if (course.dose !== undefined && course.dose >= course.of) return c.pick(['That dose completes the series; no more doses are needed.', 'This was the last dose of the series.']);
      return c.pick(['The next dose in the series will be scheduled at a routine visit.', 'The rest of the series will be given at the upcoming routine visits.']);
    default:
      return c.pick(['Please check the immunization schedule in the portal for any doses still due.', 'We will let you know if any other vaccines are due.']);
  }
}

export function writePortalMessage(sheet: FactSheet, style: ClinicianStyle, c: Chooser): NoteOutput {
  const p = sheet.patient;
  const note = new NoteBuilder(c.pick(['Patient Portal Message', 'MyChart Message', 'Secure Message']));
  const given = sheet.facts.filter((f) => f.kind === 'immunization');
  const bp = sheet.facts.find((f) => f.id === 'vital.bp');
  const weight = sheet.facts.find((f) => f.id === 'vital.bodyWeight');
  const doctor = sheet.encounter.author.split(' ').slice(-1)[0] ?? sheet.encounter.author;
  const sender = p.age < 18 ? c.pick(['Parent of patient', 'Guardian (proxy access)']) : `${p.givenName} ${p.familyName}`;

  const msg = note.section(`From ${sender}`);
  const reply = note.section(c.pick(['Reply', 'Response from care team', 'Clinic response']));
  const greeting = c.pick([`Hi Dr. ${doctor},`, `Hello Dr. ${doctor},`, 'Hello,', `Dear Dr. ${doctor},`]);
  const thanks = c.pick(['Thanks!', 'Thank you.', 'Thanks so much.', 'Appreciate it.']);
  const first = given[0];
  // Patients write dates as they read them on the calendar (11/21/2017), not as ISO dates.
  const [year, month, day] = sheet.encounter.date.split('-');
  const visitDate = `${Number(month)}/${Number(day)}/${year}`;
  // A result from this visit that belongs to a problem: the question patients most often send.
  const lab = sheet.facts.find((f) => f.kind === 'lab' && f.value !== undefined && f.date === sheet.encounter.date && f.relatesTo !== undefined);
  if (lab !== undefined && p.age >= 18 && c.chance(0.7)) {
    const flag = labFlag(lab);
    msg.add(`${greeting} ${c.pick(['I saw my lab results in the portal: ', 'I got my results back: ', 'quick question about my labs: '])}`);
    msg.fact(labText(lab, c), lab.id);
    msg.add(`. ${c.pick(['What does that mean for me?', 'Is that good or bad?', 'Do I need to change anything?', 'Should I be worried?'])} ${thanks}`);
    reply.add(c.pick(['Thanks for your message. ', 'Good question. ', 'Thank you for checking in. ']));
    reply.add(c.pick(['Your result of ', 'The value of ', 'Your ']));
    reply.fact(labText({ ...lab, synonyms: [] }, c), lab.id);
    reply.add(
      flag === 'high'
        ? c.pick([' is higher than the range we aim for. Let us talk about next steps at your follow-up visit.', ' is above the target range, so we will keep working on it together. Please keep taking your medicines as prescribed.'])
        : flag === 'low'
          ? c.pick([' is a little below the usual range. We will recheck it at your next visit.', ' is slightly low; nothing urgent, and we will repeat it next time.'])
          : c.pick([' is within the normal range. Keep up the good work.', ' looks good and is in the expected range.']),
    );
  } else if (first !== undefined) {
    // Patients name a vaccine as they know it ("the flu shot"), never by its CVX description.
    const lay = first.synonyms?.[0];
    msg.add(`${greeting} ${p.age < 18 ? 'my child' : 'I'} got the `);
    if (lay !== undefined) msg.fact(lay, first.id);
    else msg.fact(first.label, first.id).add(` ${c.pick(['vaccine', 'shot'])}`);
    // The reply answers the question asked: when the next dose is due follows the vaccine's course.
    const oral = first.code !== undefined && ORAL_CVX.has(first.code.code);
    const limb = p.age < 3 ? 'leg' : 'arm';
    const questions = oral ? ['next', 'effects'] : ['sore', 'relief', 'next', 'effects'];
    const question = c.pick(questions);
    const asked = {
      sore: `The ${limb} is a little sore today. Is that normal?`,
      relief: 'Is it okay to take something for the soreness?',
      next: 'When is the next dose due?',
      effects: 'Should we expect any side effects?',
    }[question]!;
    msg.add(` at the visit on ${visitDate}. ${asked} ${thanks}`);
    if (question === 'next') {
      reply.add(c.pick(['Thanks for reaching out. ', 'Good question. ', '']));
      reply.add(nextDoseLine(first.course, c));
    } else {
      reply.add(
        oral
          ? c.pick(['Mild fussiness or a loose stool for a day or two can happen and is expected. ', 'Side effects are uncommon and usually mild, such as some fussiness. '])
          : c.pick([
              'Mild soreness at the injection site for a day or two is common and expected. A cool compress can help. ',
              'Thanks for reaching out. Some soreness or redness where the shot was given is normal and usually settles within 48 hours. ',
              'Soreness, redness or a low-grade temperature for a day or two are common after this vaccine. ',
            ]),
      );
      reply.add(c.pick(['Please call the clinic if you notice swelling that spreads or a high temperature.', 'Let us know if symptoms get worse or do not improve.', nextDoseLine(first.course, c)]));
    }
  } else if (bp?.components !== undefined) {
    const [sys, dia] = [bp.components[0]!.value, bp.components[1]!.value];
    const short = c.chance(0.5);
    msg.add(`${greeting} at ${p.age < 18 ? "my child's" : 'my'} appointment on ${visitDate} ${p.age < 18 ? 'their' : 'my'} ${short ? 'BP' : 'blood pressure'} was `);
    msg.fact(short ? `${sys}/${dia}` : `${sys}/${dia} mmHg`, bp.id);
    // Composed from independently chosen parts so no two patients' messages run the same 50 tokens (the memorization guard).
    const child = p.age < 18;
    msg.add('. ');
    msg.add(c.pick(child ? ['The nurse said it was a bit high for their age. ', 'They seemed nervous at the time. ', '', 'We have never had it checked before. '] : ['I felt fine that day. ', 'I had rushed to get there on time. ', '', 'I had coffee just before. ', 'It has been on my mind since. ', 'I do not have a cuff at home. ']));
    msg.add(c.pick(['Is that something I should worry about?', 'Should I be checking it at home?', 'Is that in a normal range?', 'What number should I be aiming for?', 'Does that need a follow-up?', 'Is that too high?']));
    msg.add(` ${thanks}`);
    const high = sys >= 130 || dia >= 80;
    const reading = `${sys}/${dia}`;
    reply.add(
      high
        ? c.pick([`A reading of ${reading} is a little above where we like it. `, `${reading} is mildly elevated. `, `Thanks for asking about the ${reading}: it is somewhat high. `, `That reading (${reading}) is higher than ideal. `])
        : c.pick([`${reading} is in the normal range. `, `A reading of ${reading} is healthy, nothing to worry about. `, `Good news: ${reading} is a normal reading. `, `That number, ${reading}, is fine. `]),
    );
    if (high) {
      reply.add(c.pick(['One reading in clinic can run high from nerves or rushing. ', 'A single office reading is not a diagnosis. ', '', 'Readings vary over the day. ']));
      reply.add(c.pick(['Please check it at home a few times over the next two weeks and send us the numbers. ', 'Let us recheck it at a nurse visit in a few weeks. ', 'We will repeat it at your next visit. ', 'Home readings, seated and rested, twice a day for a week would help. ']));
      reply.add(c.pick(['Less salt and regular activity help. ', '', 'Call sooner for a headache, chest pain or vision changes. ']));
    } else reply.add(c.pick(['No home checks are needed. ', 'We will check it again at the routine visit. ', '']));
    reply.add(c.pick(['Feel free to message with any other questions.', 'We are happy to help with anything else.', 'Write back any time.', 'Let us know if anything changes.']));
  } else if (weight !== undefined) {
    msg.add(`${greeting} ${p.age < 18 ? "my child's" : 'my'} weight at the visit was `);
    msg.fact(`${weight.value} kg`, weight.id);
    msg.add(`. ${c.pick(p.age < 18 ? ['Is that on track for their age?', 'Should we be worried about growth?'] : ['Can you recommend a nutrition program?', 'Is that a healthy weight for me?'])} ${thanks}`);
    reply.add(c.pick(['Happy to talk about this. Let us set up a visit to go over diet and activity goals.', 'Good question. We can review this together at your next visit and make a plan.']));
  } else {
    msg.add(`${greeting} ${c.pick(['could you send me a copy of my visit summary', 'can I get my immunization record for school', 'I wanted to confirm my next appointment'])}? ${thanks}`);
    reply.add(c.pick(['Done: it is now available under Documents in the portal.', 'We have sent it to you through the portal.', 'Yes, you can find it under Visits in the portal.']));
  }
  reply.add(`\n${c.pick(['--', 'Best,', 'Regards,'])} ${c.pick([`Dr. ${doctor}`, `${sheet.encounter.author}, MD`, 'Care team'])}`);
  return note.build();
}
