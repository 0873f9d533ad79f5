/**
 * The header and footer a note carries in a real chart: who the patient is (name, MRN, date of
 * birth and age), the visit (date of service, account number, facility, department, room), the
 * clinicians (attending, referring doctor, the signer's EHR login and licence), and the numbers to
 * call back. Built from the record, so every value agrees with the FHIR bundle and with the other
 * notes of the patient; the writer never sees or writes it. Each value is tagged as it is written
 * ({@link TaggedText}), so the note's PHI spans are known by construction, in the i2b2 2014 tag set.
 *
 * Formats vary the way they vary between EHRs (one style per facility): "03/14/2021",
 * "14-Mar-2021", "March 14, 2021"; "(617) 555-0142", "617.555.0142"; "Dr. Chen", "K. Chen, MD".
 */
import { departmentOfSpecialty, EMERGENCY_DEPARTMENT, GENERAL_DEPARTMENT } from '../../knowledge/departments.js';
import { Faker, base, en, en_US } from '@faker-js/faker';
import { isElectronicEra, npiIssued } from '../../knowledge/document-eras.js';
import { loadStates } from '../../knowledge/population.js';
import { murmur3String } from '../../core/murmur3.js';
import { instantToDate, MS_PER_DAY, type Instant } from '../../core/time.js';
import type { Address, Encounter, Organization, PatientRecord, Practitioner } from '../../record/types.js';
import type { NoteType } from '../facts.js';
import type { NoteOutput, NoteSection } from '../note-output.js';
import { phiCategoryOf, type PhiSpan } from './phi-tags.js';
import { TaggedText } from './tagged-text.js';

export interface FrameContext {
  readonly record: PatientRecord;
  readonly encounter: Encounter;
  readonly noteType: NoteType;
  /** When the note is written. */
  readonly time: Instant;
  /** The patient's age in whole years on the fact sheet (the identity check holds the header to it). */
  readonly age: number;
}

/** A section of the frame with its PHI, offsets relative to the section text. */
export interface FramePart {
  readonly heading: string;
  readonly text: string;
  readonly spans: readonly PhiSpan[];
  /** Where the header's last line, the ambulance arrival ("Arrival mode: EMS, ambulance unit M-12"), starts. */
  readonly arrivalLineAt?: number;
}

