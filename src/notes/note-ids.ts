import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id (RFC 9562 version 8) for a note, derived from the ids it belongs to, so the same
 * patient, encounter and note type always give the same DocumentReference id.
 */
export function noteIdOf(patientId: string, encounterId: string, noteType: string): string {
  const h = createHash('sha256').update(`${patientId}|${encounterId}|${noteType}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
