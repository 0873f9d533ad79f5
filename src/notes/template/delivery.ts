/**
 * The delivery in a delivery admission's notes, from the sheet's birth facts: gestational age
 * ("at 39 weeks 2 days"), how the baby was delivered, and the newborn ("viable female infant,
 * 3410 g, Apgars 8 and 9"). The H&P is written on admission, before the birth, so it states the
 * gestational age only; the discharge summary states the outcome.
 */
import { gestationalAgeDays, gestationalAgeText } from '../../record/gestational-age.js';
import type { Fact, FactSheet } from '../facts.js';
import type { Chooser } from './chooser.js';
import type { SectionWriter } from './note-builder.js';
import { inSentence } from './sections.js';

interface BirthFacts {
  readonly gestationalAge: Fact;
  readonly method: Fact;
  readonly sex: Fact;
  readonly weight: Fact;
  readonly apgar: Fact;
}

/** The sheet's delivery, when the encounter is a delivery admission with its birth charted. */
export function birthFacts(sheet: FactSheet): BirthFacts | undefined {
  const get = (id: string): Fact | undefined => sheet.facts.find((f) => f.id === id);
  const gestationalAge = get('birth.gestationalAge');
  const method = get('birth.method');
  const sex = get('birth.sex');
  const weight = get('birth.weight');
  const apgar = get('birth.apgar');
  if (gestationalAge === undefined || method === undefined || sex === undefined || weight === undefined || apgar === undefined) return undefined;
  return { gestationalAge, method, sex, weight, apgar };
}

/** Whether the birth came before 37 completed weeks. */
export function isPreterm(b: BirthFacts): boolean {
  return gestationalAgeDays(b.gestationalAge.value!) < 37 * 7;
}

/** "39 weeks 2 days" (a cited mention of the gestational age). */
export function writeGestationalAge(s: SectionWriter, b: BirthFacts): void {
  s.fact(gestationalAgeText(gestationalAgeDays(b.gestationalAge.value!)), b.gestationalAge.id);
}

/** "female infant, birth weight 3410 g, Apgars 8 and 9" (each a cited mention). */
export function writeNewborn(s: SectionWriter, b: BirthFacts, c: Chooser): void {
  s.add(c.pick(['a viable ', 'a live-born ', 'a liveborn ']));
  s.fact(b.sex.label, b.sex.id);
  s.add(', ');
  const grams = `${b.weight.value!} g`;
  if (c.chance(0.5)) s.fact(`birth weight ${grams}`, b.weight.id);
  else s.fact(grams, b.weight.id);
  s.add(', ');
  const [one, five] = b.apgar.components!;
  s.fact(c.pick([`Apgars ${one!.value} and ${five!.value}`, `Apgars ${one!.value}/${five!.value}`, `Apgar scores ${one!.value} and ${five!.value}`]), b.apgar.id);
  s.add(c.pick(['', ' at 1 and 5 minutes']));
}

/** "underwent vaginal delivery of a viable female infant, ..." */
export function writeDelivery(s: SectionWriter, b: BirthFacts, c: Chooser): void {
  s.add(c.pick(['underwent ', 'had a ']));
  s.fact(inSentence(b.method.label), b.method.id);
  s.add(' of ');
  writeNewborn(s, b, c);
}

/** The H&P's opening for a delivery admission: her gestational age and why she came in. */
export function writeDeliveryAdmission(s: SectionWriter, b: BirthFacts, c: Chooser): void {
  s.add(c.pick(['at ', 'at a gestational age of ']));
  writeGestationalAge(s, b);
  s.add(isPreterm(b) ? c.pick([' (preterm), ', ', before term, ']) : c.pick([', ', ' ']));
  s.add(c.pick(['admitted to labor and delivery', 'admitted to the obstetric unit', 'presenting to labor and delivery']));
  s.add(/cesarean/i.test(b.method.label) ? c.pick([' for delivery. ', ' for cesarean delivery. ']) : c.pick([' in labor. ', ' with regular contractions. ']));
}

/** The chief complaint of a delivery admission's H&P. */
export function deliveryChiefComplaint(b: BirthFacts, c: Chooser): string {
  if (/cesarean/i.test(b.method.label)) return c.pick(['Admission for delivery', 'Scheduled for cesarean delivery']);
  return isPreterm(b) ? c.pick(['Contractions', 'Preterm contractions']) : c.pick(['Labor', 'Contractions', 'Admission for delivery', 'Term pregnancy, contractions']);
}

/** The closing lines of a delivery stay's notes. */
export const DELIVERY_CLOSINGS = {
  'history-and-physical': ['Admit to labor and delivery; fetal monitoring and labor management per protocol.', 'Admitted to labor and delivery; plan reviewed with the patient.', 'Admit; continuous fetal monitoring; plan discussed with the patient.'],
  'history-and-physical-cesarean': ['Admit for cesarean delivery; risks and benefits discussed with the patient.', 'To the operating room for cesarean delivery; plan reviewed with the patient.', 'Cesarean delivery as planned; plan discussed with the patient.'],
  'discharge-summary': ['Discharged home with the infant in stable condition; postpartum visit in clinic within 6 weeks.', 'Postpartum precautions reviewed; follow-up in obstetric clinic within 6 weeks.', 'Discharged home with her baby; postpartum instructions reviewed.'],
} as const;
