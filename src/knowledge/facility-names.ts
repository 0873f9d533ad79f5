/**
 * The words a synthetic facility's name ends with ("Charlotte Primary Care", "Reno General Hospital").
 * Shared by the provider directory that names facilities and by the note checks, which must not read
 * a facility named after a city ("Charlotte Primary Care") as the patient Charlotte with another surname.
 */
export const CLINIC_SUFFIXES = ['Family Health Center', 'Primary Care', 'Family Medicine', 'Community Health Center', 'Medical Group', 'Health Partners'] as const;
export const HOSPITAL_SUFFIXES = ['General Hospital', 'Medical Center', 'Regional Medical Center', 'Community Hospital', 'Memorial Hospital'] as const;
