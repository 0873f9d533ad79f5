/**
 * One table per entity label, read by both users of the annotation: the grounding checks (what a
 * mention of the label claims, and which violation an unsupported one is) and the corpus exporters
 * (which FHIR resource type a linked mention points to). A label added to {@link MentionLabel}
 * must be described here, or the build fails.
 */
import type { MentionLabel } from './types.js';

export interface MentionLabelInfo {
  /** The FHIR resource type a linked mention's `resourceId` names. */
  readonly resourceType: string;
  /** What the mention claims, in the words of a grounding message ("condition", "dose"). */
  readonly what: string;
  /** The grounding violation of a mention the record does not support. */
  readonly unsupported: 'unsupported-condition' | 'unsupported-medication' | 'unsupported-lab' | 'unsupported-procedure' | 'unsupported-immunization' | 'unsupported-allergy';
  /** Whether the label carries an assertion (present, negated...) worth exporting. */
  readonly asserted: boolean;
}

export const MENTION_LABEL_INFO = {
  PROBLEM: { resourceType: 'Condition', what: 'condition', unsupported: 'unsupported-condition', asserted: true },
  MEDICATION: { resourceType: 'MedicationRequest', what: 'medication', unsupported: 'unsupported-medication', asserted: true },
  DOSAGE: { resourceType: 'MedicationRequest', what: 'dose', unsupported: 'unsupported-medication', asserted: false },
  STRENGTH: { resourceType: 'MedicationRequest', what: 'strength', unsupported: 'unsupported-medication', asserted: false },
  FORM: { resourceType: 'MedicationRequest', what: 'dose form', unsupported: 'unsupported-medication', asserted: false },
  ROUTE: { resourceType: 'MedicationRequest', what: 'route', unsupported: 'unsupported-medication', asserted: false },
  FREQUENCY: { resourceType: 'MedicationRequest', what: 'frequency', unsupported: 'unsupported-medication', asserted: false },
  LAB: { resourceType: 'Observation', what: 'lab test', unsupported: 'unsupported-lab', asserted: false },
  VITAL: { resourceType: 'Observation', what: 'measurement', unsupported: 'unsupported-lab', asserted: false },
  PROCEDURE: { resourceType: 'Procedure', what: 'procedure', unsupported: 'unsupported-procedure', asserted: false },
  IMMUNIZATION: { resourceType: 'Immunization', what: 'vaccine', unsupported: 'unsupported-immunization', asserted: false },
  ALLERGY: { resourceType: 'AllergyIntolerance', what: 'allergy', unsupported: 'unsupported-allergy', asserted: false },
  ANATOMY: { resourceType: 'BodyStructure', what: 'finding', unsupported: 'unsupported-condition', asserted: false },
} as const satisfies Readonly<Record<MentionLabel, MentionLabelInfo>>;

/** The labels in the contract's order (the BRAT entity list, the datasheet). */
export const MENTION_LABELS = Object.keys(MENTION_LABEL_INFO) as MentionLabel[];

/**
 * The table's row for a label read from a file, which may be newer than this build (a label the
 * contract gained since): such a label is exported as it is, linked to a generic `Resource`,
 * without an assertion attribute.
 */
export function mentionLabelInfo(label: string): MentionLabelInfo | undefined {
  return Object.hasOwn(MENTION_LABEL_INFO, label) ? MENTION_LABEL_INFO[label as MentionLabel] : undefined;
}

/** `Condition/<id>`: the FHIR reference of a linked mention (`Resource/<id>` for a label this build does not know). */
export function resourceReferenceOf(label: string, resourceId: string): string {
  return `${mentionLabelInfo(label)?.resourceType ?? 'Resource'}/${resourceId}`;
}
