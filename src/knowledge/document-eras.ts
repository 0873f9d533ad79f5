/**
 * When each kind of clinical document could exist, from data/document-eras.yaml: the year each
 * organization moved to an electronic record (notes before it are dictated and hand-signed) and
 * the date portal messages begin.
 */
import { z } from 'zod';
import { murmur3String } from '../core/murmur3.js';
import { instantToDate } from '../core/time.js';
import { loadKnowledgeFile, once } from './load.js';

const DocumentErasSchema = z.strictObject({
  electronicRecord: z.strictObject({
    source: z.string().min(1),
    adoption: z
      .array(z.strictObject({ year: z.number().int(), share: z.number().min(0).max(1) }))
      .min(2)
      .refine((a) => a.every((p, i) => i === 0 || (p.year > a[i - 1]!.year && p.share >= a[i - 1]!.share)), { message: 'adoption must rise year by year' })
      .refine((a) => a.at(-1)!.share === 1, { message: 'adoption must end at 1' }),
  }),
  portalMessages: z.strictObject({ from: z.iso.date(), source: z.string().min(1) }),
  npi: z.strictObject({ from: z.iso.date(), source: z.string().min(1) }),
});
export type DocumentEras = z.infer<typeof DocumentErasSchema>;

export const loadDocumentEras = once(() => loadKnowledgeFile('document-eras.yaml', DocumentErasSchema));

/** The year an organization's notes become electronic: the first year the adoption curve passes its fixed position. */
export function electronicRecordYear(organizationId: string, eras: DocumentEras = loadDocumentEras()): number {
  const position = murmur3String(`ehr|${organizationId}`) / 2 ** 32;
  const curve = eras.electronicRecord.adoption;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1]!;
    const b = curve[i]!;
    if (position < b.share) {
      // Linear between the survey years.
      const t = b.share === a.share ? 0 : Math.max(0, (position - a.share) / (b.share - a.share));
      return a.year + Math.ceil(t * (b.year - a.year));
    }
  }
  return curve.at(-1)!.year;
}

/** Whether a note written at `time` (ms) by this organization is an electronic-record document. */
export function isElectronicEra(organizationId: string, time: number, eras: DocumentEras = loadDocumentEras()): boolean {
  return Number(instantToDate(time).slice(0, 4)) >= electronicRecordYear(organizationId, eras);
}

/** Whether a portal message could be sent at `time` through this organization. */
export function portalAvailable(organizationId: string, time: number, eras: DocumentEras = loadDocumentEras()): boolean {
  return time >= Date.parse(`${eras.portalMessages.from}T00:00:00Z`) && isElectronicEra(organizationId, time, eras);
}

/** Whether a note written at `time` can carry the author's NPI (issued from 2007). */
export function npiIssued(time: number, eras: DocumentEras = loadDocumentEras()): boolean {
  return time >= Date.parse(`${eras.npi.from}T00:00:00Z`);
}
