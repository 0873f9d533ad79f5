/**
 * A clinician's writing style, fixed per author (hashed from the author's name): the same doctor
 * writes the same way across notes, different doctors differ. Styles vary headings, layout,
 * abbreviation habits and verbosity.
 */
import { Chooser } from './chooser.js';

export interface ClinicianStyle {
  readonly headingCase: 'upper' | 'title' | 'abbreviated';
  readonly vitalsLayout: 'inline' | 'list' | 'pipes';
  readonly abbreviates: boolean;
  readonly verbose: boolean;
  readonly usesPatientName: boolean;
  readonly planAsList: boolean;
  readonly signOff: 'electronic' | 'dash' | 'plain';
  readonly temperatureUnit: '°C' | 'C' | ' degC';
}

export function styleOf(author: string): ClinicianStyle {
  const c = new Chooser(`style:${author}`);
  return {
    headingCase: c.pick(['upper', 'title', 'abbreviated'] as const),
    vitalsLayout: c.pick(['inline', 'list', 'pipes'] as const),
    abbreviates: c.chance(0.5),
    verbose: c.chance(0.5),
    usesPatientName: c.chance(0.6),
    planAsList: c.chance(0.5),
    signOff: c.pick(['electronic', 'dash', 'plain'] as const),
    temperatureUnit: c.pick(['°C', 'C', ' degC'] as const),
  };
}

/** A section heading in the author's style; `short` is the abbreviation some clinicians use. */
export function heading(style: ClinicianStyle, full: string, short?: string): string {
  switch (style.headingCase) {
    case 'upper':
      return full.toUpperCase();
    case 'title':
      return full;
    case 'abbreviated':
      return short ?? full;
  }
}
