/** Code displays as clinicians write them: SNOMED CT semantic tags dropped. */

const SEMANTIC_TAG =
  /\s*\((?:substance|disorder|finding|procedure|organism|situation|qualifier value|morphologic abnormality|event|observable entity|regime\/therapy|body structure|physical object|product|medicinal product|clinical drug|disposition|environment|person|record artifact)\)$/;

/** A display without its SNOMED semantic tag: "Peanut (substance)" -> "Peanut". */
export function plainDisplay(display: string): string {
  return display.replace(SEMANTIC_TAG, '');
}
