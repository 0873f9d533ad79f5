/**
 * Phrases a note says twice across its sections: "Feeding well" in the HPI and again in the ROS,
 * "Alert" under General and again under Neuro, "No fever" in the HPI and the ROS. A clinician says
 * each thing once; a model trained on notes that repeat learns to pad. The facts a note cites
 * (symptoms, problems, drugs, results) are meant to recur (HPI, ROS positives, assessment) and are
 * left out: only the writer's own words count.
 */
import type { NoteOutput } from '../note-output.js';

/** The sections whose own words describe the patient: history, review of systems and exam. */
const DESCRIPTIVE = /history of present illness|^hpi$|subjective|interval history|review of systems|^ros$|^s$|exam|^pe$|^ob$/i;

/** One exam line per system ("General: ...", "Neuro: ..."): each is its own place in the note. */
const SYSTEM_LINE = /^([A-Z][A-Za-z/ ]{1,20}):\s*/;

/** Words that begin a denial; "No fever" and "Negative for fever" say the same thing. */
const DENIAL = /^(?:no|denies|negative for|neg for|\(-\)|family denies|(?:he|she) denies)\s+/;

/** Clauses too short or generic to count as said ("normal", "soft" of two different organs). */
const GENERIC = new Set(['normal', 'unremarkable', 'soft', 'masses', 'supple', 'full range of motion', 'none', 'clear', 'nontender', 'tenderness']);

function clauses(text: string): string[] {
  return text
    .split(/[.,;:\n]|\b(?:and|or)\b/i)
    .map((c) => c.trim().toLowerCase().replace(DENIAL, '').replace(/[^a-z0-9/ -]/g, '').trim())
    .filter((c) => c.length >= 4 && !GENERIC.has(c) && !/\d/.test(c));
}

/**
 * The writer's own clauses (lower case, denials stripped) that appear in two or more places of the
 * note's history, review of systems and exam, each exam system counting as a place of its own.
 */
export function repeatedPhrases(note: NoteOutput): string[] {
  const cited = new Set(note.mentions.map((m) => m.text.trim().toLowerCase()));
  const places = new Map<string, Set<number>>();
  let place = 0;
  for (const section of note.sections) {
    if (!DESCRIPTIVE.test(section.heading.trim())) continue;
    const lines = section.text.split('\n');
    // An exam in one paragraph ("Gen: ... CV: ...") splits at its system labels too.
    const units = lines.flatMap((l) => (SYSTEM_LINE.test(l) ? l.split(/\s(?=[A-Z][A-Za-z/]{1,12}: )/) : [l]));
    let unitText = '';
    const flush = (): void => {
      if (unitText === '') return;
      place++;
      for (const c of clauses(unitText)) if (!cited.has(c)) places.set(c, (places.get(c) ?? new Set()).add(place));
      unitText = '';
    };
    for (const u of units) {
      if (SYSTEM_LINE.test(u)) {
        flush();
        unitText = u.replace(SYSTEM_LINE, '');
        flush();
      } else unitText += `${u}\n`;
    }
    flush();
  }
  return [...places].filter(([, at]) => at.size > 1).map(([c]) => c);
}
