/**
 * Fresh surrogates for PHI (de-identification pairs): a value of the same type and shape, drawn
 * from a faker seeded by the note, the same original always getting the same surrogate within a
 * note (so "Chen" stays one person). Dates move by one shift per note and keep their format; IDs
 * and phone numbers keep their shape with new digits (phones stay in the fictional 555-01xx block).
 */
import { Faker, base, en, en_US } from '@faker-js/faker';
import { murmur3String } from '../core/murmur3.js';
import type { PhiSpan } from '../notes/phi/phi-tags.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DEPARTMENTS = ['Internal Medicine', 'Family Medicine', 'Cardiology', 'Pediatrics', 'Hospital Medicine', 'Emergency Department', 'Surgery', 'Neurology'];
const SITES = ['North Campus', 'East Pavilion', 'West Tower', 'South Clinic', 'Riverside Campus'];

let faker: Faker | undefined;

function shiftDate(text: string, days: number): string {
  const move = (y: number, m: number, d: number) => {
    const t = new Date(Date.UTC(y, m - 1, d) + days * 86_400_000);
    return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
  };
  const two = (n: number) => String(n).padStart(2, '0');
  let m: RegExpMatchArray | null;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text))) {
    const r = move(+m[1]!, +m[2]!, +m[3]!);
    return `${r.y}-${two(r.m)}-${two(r.d)}`;
  }
  if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text))) {
    const r = move(+m[3]!, +m[1]!, +m[2]!);
    return m[1]!.length === 2 ? `${two(r.m)}/${two(r.d)}/${r.y}` : `${r.m}/${r.d}/${r.y}`;
  }
  if ((m = /^(\d{1,2})\/(\d{1,2})$/.exec(text))) {
    const r = move(2001, +m[1]!, +m[2]!);
    return `${r.m}/${r.d}`;
  }
  if ((m = /^(\d{1,2})-([A-Z][a-z]{2})-(\d{4})$/.exec(text))) {
    const month = MONTHS.findIndex((x) => x.startsWith(m![2]!)) + 1;
    if (month > 0) {
      const r = move(+m[3]!, month, +m[1]!);
      return `${two(r.d)}-${MONTHS[r.m - 1]!.slice(0, 3)}-${r.y}`;
    }
  }
  if ((m = /^([A-Z][a-z]+) (\d{1,2}), (\d{4})$/.exec(text))) {
    const month = MONTHS.indexOf(m[1]!) + 1;
    if (month > 0) {
      const r = move(+m[3]!, month, +m[2]!);
      return `${MONTHS[r.m - 1]} ${r.d}, ${r.y}`;
    }
  }
  // A lone year ("dx 2012") moves with the note's dates: the year of its 1 July, shifted.
  if ((m = /^(\d{4})$/.exec(text))) return String(move(+m[1]!, 7, 1).y);
  // A form we do not parse: a date of the commonest form, shifted from a fixed day.
  const r = move(2000, 1, 1);
  return `${two(r.m)}/${two(r.d)}/${r.y}`;
}

/** Same shape, new characters: digits for digits, letters for letters (case kept). */
function reshape(f: Faker, text: string): string {
  let out = '';
  for (const ch of text) {
    if (/\d/.test(ch)) out += String(f.number.int({ min: 0, max: 9 }));
    else if (/[A-Z]/.test(ch)) out += f.string.alpha({ length: 1, casing: 'upper' });
    else if (/[a-z]/.test(ch)) out += f.string.alpha({ length: 1, casing: 'lower' });
    else out += ch;
  }
  return out;
}

function fictionalPhone(f: Faker, text: string): string {
  const digits = text.replace(/\D/g, '');
  if (digits.length !== 10) return reshape(f, text);
  const fresh = `${f.number.int({ min: 201, max: 989 })}55501${String(f.number.int({ min: 0, max: 99 })).padStart(2, '0')}`;
  let k = 0;
  return text.replace(/\d/g, () => fresh[k++]!);
}

function nameLike(f: Faker, text: string): string {
  // Keep the shape: "Dr. Chen", "K. Chen, MD", "CHEN, KEVIN", "Kevin Chen".
  return text.replace(/\p{Lu}[\p{L}'-]+/gu, (word) => {
    if (word === 'Dr' || word === 'MD' || word === 'DO' || word === 'NP' || word === 'PA') return word;
    const fresh = f.person.lastName().replace(/[^\p{L}'-]/gu, '');
    return word === word.toUpperCase() ? fresh.toUpperCase() : fresh;
  });
}

/** A surrogate for each PHI span of a note, consistent within the note. */
export function surrogatesFor(noteKey: string, spans: readonly PhiSpan[]): string[] {
  faker ??= new Faker({ locale: [en_US, en, base] });
  const f = faker;
  f.seed(murmur3String(`${noteKey}|surrogate`));
  const days = f.number.int({ min: -365 * 3, max: 365 * 3 });
  const seen = new Map<string, string>();
  return spans.map((s) => {
    const key = `${s.type}|${s.text}`;
    const prior = seen.get(key);
    if (prior !== undefined) return prior;
    let value: string;
    switch (s.type) {
      case 'PATIENT':
      case 'DOCTOR':
        value = nameLike(f, s.text);
        break;
      case 'USERNAME':
        value = f.internet.username().toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10) || 'user1';
        break;
      case 'DATE':
        value = shiftDate(s.text, days);
        break;
      case 'AGE':
        value = s.text;
        break;
      case 'PHONE':
      case 'FAX':
        value = fictionalPhone(f, s.text);
        break;
      case 'EMAIL':
        value = `${f.person.firstName().toLowerCase()}.${f.person.lastName().toLowerCase()}@example.org`.replace(/[^a-z.@]/g, '');
        break;
      case 'URL':
        value = `https://portal.${f.internet.domainWord()}.org`;
        break;
      case 'IPADDR':
        value = f.internet.ipv4();
        break;
      case 'HOSPITAL':
        value = `${f.person.lastName()} ${['Medical Center', 'Community Hospital', 'Health Center', 'Clinic'][f.number.int({ min: 0, max: 3 })]}`;
        break;
      case 'ORGANIZATION':
        value = `${f.company.name().replace(/[,.]/g, '')} Health Plan`;
        break;
      case 'DEPARTMENT':
        value = f.helpers.arrayElement(DEPARTMENTS);
        break;
      case 'LOCATION-OTHER':
        value = f.helpers.arrayElement(SITES);
        break;
      case 'STREET':
        value = f.location.streetAddress();
        break;
      case 'CITY':
        value = f.location.city();
        break;
      case 'STATE':
        value = f.location.state();
        break;
      case 'ZIP':
        value = f.location.zipCode('#####');
        break;
      case 'COUNTRY':
        value = s.text;
        break;
      case 'PROFESSION':
        value = f.person.jobType().toLowerCase();
        break;
      default:
        value = reshape(f, s.text);
    }
    seen.set(key, value);
    return value;
  });
}
