/**
 * The i2b2/UTHealth 2014 de-identification XML, one file per note named `<patient>-<nn>.xml`:
 * the text in CDATA and a `<TAGS>` element whose children are named by PHI category, with the
 * type, code point offsets into the text and the text itself, as the challenge distributed them.
 */
import type { CorpusDocument } from './document.js';
import type { CorpusFiles, FormatInput } from './format.js';
import { codePointOffsets } from './offsets.js';
import { SPLITS } from './split.js';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** CDATA cannot hold "]]>": close the section and reopen it between "]]" and ">" (the text read back is the same). */
function cdata(text: string): string {
  return `<![CDATA[${text.replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`;
}

export function i2b2Xml(d: CorpusDocument): string {
  const at = codePointOffsets(d.text);
  const tags = d.phi.map((p, i) => `<${p.category} id="P${i}" start="${at(p.start)}" end="${at(p.end)}" text="${escapeAttribute(p.text)}" TYPE="${p.type}" comment="" />`);
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<deIdi2b2>\n<TEXT>${cdata(d.text)}</TEXT>\n<TAGS>\n${tags.map((t) => `${t}\n`).join('')}</TAGS>\n</deIdi2b2>\n`;
}

export function writeI2b2(input: FormatInput): CorpusFiles {
  const files: CorpusFiles = new Map();
  for (const split of SPLITS) for (const d of input.splits[split]) files.set(`i2b2/${split}/${d.id}.xml`, i2b2Xml(d));
  return files;
}
