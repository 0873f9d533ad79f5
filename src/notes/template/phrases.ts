/** Phrasing shared by the note types: how patients are referred to, vitals written, notes signed. */
import type { Fact, FactSheet } from '../facts.js';
import type { Chooser } from './chooser.js';
import type { NoteBuilder, SectionWriter } from './note-builder.js';
import type { ClinicianStyle } from './style.js';

/** Writes text about the encounter itself, citing the encounter fact when the sheet has one. */
export function writeEncounterText(s: SectionWriter, sheet: FactSheet, text: string): void {
  if (sheet.facts.some((f) => f.id === 'encounter.type')) s.fact(text, 'encounter.type');
  else s.add(text);
}

export function listJoin(items: readonly string[], conjunction: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** "58-year-old", or "7-month-old" / "10-day-old" for infants. */
export function ageText(sheet: FactSheet): string {
  const { age, birthDate } = sheet.patient;
  if (age >= 2) return `${age}-year-old`;
  const days = Math.round((Date.parse(sheet.encounter.date) - Date.parse(birthDate)) / 86_400_000);
  if (days < 31) return `${Math.max(1, days)}-day-old`;
  const months = Math.floor(days / 30.44);
  return `${months}-month-old`;
}

export function ageNoun(sheet: FactSheet): string {
  const { age, sex } = sheet.patient;
  if (age < 2) return sex === 'male' ? 'male infant' : 'female infant';
  if (age < 13) return sex === 'male' ? 'boy' : 'girl';
  if (age < 18) return sex === 'male' ? 'male adolescent' : 'female adolescent';
  return sex === 'male' ? 'man' : 'woman';
}

export function patientRef(sheet: FactSheet, style: ClinicianStyle, c: Chooser): string {
  const p = sheet.patient;
  if (!style.usesPatientName) return c.pick(['Patient', 'The patient', 'Pt']);
  if (p.age < 18) return p.givenName;
  return c.pick([`${p.givenName} ${p.familyName}`, p.sex === 'male' ? `Mr. ${p.familyName}` : `Ms. ${p.familyName}`, p.givenName]);
}

export function visitReason(sheet: FactSheet, c: Chooser): string {
  const t = sheet.encounter.type;
  if (/vaccine|immuniz/i.test(t)) return c.pick(['Immunizations', 'Vaccine administration', 'Scheduled vaccines']);
  if (/Well child/i.test(t)) return c.pick(['Well child visit', 'Well-child check', 'Routine well child exam']);
  if (/General examination/i.test(t)) return c.pick(['Annual physical', 'Routine physical exam', 'Preventive visit', 'Annual exam']);
  if (/Follow-up encounter/i.test(t)) return c.pick(['Follow-up visit', 'Recheck', 'Scheduled follow-up']);
  if (/Encounter for symptom/i.test(t)) return c.pick(['Sick visit', 'Acute visit', 'Same-day visit']);
  return sheet.encounter.reason ?? t;
}

const numberText = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** One vital sign as a clinician writes it, label first so the number checks can find it. */
export function formatVital(f: Fact, style: ClinicianStyle): string {
  const a = style.abbreviates;
  switch (f.id) {
    case 'vital.bp':
      return `${a ? 'BP' : 'Blood pressure'} ${f.components![0]!.value}/${f.components![1]!.value}${a ? '' : ' mmHg'}`;
    case 'vital.heartRate':
      return `${a ? 'HR' : 'Heart rate'} ${numberText(f.value!)}${a ? '' : ' bpm'}`;
    case 'vital.respiratoryRate':
      return `${a ? 'RR' : 'Respiratory rate'} ${numberText(f.value!)}${a ? '' : '/min'}`;
    case 'vital.bodyTemperature':
      return `${a ? 'Temp' : 'Temperature'} ${numberText(f.value!)}${style.temperatureUnit}`;
    case 'vital.oxygenSaturation':
      return `SpO2 ${numberText(f.value!)}%${a ? '' : ' on room air'}`;
    case 'vital.bodyWeight':
      return `${a ? 'Wt' : 'Weight'} ${numberText(f.value!)} kg`;
    case 'vital.bodyHeight':
      return `${a ? 'Ht' : 'Height'} ${numberText(f.value!)} cm`;
    case 'vital.bmi':
      return `BMI ${numberText(f.value!)}`;
    case 'vital.headCircumference':
      return `${a ? 'HC' : 'Head circumference'} ${numberText(f.value!)} cm`;
    default:
      return `${f.label} ${numberText(f.value!)}${f.unit === undefined ? '' : ` ${f.unit}`}`;
  }
}

/** `date`: when the note is signed (a discharge summary on the discharge date), the encounter date by default. */
export function writeSignature(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser, date = sheet.encounter.date): void {
  const s = note.section(heading(style));
  const who = sheet.encounter.author;
  switch (style.signOff) {
    case 'electronic':
      // Before the practice had an electronic record, the same habit is a dictated, hand-signed line.
      s.add(sheet.encounter.electronic === false ? `Dictated and signed by ${who}, MD on ${date}.` : `Electronically signed by ${who}, MD on ${date}.`);
      break;
    case 'dash':
      s.add(`-- ${who}, MD`);
      break;
    case 'plain':
      s.add(`${c.pick(['Seen and examined by', 'Note by', 'Provider:'])} ${who}, MD, ${date}`);
      break;
  }
}

function heading(style: ClinicianStyle): string {
  return style.headingCase === 'upper' ? 'SIGNATURE' : 'Signature';
}

/** Where a patient of this age spends the day: daycare for small children, school for school-age, work for adults. */
export function dayPlace(age: number): string {
  return age < 5 ? 'daycare' : age < 18 ? 'school' : 'work';
}

/** A data phrase written for all ages ("school or work") narrowed to this patient's. */
export function forAge(text: string, age: number): string {
  return text.replaceAll('school or work', dayPlace(age));
}