export interface NoteFrame {
  readonly header: FramePart;
  readonly footer: FramePart;
  /** PHI values the body may repeat (the patient's and clinicians' names, the facility), for locating them there. */
  readonly bodyValues: readonly { readonly text: string; readonly type: PhiSpan['type'] }[];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

let faker: Faker | undefined;
/** A faker whose draws depend only on `key` (seeded per value, so adding a field never shifts another). */
function fakerFor(key: string): Faker {
  faker ??= new Faker({ locale: [en_US, en, base] });
  faker.seed(murmur3String(key));
  return faker;
}

/** A number in [0, n) fixed by `key`. */
function pick(key: string, n: number): number {
  return murmur3String(key) % n;
}

function digits(key: string, count: number): string {
  let out = '';
  for (let i = 0; out.length < count; i++) out += String(murmur3String(`${key}#${i}`)).padStart(10, '0');
  return out.slice(0, count);
}

/** How one facility's EHR prints values. */
interface Style {
  readonly layout: 0 | 1 | 2;
  readonly date: 0 | 1 | 2;
  readonly phone: 0 | 1 | 2;
  readonly doctor: 0 | 1 | 2;
}

function styleOf(organizationId: string): Style {
  return {
    layout: pick(`${organizationId}|layout`, 3) as Style['layout'],
    date: pick(`${organizationId}|date`, 3) as Style['date'],
    phone: pick(`${organizationId}|phone`, 3) as Style['phone'],
    doctor: pick(`${organizationId}|doctor`, 3) as Style['doctor'],
  };
}

function formatDate(iso: string, style: Style['date']): string {
  const [y, m, d] = iso.split('-');
  const month = MONTHS[Number(m) - 1]!;
  switch (style) {
    case 0:
      return `${m}/${d}/${y}`;
    case 1:
      return `${d}-${month.slice(0, 3)}-${y}`;
    case 2:
      return `${month} ${Number(d)}, ${y}`;
  }
}

/** "3/14": the short date of dictation footers. */
function shortDate(iso: string): string {
  const [, m, d] = iso.split('-');
  return `${Number(m)}/${Number(d)}`;
}

function formatPhone(phone: string, style: Style['phone']): string {
  const n = phone.replace(/\D/g, '').slice(-10);
  const [a, b, c] = [n.slice(0, 3), n.slice(3, 6), n.slice(6)];
  return style === 0 ? `(${a}) ${b}-${c}` : style === 1 ? `${a}.${b}.${c}` : `${a}-${b}-${c}`;
}

/** The fax line of a phone number's office: the next number in the 555-01xx block. */
function faxOf(phone: string): string {
  const n = phone.replace(/\D/g, '');
  const last = (Number(n.slice(-2)) + 1) % 100;
  return `${n.slice(0, -2)}${String(last).padStart(2, '0')}`;
}

interface Doctor {
  readonly given: string;
  readonly family: string;
}

/** A doctor's name as the facility prints it, never "<patient's given name> <Surname>" (the identity check reads that as the patient). */
function doctorName(doc: Doctor, style: Style['doctor'], patientGiven: string): string {
  const given = doc.given === patientGiven ? `${doc.given[0]}.` : doc.given;
  switch (style) {
    case 0:
      return `${given} ${doc.family}, MD`;
    case 1:
      return `${doc.given[0]}. ${doc.family}, MD`;
    case 2:
      return `Dr. ${doc.family}`;
  }
}

function departmentOf(practitioner: Practitioner | undefined, encounter: Encounter): string {
  if (encounter.class === 'EMER') return EMERGENCY_DEPARTMENT;
  return practitioner === undefined ? GENERAL_DEPARTMENT : departmentOfSpecialty(practitioner.specialty.display);
}

/** "Michigan", not "MI": a two-letter state reads as an abbreviation ("MI", "MS") to the grounding checks, and to readers. */
function stateName(code: string): string {
  return loadStates().find((s) => s.code === code)?.name ?? code;
}

function street(address: Address): string {
  return address.line.join(', ');
}

/** The frame of one note. Pure: the same record, encounter and note type give the same frame. */
export function noteFrame(ctx: FrameContext): NoteFrame {
  const { record, encounter, noteType } = ctx;
  const d = record.demographics;
  const given = d.givenNames[0]!;
  const org: Organization | undefined = record.providers.organizations.find((o) => o.id === encounter.organizationId);
  const location = record.providers.locations.find((l) => l.id === encounter.locationId);
  const practitioners = record.providers.practitioners;
  const author = practitioners.find((p) => p.id === encounter.practitionerId);
  // The referring doctor: the one the record names (a specialist consult's), else the clinician of the
  // patient's most recent primary-care visit (at a clinic, not a hospital's specialist) by someone else.
  const clinics = new Set(record.providers.organizations.filter((o) => o.kind !== 'hospital').map((o) => o.id));
  const referrerId =
    encounter.referrerId ??
    [...record.encounters]
      .filter((e) => e.start <= encounter.start && e.class === 'AMB' && clinics.has(e.organizationId) && e.practitionerId !== encounter.practitionerId)
      .at(-1)?.practitionerId;
  const referrer = practitioners.find((p) => p.id === referrerId);
  const style = styleOf(encounter.organizationId);
  const date = (t: Instant) => formatDate(instantToDate(t), style.date);
  const patientKey = record.id;
  const noteKey = `${record.id}|${encounter.id}|${noteType}`;
  const doc = (p: Practitioner | undefined) => (p === undefined ? undefined : doctorName({ given: p.givenNames[0]!, family: p.familyName }, style.doctor, given));
  const hospitalName = org?.name ?? 'the clinic';
  const site = location !== undefined && org !== undefined && location.name.startsWith(`${org.name} `) ? location.name.slice(org.name.length + 1) : undefined;
  const department = departmentOf(author, encounter);
  // "Robel Family Medicine" already names its specialty: printing its Family Medicine department after it doubles the words.
  const namedDepartment = hospitalName.endsWith(` ${department}`) ? undefined : department;
  const account = digits(`${encounter.id}|account`, 9);
  const inpatient = encounter.class === 'IMP';
  const ageYears = ctx.age;
  const ageMonths = Math.floor((encounter.start - d.birthTime) / (MS_PER_DAY * 30.4375));

  const h = new TaggedText();
  // A name is one PATIENT span, "Moen, Destinee" as "Destinee Moen": i2b2 2014 tags the name, not its parts.
  const dobAge = new TaggedText().tag(date(d.birthTime), 'DATE').add(' (');
  if (ageYears >= 2) dobAge.tag(String(ageYears), 'AGE').add(' y.o.)');
  else dobAge.tag(String(Math.max(0, ageMonths)), 'AGE').add(' mo)');
  const mrn = d.mrn.replace(/^MRN/, '');
  const visitLabel = inpatient ? 'Admission date' : encounter.class === 'EMER' ? 'Arrival' : 'Date of service';
  if (style.layout === 0) {
    h.add('Patient: ').tag(`${d.familyName}, ${given}`, 'PATIENT').add('    MRN: ').tag(mrn, 'MEDICALRECORD').add('    DOB: ').append(dobAge).add('\n');
    h.add(`${visitLabel}: `).tag(date(encounter.start), 'DATE').add('    Acct #: ').tag(account, 'ACCOUNT').add('\n');
    h.add('Facility: ').tag(hospitalName, 'HOSPITAL');
    if (site !== undefined) h.add(', ').tag(site, 'LOCATION-OTHER');
    if (namedDepartment !== undefined) h.add(' - ').tag(namedDepartment, 'DEPARTMENT');
  } else if (style.layout === 1) {
    h.add('Name: ').tag(`${given} ${d.familyName}`, 'PATIENT').add('\n');
    h.add('MRN: ').tag(mrn, 'MEDICALRECORD').add('\nDOB: ').append(dobAge).add('\n');
    h.add(`${visitLabel}: `).tag(date(encounter.start), 'DATE').add('\nEncounter #: ').tag(account, 'ACCOUNT').add('\n');
    h.add('Location: ');
    if (namedDepartment !== undefined) h.tag(namedDepartment, 'DEPARTMENT').add(', ');
    h.tag(hospitalName, 'HOSPITAL');
    if (site !== undefined) h.add(' (').tag(site, 'LOCATION-OTHER').add(')');
  } else {
    h.tag(`${d.familyName.toUpperCase()}, ${given.toUpperCase()}`, 'PATIENT').add('  |  MR# ').tag(mrn, 'MEDICALRECORD').add('  |  FIN ').tag(account, 'ACCOUNT').add('\n');
    h.add('DOB ').append(dobAge).add('  |  Seen ').tag(date(encounter.start), 'DATE').add('\n');
    // A label between the names: "Robel Family Medicine Internal Medicine" run together reads as one doubled name.
    h.tag(hospitalName, 'HOSPITAL');
    if (site !== undefined) h.add(', ').tag(site, 'LOCATION-OTHER');
    if (namedDepartment !== undefined) h.add('  |  Dept: ').tag(namedDepartment, 'DEPARTMENT');
  }
  if (inpatient || encounter.class === 'EMER') {
    const room = inpatient ? `${2 + pick(`${encounter.id}|floor`, 6)}${String(1 + pick(`${encounter.id}|room`, 40)).padStart(2, '0')}` : `${1 + pick(`${encounter.id}|bay`, 24)}`;
    h.add(inpatient ? '    Room: ' : '    ED bed: ').tag(room, 'ROOM');
  }
  // An H&P is written at admission: its header cannot know the discharge (only the discharge summary's does).
  if (inpatient && encounter.end > encounter.start && noteType !== 'history-and-physical') h.add('\nDischarge date: ').tag(date(encounter.end), 'DATE');
  const attending = doc(author);
  if (attending !== undefined) h.add(inpatient ? '\nAttending: ' : '\nProvider: ').tag(attending, 'DOCTOR');
  const referring = doc(referrer);
  if (referring !== undefined && noteType !== 'portal-message') h.add(noteType === 'consult-note' ? '\nReferring physician: ' : '\nPCP: ').tag(referring, 'DOCTOR');
  if (noteType === 'radiology-report') {
    const f = fakerFor(`${noteKey}|device`);
    h.add('\nAccession #: ').tag(`RAD${instantToDate(encounter.start).slice(0, 4)}${digits(`${noteKey}|accession`, 6)}`, 'IDNUM');
    h.add('\nScanner: ').add(['GE', 'Siemens', 'Philips', 'Canon'][pick(`${encounter.organizationId}|vendor`, 4)]!).add(' unit, serial ').tag(f.string.alphanumeric({ length: 8, casing: 'upper' }), 'DEVICE');
  }
  if (noteType === 'history-and-physical') {
    // No BIOID line: a chart's header carries no biometric identifier (i2b2 tags one only where a note happens to mention it), and an invented "palm-vein scan ID" reads as no real header does.
    h.add('\nSSN: ').tag(d.ssn, 'SSN');
  }
  const emsAt = h.toString().length;
  if (encounter.class === 'EMER' && pick(`${encounter.id}|ems`, 3) === 0) {
    h.add('\nArrival mode: EMS, ambulance unit ').tag(`${['M', 'A', 'R'][pick(`${encounter.organizationId}|ems`, 3)]}-${10 + pick(`${encounter.id}|unit`, 80)}`, 'VEHICLE');
  }

  const f = new TaggedText();
  const phoneOf = (p: string) => formatPhone(p, style.phone);
  const orgPhone = org?.phone ?? d.phone;
  const signer = author === undefined ? undefined : { doc: doc(author)!, login: `${author.givenNames[0]![0]!.toLowerCase()}${author.familyName.toLowerCase().replace(/[^a-z]/g, '').slice(0, 7)}${pick(`${author.id}|login`, 90) + 10}` };
  const signedAt = new Date(ctx.time).toISOString().slice(11, 16);
  if (noteType === 'portal-message') {
    const pf = fakerFor(`${patientKey}|portal`);
    const slug = hospitalName.toLowerCase().replace(/[^a-z]/g, '');
    f.add('Sent via ').tag(`https://mychart.${slug}.org`, 'URL').add(' from ').tag(pf.internet.ipv4(), 'IPADDR').add(' on ').tag(date(ctx.time), 'DATE');
    if (d.email !== undefined) f.add('\nReply to: ').tag(d.email, 'EMAIL');
    f.add('\nFor urgent concerns call ').tag(phoneOf(orgPhone), 'PHONE').add('.');
  } else {
    // Paper-era notes (the organization not yet on an electronic record) were dictated, transcribed and signed by hand: no login, no time stamp.
    const electronic = isElectronicEra(encounter.organizationId, ctx.time);
    if (!electronic) {
      if (signer !== undefined) f.add('Dictated by ').tag(signer.doc, 'DOCTOR').add('; transcribed ').tag(date(ctx.time), 'DATE').add('; signed by hand');
      else f.add('Dictated; transcribed ').tag(date(ctx.time), 'DATE');
    } else if (signer !== undefined) f.add('Electronically signed by ').tag(signer.doc, 'DOCTOR').add(' (').tag(signer.login, 'USERNAME').add(') on ').tag(date(ctx.time), 'DATE').add(` ${signedAt}`);
    else f.add('Electronically signed on ').tag(date(ctx.time), 'DATE');
    if (author !== undefined) {
      const state = org?.address.state ?? d.address.state;
      f.add('\nLic. ').tag(`${state}${digits(`${author.id}|license`, 6)}`, 'LICENSE');
      // No NPI before NPIs were issued.
      if (npiIssued(ctx.time)) f.add('  NPI ').tag(author.npi, 'IDNUM');
    }
    if (noteType === 'discharge-summary' || noteType === 'ed-note' || noteType === 'consult-note') {
      f.add('\nD: ').tag(shortDate(instantToDate(ctx.time)), 'DATE').add('  T: ').tag(shortDate(instantToDate(ctx.time + MS_PER_DAY)), 'DATE');
    }
    f.add(`\nQuestions: ${department} `).tag(phoneOf(orgPhone), 'PHONE').add(', fax ').tag(phoneOf(faxOf(orgPhone)), 'FAX');
  }
  if (noteType === 'discharge-summary' || noteType === 'history-and-physical') {
    const sf = fakerFor(`${patientKey}|social`);
    f.add('\nHome address: ').tag(street(d.address), 'STREET').add(', ').tag(d.address.city, 'CITY').add(', ').tag(stateName(d.address.state), 'STATE').add(' ').tag(d.address.postalCode, 'ZIP').add(', ').tag('USA', 'COUNTRY');
    f.add('\nHome phone: ').tag(phoneOf(d.phone), 'PHONE');
    if (ageYears >= 18) f.add('\nOccupation: ').tag(sf.person.jobType().toLowerCase(), 'PROFESSION');
    const plan = `${sf.company.name().replace(/[,.]/g, '')} Health Plan`;
    f.add('\nInsurance: ').tag(plan, 'ORGANIZATION').add(', member ID ').tag(`${sf.string.alpha({ length: 3, casing: 'upper' })}${digits(`${patientKey}|member`, 9)}`, 'HEALTHPLAN');
  }

  const bodyValues: { text: string; type: PhiSpan['type'] }[] = [
    { text: `${given} ${d.familyName}`, type: 'PATIENT' },
    { text: given, type: 'PATIENT' },
    { text: d.familyName, type: 'PATIENT' },
    { text: hospitalName, type: 'HOSPITAL' },
  ];
  for (const p of [author, referrer]) {
    if (p === undefined) continue;
    bodyValues.push({ text: `${p.givenNames[0]} ${p.familyName}`, type: 'DOCTOR' }, { text: `Dr. ${p.familyName}`, type: 'DOCTOR' });
  }
  return {
    header: { heading: 'Patient Information', text: h.toString(), spans: h.spansAt(0), ...(emsAt < h.toString().length && encounter.class === 'EMER' ? { arrivalLineAt: emsAt } : {}) },
    footer: { heading: noteType === 'portal-message' ? 'Message Details' : 'Authentication', text: f.toString(), spans: f.spansAt(0) },
    bodyValues,
  };
}

/** A body that says how the patient came in other than by ambulance ("arrives by private vehicle"). */
const NOT_BY_AMBULANCE = /\b(?:private vehicle|walked in|walk-in|brought in by (?:his|her|their) (?:mother|father|parents?|family))\b/i;

/**
 * The frame as it fits the note: without the ambulance line when the body says the patient came
 * some other way (the header would contradict the HPI). Used to compose the note and, on the
 * composed note, to find its PHI, so both read the same header.
 */
export function fitFrame(frame: NoteFrame, note: NoteOutput): NoteFrame {
  const at = frame.header.arrivalLineAt;
  if (at === undefined || !note.sections.some((s) => s.heading !== frame.header.heading && NOT_BY_AMBULANCE.test(s.text))) return frame;
  const { arrivalLineAt: _cut, ...header } = frame.header;
  return { ...frame, header: { ...header, text: header.text.slice(0, at), spans: header.spans.filter((s) => s.end <= at) } };
}

/** PHI categories whose values are words a clinical reader could mistake for a statement ("Kenvir", a town). */
const NAMED_CATEGORIES: ReadonlySet<string> = new Set(['NAME', 'LOCATION', 'PROFESSION']);

/** The names and places the frame writes, header, footer and the values the body may repeat. */
export function framePhiNames(frame: NoteFrame): string[] {
  const of = (part: FramePart) => part.spans.filter((s) => NAMED_CATEGORIES.has(s.category)).map((s) => s.text);
  const body = frame.bodyValues.filter((v) => NAMED_CATEGORIES.has(phiCategoryOf(v.type))).map((v) => v.text);
  return [...new Set([...of(frame.header), ...of(frame.footer), ...body])];
}

/** The note with the frame's header as its first section and its footer as its last. */
export function frameNote(note: NoteOutput, unfitted: NoteFrame): NoteOutput {
  const frame = fitFrame(unfitted, note);
  const header: NoteSection = { heading: frame.header.heading, text: frame.header.text };
  const footer: NoteSection = { heading: frame.footer.heading, text: frame.footer.text };
  return { ...note, sections: [header, ...note.sections, footer] };
}
