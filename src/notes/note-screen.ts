/**
 * A screen every note passes after its grounding checks and before it is kept: the memorization
 * guard (`src/dedup`) implements it, so the notes layer can retry and reject on its findings
 * without depending on it. Notes of one record are screened one at a time in plan order, after
 * all were drafted (drafting stays concurrent for LLM writers), so what a note is screened against
 * never depends on scheduling.
 */
import type { NoteType } from './facts.js';
import type { Violation } from './grounding/violation.js';

/** A grounded note as the screen sees it. */
export interface ScreenedNote {
  readonly patientId: string;
  readonly noteId: string;
  readonly noteType: NoteType;
  readonly text: string;
  /** 0-based attempt that wrote this text. */
  readonly attempt: number;
}

export interface NoteScreen {
  /** Violations of this text; empty to keep it. */
  check(note: ScreenedNote): readonly Violation[];
  /** The note was kept (later notes are screened against it where the screen compares notes). */
  keep(note: ScreenedNote): void;
}
