/**
 * The PHI tag set of the i2b2/UTHealth 2014 de-identification challenge (Stubbs & Uzuner 2015,
 * "Annotating longitudinal clinical narratives for de-identification"): seven categories, each
 * with its types. Spans are tagged with the type; the category follows from it.
 */
import type { TextSpan } from '../annotate/types.js';

export const PHI_TAGS = {
  NAME: ['PATIENT', 'DOCTOR', 'USERNAME'],
  PROFESSION: ['PROFESSION'],
  LOCATION: ['ROOM', 'DEPARTMENT', 'HOSPITAL', 'ORGANIZATION', 'STREET', 'CITY', 'STATE', 'COUNTRY', 'ZIP', 'LOCATION-OTHER'],
  AGE: ['AGE'],
  DATE: ['DATE'],
  CONTACT: ['PHONE', 'FAX', 'EMAIL', 'URL', 'IPADDR'],
  ID: ['SSN', 'MEDICALRECORD', 'HEALTHPLAN', 'ACCOUNT', 'LICENSE', 'VEHICLE', 'DEVICE', 'BIOID', 'IDNUM'],
} as const;

export type PhiCategory = keyof typeof PHI_TAGS;
export type PhiType = (typeof PHI_TAGS)[PhiCategory][number];

export const PHI_CATEGORIES = Object.keys(PHI_TAGS) as PhiCategory[];
export const PHI_TYPES: readonly PhiType[] = PHI_CATEGORIES.flatMap((c) => PHI_TAGS[c] as readonly PhiType[]);

const CATEGORY_OF = new Map<PhiType, PhiCategory>(PHI_CATEGORIES.flatMap((c) => (PHI_TAGS[c] as readonly PhiType[]).map((t) => [t, c] as const)));

/** The category of a PHI type (DOCTOR -> NAME). */
export function phiCategoryOf(type: PhiType): PhiCategory {
  return CATEGORY_OF.get(type)!;
}

/** One piece of PHI in a note: `text.slice(start, end) === span.text`. */
export interface PhiSpan extends TextSpan {
  readonly text: string;
  readonly type: PhiType;
  readonly category: PhiCategory;
}

/**
 * Share of each category among the PHI of the i2b2 2014 corpus (1,304 records of 296 patients),
 * for the datasheet's side-by-side table, `null` where the figure is unverified. The per-type
 * counts are published in Stubbs, Kotfila & Uzuner 2015 (J Biomed Inform 58 Suppl:S11-S19) and
 * Stubbs & Uzuner 2015 (58 Suppl:S20-S29); their tables could not be read where this was written,
 * so no share is quoted (the earlier rounded shares had no checked source). Fill a category in
 * only from those tables, with the table named here.
 */
export const I2B2_2014_CATEGORY_SHARE: Readonly<Record<PhiCategory, number | null>> = {
  DATE: null,
  NAME: null,
  LOCATION: null,
  AGE: null,
  ID: null,
  CONTACT: null,
  PROFESSION: null,
};
