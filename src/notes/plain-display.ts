/** Code displays as clinicians write them (the rule lives with the record, which the FHIR layer shares). */
export { plainDisplay } from '../record/display.js';
