/**
 * Seeded `@faker-js/faker` for names and street lines. One Faker instance per thread, whose
 * randomizer draws from whichever {@link Rng} the caller lends it, so faker's output belongs to the
 * patient's stream like every other draw.
 */
import { Faker, base, en, en_US, es_MX, es } from '@faker-js/faker';
import { InternalError } from '../errors.js';
import type { Rng } from '../core/random.js';

let lent: Rng | undefined;

const randomizer = {
  next: () => {
    if (lent === undefined) throw new InternalError('faker used outside withFaker');
    return lent.next();
  },
  seed: () => {
    // Seeding happens through the lent Rng's key; faker's own seeding is never used.
  },
};

const fakers = {
  en_US: new Faker({ locale: [en_US, en, base], randomizer }),
  es_MX: new Faker({ locale: [es_MX, es, en, base], randomizer }),
} as const;

/** Locales available for names. */
export type NameLocale = keyof typeof fakers;

/** Runs `use` with faker (of `locale`, default en_US) drawing from `rng`. */
export function withFaker<T>(rng: Rng, use: (faker: Faker) => T, locale: NameLocale = 'en_US'): T {
  const previous = lent;
  lent = rng;
  try {
    return use(fakers[locale]);
  } finally {
    lent = previous;
  }
}

/** A fictional phone number: the 555-01xx exchange is reserved for fiction. */
export function fictionalPhone(rng: Rng, areaCode: string): string {
  return `${areaCode}-555-01${String(rng.int(0, 99)).padStart(2, '0')}`;
}

/** A 10-digit NPI with a valid Luhn check digit (computed over the 80840 prefix, as CMS defines). */
export function syntheticNpi(rng: Rng): string {
  const body = `${rng.int(1, 2)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
  const digits = `80840${body}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}
