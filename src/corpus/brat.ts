/**
 * BRAT standoff (brat.nlplab.org/standoff.html): per note `<id>.txt` and `<id>.ann` with T lines
 * (entities and PHI; a span across lines becomes fragments, as BRAT requires), A lines (assertion
 * of problems and medications, laterality), R lines (relations, and dosage parts to their drug) and
 * N lines normalizing entities to their codes and FHIR resources. `annotation.conf` and
 * `tools.conf` at the top make the collection open in BRAT as is. BRAT offsets are code points.
 */
import { MENTION_LABEL_INFO, MENTION_LABELS, mentionLabelInfo, resourceReferenceOf } from '../notes/annotate/labels.js';
import { PHI_TYPES } from '../notes/phi/phi-tags.js';
import { DB_URLS, dbName } from './codes.js';
import type { CorpusDocument } from './document.js';
import type { CorpusFiles, CorpusLayers, FormatInput } from './format.js';
import { codePointOffsets } from './offsets.js';
import { SPLITS } from './split.js';

const PART_TYPES = { strength: 'Strength', dose: 'Dose', unit: 'Unit', route: 'Route', frequency: 'Frequency' } as const;
const ASSERTED = MENTION_LABELS.filter((l) => MENTION_LABEL_INFO[l].asserted);

/** `start end` fragments of a span, split at line breaks (a BRAT span may not cross one). */
function fragments(text: string, start: number, end: number, at: (i: number) => number): string {
  const out: string[] = [];
  let from = start;
  for (let i = start; i <= end; i++) {
    if (i === end || text[i] === '\n') {
      if (i > from) out.push(`${at(from)} ${at(i)}`);
      from = i + 1;
    }
  }
  return out.join(';');
}

function oneLine(text: string): string {
  return text.replace(/\n/g, ' ');
}

export function bratAnn(d: CorpusDocument, layers: CorpusLayers): string {
  const at = codePointOffsets(d.text);
  const lines: string[] = [];
  let t = 0;
  let a = 0;
  let r = 0;
  let n = 0;
  const entity = (type: string, start: number, end: number, text: string): string => {
    const id = `T${++t}`;
    lines.push(`${id}\t${type} ${fragments(d.text, start, end, at)}\t${oneLine(text)}`);
    return id;
  };
  const ids: string[] = [];
  if (layers.ner) {
    for (const m of d.mentions) {
      const id = entity(m.label, m.start, m.end, m.text);
      ids.push(id);
      if (layers.assertion && mentionLabelInfo(m.label)?.asserted === true) lines.push(`A${++a}\tAssertion ${id} ${m.assertion}`);
      if (m.laterality !== undefined) lines.push(`A${++a}\tLaterality ${id} ${m.laterality}`);
      if (m.code !== undefined) lines.push(`N${++n}\tReference ${id} ${dbName(m.code.system)}:${m.code.code}\t${oneLine(m.code.display)}`);
      if (m.resourceId !== undefined) lines.push(`N${++n}\tReference ${id} FHIR:${resourceReferenceOf(m.label, m.resourceId)}\t${oneLine(m.text)}`);
      for (const p of m.parts ?? []) {
        const part = entity(PART_TYPES[p.kind], p.start, p.end, p.text);
        lines.push(`R${++r}\tpart-of Arg1:${part} Arg2:${id}`);
      }
    }
    if (layers.relation) {
      for (const rel of d.relations) {
        const from = ids[rel.from];
        const to = ids[rel.to];
        if (from !== undefined && to !== undefined) lines.push(`R${++r}\t${rel.type} Arg1:${from} Arg2:${to}`);
      }
    }
  }
  if (layers.phi) for (const p of d.phi) entity(p.type, p.start, p.end, p.text);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** `labels`: the entity labels of the contract, then any newer label the notes carry (BRAT rejects an undeclared type). */
function annotationConf(labels: readonly string[]): string {
  const parts = Object.values(PART_TYPES);
  return `# Chartwright corpus: entity, relation and attribute types (BRAT annotation.conf)
[entities]
${labels.join('\n')}
${parts.join('\n')}
${PHI_TYPES.join('\n')}

[relations]
treats\tArg1:MEDICATION, Arg2:PROBLEM
dosage-of\tArg1:STRENGTH|FORM|ROUTE|FREQUENCY|DOSAGE, Arg2:MEDICATION
measures\tArg1:LAB|VITAL, Arg2:PROBLEM
indicates\tArg1:LAB|VITAL|PROBLEM, Arg2:PROBLEM
procedure-for\tArg1:PROCEDURE, Arg2:PROBLEM
part-of\tArg1:${parts.join('|')}, Arg2:MEDICATION|DOSAGE
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
Assertion\tArg:${ASSERTED.join('|')}, Value:present|negated|possible|hypothetical|historical|family
Laterality\tArg:ANATOMY, Value:left|right|bilateral
`;
}

function toolsConf(): string {
  const dbs = Object.entries(DB_URLS).map(([name, u]) => `${name}\t<URL>:${u.url}, <URLBASE>:${u.urlBase}`);
  return `# Chartwright corpus: BRAT tools.conf (normalization databases of the N lines)
[options]
Tokens\ttokenizer:whitespace
Sentences\tsplitter:newline
Validation\tvalidate:all
Annotation-display\tinterface:normal

[search]
Google\t<URL>:http://www.google.com/search?q=%s

[normalization]
${dbs.join('\n')}
`;
}

export function writeBrat(input: FormatInput): CorpusFiles {
  const files: CorpusFiles = new Map();
  const labels = new Set<string>(MENTION_LABELS);
  if (input.layers.ner) for (const split of SPLITS) for (const d of input.splits[split]) for (const m of d.mentions) labels.add(m.label);
  files.set('brat/annotation.conf', annotationConf([...labels]));
  files.set('brat/tools.conf', toolsConf());
  for (const split of SPLITS) {
    for (const d of input.splits[split]) {
      files.set(`brat/${split}/${d.id}.txt`, d.text);
      files.set(`brat/${split}/${d.id}.ann`, bratAnn(d, input.layers));
    }
  }
  return files;
}
