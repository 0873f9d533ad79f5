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
 * Approximate share of each category among the PHI of the i2b2 2014 corpus (about 28,900 instances
 * in 1,304 records; Stubbs & Uzuner 2015, J Biomed Inform 58S:S20-S29, table of PHI counts), rounded
 * to a percent: for the datasheet's side-by-side table, where the order matters more than the
 * decimals (dates first, then doctors, hospitals, patients and ages).
 */
export const I2B2_2014_CATEGORY_SHARE: Readonly<Record<PhiCategory, number>> = {
  DATE: 0.43,
  NAME: 0.25,
  LOCATION: 0.16,
  AGE: 0.07,
  ID: 0.06,
  CONTACT: 0.02,
  PROFESSION: 0.01,
};
