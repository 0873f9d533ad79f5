/**
 * A kept note as a US Core DocumentReference: the text inline as base64 `text/plain` (so it survives
 * an upload to any server), typed by LOINC, in the clinical-note category, linked to its encounter
 * and author.
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import type { MetaFactory } from '../fhir/meta.js';
import { PROFILES } from '../fhir/profiles.js';
import { ref } from '../fhir/references.js';
import type { NoteType } from './facts.js';
import { NOTE_TYPE_CODES } from './note-types.js';

export interface DocumentReferenceInput {
  readonly id: string;
  readonly noteType: NoteType;
  readonly title: string;
  readonly text: string;
  readonly patientId: string;
  readonly encounterId: string;
  readonly practitionerId: string;
  readonly organizationId: string;
  /** FHIR instant of the note. */
  readonly date: string;
  readonly period: { readonly start: string; readonly end: string };
}

export function documentReferenceResource(input: DocumentReferenceInput, meta: MetaFactory): DocumentReference {
  const type = NOTE_TYPE_CODES[input.noteType];
  return {
    resourceType: 'DocumentReference',
    id: input.id,
    meta: meta.forProfile(PROFILES.documentReference),
    identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${input.id}` }],
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: type.loinc, display: type.display }], text: input.title },
    category: [
      {
        coding: [
          {
            system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
            code: 'clinical-note',
            display: 'Clinical Note',
          },
        ],
      },
    ],
    subject: ref(input.patientId),
    date: input.date,
    author: [ref(input.practitionerId)],
    custodian: ref(input.organizationId),
    description: input.title,
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: Buffer.from(input.text, 'utf8').toString('base64'),
          title: input.title,
          creation: input.date,
        },
        format: { system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', display: 'mimeType Sufficient' },
      },
    ],
    context: { encounter: [ref(input.encounterId)], period: { ...input.period } },
  };
}
