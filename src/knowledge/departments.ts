/**
 * Department names as a note's header prints them ("Family Medicine", "Nephrology", "Hospital
 * Medicine", "Emergency Department"): each physician specialty the knowledge codes, by its NUCC
 * display without " Physician" (specialists.yaml: the staff of every site and the hospitals'
 * specialists; availability.yaml: the specialties practised before those, such as General
 * Practice). Shared by the note frame that prints them and by the identity check, which must not
 * read a department as the patient's name ("General Practice" in the chart of a patient named General).
 */
import { availability, SYSTEMS } from './availability.js';
import { once } from './load.js';
import { loadSpecialists } from './specialists.js';

/** The department of a visit in the emergency department, whoever saw the patient. */
export const EMERGENCY_DEPARTMENT = 'Emergency Department';
/** The department of a visit no practitioner is recorded for. */
export const GENERAL_DEPARTMENT = 'General Medicine';

/** The department of a practitioner's specialty display ("Nephrology Physician" → "Nephrology"); a hospitalist's service is Hospital Medicine. */
export function departmentOfSpecialty(display: string): string {
  const specialty = display.replace(/ Physician$/, '');
  return specialty === 'Hospitalist' ? 'Hospital Medicine' : specialty;
}

/** Every department name a note may print, longest first (so a prefix never shadows a longer name). */
export const departmentNames = once((): readonly string[] => {
  const { staff, specialists } = loadSpecialists();
  const displays = [
    ...Object.values(staff).map((s) => s.display),
    ...Object.values(specialists).map((s) => s.display),
    ...[...availability().values()].filter((p) => p.coding.system === SYSTEMS.nucc).map((p) => p.coding.display),
  ];
  const names = new Set([EMERGENCY_DEPARTMENT, GENERAL_DEPARTMENT, ...displays.map(departmentOfSpecialty)]);
  return [...names].sort((a, b) => b.length - a.length || a.localeCompare(b));
});
