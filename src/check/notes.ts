/**
 * Clinical notes in the bundle: each DocumentReference carries readable text and points at an
 * Encounter of the bundle, and a radiology report written as a DiagnosticReport carries the same
 * text as the note DocumentReference of its encounter (one report, two views of it).
 */
import { codeIn, hasCode, referenceOf } from './bundle-view.js';
import type { FhirResource } from './bundle-source.js';
import type { CheckRule } from './rule.js';

const LOINC = 'http://loinc.org';
const NOTE_CATEGORIES = new Set(['LP29684-5', 'LP29708-2', 'LP7839-6']);

function firstData(items: unknown, inner?: string): string | undefined {
  if (!Array.isArray(items) || items.length === 0) return undefined;
  const first = items[0] as Record<string, unknown>;
  const holder = (inner === undefined ? first : first[inner]) as Record<string, unknown> | undefined;
  const data = holder?.['data'];
  return typeof data === 'string' ? data : undefined;
}

function decodes(data: string | undefined): boolean {
  if (data === undefined || data.length === 0) return false;
  return Buffer.from(data, 'base64').toString('utf8').trim().length > 0;
}

export const noteText: CheckRule = {
  id: 'clinical.note-text',
  family: 'clinical',
  title: "notes carry their text and their encounter; a radiology DiagnosticReport matches its encounter's note",
  check(view, emit) {
    const notesByEncounter = new Map<FhirResource, FhirResource[]>();
    for (const r of view.resources) {
      if (r.resourceType !== 'DocumentReference') continue;
      if (!decodes(firstData(r['content'], 'attachment'))) emit(r, 'has no readable text in content[0].attachment.data');
      const context = r['context'] as { encounter?: unknown[] } | undefined;
      const ref = referenceOf(context?.encounter?.[0]);
      const encounter = ref === undefined ? undefined : view.resolve(ref);
      if (encounter?.resourceType !== 'Encounter') {
        emit(r, `context.encounter ${ref ?? '(none)'} is not an Encounter of the bundle`);
        continue;
      }
      notesByEncounter.set(encounter, [...(notesByEncounter.get(encounter) ?? []), r]);
    }
    for (const r of view.resources) {
      if (r.resourceType !== 'DiagnosticReport') continue;
      const categories = r['category'];
      if (!Array.isArray(categories) || !categories.some((c) => hasCode(c, NOTE_CATEGORIES, LOINC))) continue;
      const data = firstData(r['presentedForm']);
      if (!decodes(data)) {
        emit(r, 'note report has no readable text in presentedForm[0].data');
        continue;
      }
      const ref = referenceOf(r['encounter']);
      const encounter = ref === undefined ? undefined : view.resolve(ref);
      if (encounter === undefined) {
        emit(r, `encounter ${ref ?? '(none)'} does not resolve`);
        continue;
      }
      const code = codeIn(r['code'], LOINC);
      const twin = (notesByEncounter.get(encounter) ?? []).find((d) => codeIn(d['type'], LOINC) === code);
      if (twin === undefined) emit(r, `no DocumentReference of type ${code ?? '(none)'} at its encounter`);
      else if (firstData(twin['content'], 'attachment') !== data) emit(r, `text differs from DocumentReference/${twin.id} of the same encounter`);
    }
  },
};
