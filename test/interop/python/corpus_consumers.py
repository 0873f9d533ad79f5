#!/usr/bin/env python3
"""`chartwright corpus` output as the NLP tools people train with read it (see README.md beside this file).

Usage: python corpus_consumers.py CORPUS_DIR CHARTWRIGHT_README WORK_DIR

One process runs every consumer over the corpus folder and prints one JSON object, a section per
consumer, each with what the consumer read (counts) and `problems`: every place where what the
consumer made of a file disagrees with the corpus's own JSONL (the reference: ids, text, entities
and PHI with code-point offsets). The vitest file (test/interop/nlp-corpus.test.ts) asserts that
every `problems` list is empty and compares the counts with what the corpus summary reports.

- spacy_jsonl: the spaCy JSONL through the converter lines of Chartwright's README, run as they
  are written (only the two file names replaced), into DocBins; their entities are the JSONL's spans.
- spacy_conll: `python -m spacy convert -c ner` over each CoNLL layer (ner, phi); the DocBins'
  words and entities are the CoNLL files', and each entity is a JSONL span of that layer.
- seqeval: every CoNLL file's tag sequences, strict IOB2; well formed when the lenient reading
  (a stray I- opens an entity) and the strict one find the same entities.
- datasets_jsonl / datasets_bigbio: `datasets.load_dataset("json", ...)` on the JSONL splits, and
  `datasets.load_dataset(<bigbio folder>)` driven by the dataset card's YAML front matter.
- lxml: every i2b2 XML file, parsed strictly; each tag's offsets select its text.
"""
import json
import re
import subprocess
import sys
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

SPLITS = ("train", "validation", "test")
MAX_PROBLEMS = 20


class Section:
    """Counts and problems of one consumer; the first MAX_PROBLEMS problems are kept, all are counted."""

    def __init__(self):
        self.counts = Counter()
        self.problems = []
        self.problem_count = 0
        self.started = time.perf_counter()

    def problem(self, text):
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)

    def result(self, **extra):
        return {"counts": dict(self.counts), "problems": self.problems, "problemCount": self.problem_count, "seconds": round(time.perf_counter() - self.started, 2), **extra}


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def squash(text):
    return re.sub(r"\s+", "", text)


def reference_spans(record, layer):
    """(start, end, label) of a JSONL record's spans of a layer: ner (entities), phi, or both."""
    spans = []
    if layer in ("ner", "both"):
        spans += [(e["start"], e["end"], e["label"], e["text"]) for e in record["entities"]]
    if layer in ("phi", "both"):
        spans += [(p["start"], p["end"], p["type"], p["text"]) for p in record["phi"]]
    return spans


def readme_converter(readme_path):
    """The README's spaCy JSONL -> DocBin lines: the python block that builds a DocBin."""
    text = Path(readme_path).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    found = [b for b in blocks if "DocBin()" in b and "spacy/train.jsonl" in b]
    if len(found) != 1:
        raise SystemExit(f"README.md: expected one python block converting spacy/train.jsonl to a DocBin, found {len(found)}")
    return found[0]


def check_spacy_jsonl(corpus, reference, readme_path, work):
    import spacy
    from spacy.tokens import DocBin

    s = Section()
    code = readme_converter(readme_path)
    s.counts["readmeLines"] = len([line for line in code.split("\n") if line.strip()])
    nlp = spacy.blank("en")
    for split in SPLITS:
        source = corpus / "spacy" / f"{split}.jsonl"
        records = read_jsonl(source)
        if not records:
            continue
        target = work / f"readme-{split}.spacy"
        program = code.replace('"OUT/corpus/spacy/train.jsonl"', repr(str(source))).replace('"train.spacy"', repr(str(target)))
        try:
            exec(compile(program, "README.md (spaCy converter)", "exec"), {"__name__": "readme_converter"})
        except Exception as error:  # the README's lines themselves fail on our file
            s.problem(f"{split}: the README's converter raised {type(error).__name__}: {error}")
            continue
        docs = list(DocBin().from_disk(target).get_docs(nlp.vocab))
        if len(docs) != len(records):
            s.problem(f"{split}: DocBin holds {len(docs)} docs, the file {len(records)} lines")
        for doc, record, ref in zip(docs, records, reference[split]):
            s.counts["docs"] += 1
            wanted = sorted((sp["start"], sp["end"], sp["label"]) for sp in record["spans"])
            got = sorted((e.start_char, e.end_char, e.label_) for e in doc.ents)
            s.counts["spans"] += len(wanted)
            s.counts["ents"] += len(got)
            if doc.text != record["text"]:
                s.problem(f"{record['meta']['id']}: the Doc's text is not the record's")
            if got != wanted:
                lost = sorted(set(wanted) - set(got))[:3]
                s.problem(f"{record['meta']['id']}: DocBin has {len(got)} entities, the record {len(wanted)} spans (missing {lost})")
            for start, end, label in wanted:
                if doc.char_span(start, end, label, alignment_mode="strict") is None:
                    s.problem(f"{record['meta']['id']}: char_span({start}, {end}, strict) rejects {record['text'][start:end]!r}")
            if record["meta"]["id"] != ref["id"] or record["text"] != ref["text"]:
                s.problem(f"{split}: spaCy record {record['meta']['id']} is not JSONL record {ref['id']} at the same line")
                continue
            gold = {(a, b, label) for a, b, label, _ in reference_spans(ref, "both")}
            for span in wanted:
                if span not in gold:
                    s.problem(f"{ref['id']}: spaCy span {span} is no JSONL entity or PHI span")
    return s.result()


def read_conll(path):
    """Documents of a CoNLL 2003-style file: lists of sentences, each a list of (token, tag)."""
    docs = []
    sentence = None
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            docs.append([])
            sentence = None
            continue
        if line.strip() == "":
            sentence = None
            continue
        cols = line.split(" ")
        if len(cols) != 4:
            raise ValueError(f"{path}: not 4 columns: {line!r}")
        if sentence is None:
            sentence = []
            docs[-1].append(sentence)
        sentence.append((cols[0], cols[3]))
    return docs


def iob2_entities(tags):
    """(first token, end token, label) of well-formed IOB2 tags; None when a tag is ill formed."""
    out = []
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        prefix, label = tag.split("-", 1)
        if prefix == "B":
            out.append([i, i + 1, label])
        elif prefix == "I" and out and out[-1][1] == i and out[-1][2] == label:
            out[-1][1] = i + 1
        else:
            return None
    return [tuple(e) for e in out]


def check_spacy_conll(corpus, reference, work):
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    sections = {}
    # The CLI as users run it, one file at a time (given a folder, it looks for files named *.ner);
    # the six conversions run side by side, each its own Python.
    runs = {}
    for layer in ("ner", "phi"):
        out = work / f"conll-{layer}"
        out.mkdir(parents=True, exist_ok=True)
        for split in SPLITS:
            source = corpus / "conll" / layer / f"{split}.conll"
            if source.stat().st_size > 0:
                command = [sys.executable, "-m", "spacy", "convert", str(source), str(out), "--converter", "ner"]
                runs[(layer, split)] = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    outputs = {key: (run.communicate()[0], run.returncode) for key, run in runs.items()}
    for layer in ("ner", "phi"):
        s = Section()
        folder = corpus / "conll" / layer
        out = work / f"conll-{layer}"
        for (run_layer, split), (output, code) in outputs.items():
            if run_layer == layer:
                s.counts["converted"] += 1
                if code != 0:
                    s.problem(f"spacy convert {layer}/{split}.conll exited with {code}: {output[-800:]}")
        for split in SPLITS:
            conll = read_conll(folder / f"{split}.conll")
            if not conll:
                continue
            made = out / f"{split}.spacy"
            if not made.exists():
                s.problem(f"{split}: spacy convert wrote no {made.name} ({sorted(p.name for p in out.iterdir())})")
                continue
            docs = list(DocBin().from_disk(made).get_docs(nlp.vocab))
            if len(docs) != len(conll):
                s.problem(f"{layer}/{split}: spacy convert made {len(docs)} docs of {len(conll)} -DOCSTART- sections")
            for k, (doc, sentences, ref) in enumerate(zip(docs, conll, reference[split])):
                s.counts["docs"] += 1
                tokens = [t for sentence in sentences for t in sentence]
                words = [t for t, _ in tokens]
                if [t.text for t in doc] != words:
                    s.problem(f"{layer}/{split} doc {k} ({ref['id']}): spaCy's words are not the CoNLL tokens")
                    continue
                if sum(1 for t in doc if t.is_sent_start) != len(sentences):
                    s.problem(f"{ref['id']}: spaCy has {sum(1 for t in doc if t.is_sent_start)} sentences, the CoNLL {len(sentences)}")
                wanted = []
                offset = 0
                for sentence in sentences:
                    ents = iob2_entities([tag for _, tag in sentence])
                    if ents is None:
                        s.problem(f"{ref['id']}: ill-formed IOB2 in a sentence")
                        ents = []
                    wanted += [(a + offset, b + offset, label) for a, b, label in ents]
                    offset += len(sentence)
                got = [(e.start, e.end, e.label_) for e in doc.ents]
                s.counts["ents"] += len(got)
                if got != wanted:
                    s.problem(f"{ref['id']}: spaCy read {len(got)} entities, the CoNLL tags {len(wanted)}")
                # Every entity is a JSONL span of the layer: same label, same text (CoNLL keeps no spaces).
                gold = Counter((label, squash(text)) for _, _, label, text in reference_spans(ref, layer))
                for e in doc.ents:
                    key = (e.label_, "".join(t.text for t in e))
                    if gold[key] > 0:
                        gold[key] -= 1
                    else:
                        s.problem(f"{ref['id']}: CoNLL entity {key} is no {layer} span of the JSONL record")
        sections[layer] = s.result()
    return sections


def check_seqeval(corpus):
    from seqeval.metrics import classification_report
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    sections = {}
    for layer in ("ner", "phi"):
        s = Section()
        for split in SPLITS:
            sentences = [[tag for _, tag in sentence] for doc in read_conll(corpus / "conll" / layer / f"{split}.conll") for sentence in doc]
            if not sentences:
                continue
            s.counts["sentences"] += len(sentences)
            s.counts["tokens"] += sum(len(t) for t in sentences)
            lenient = get_entities(sentences)
            strict = [e.to_tuple() for row in Entities(sentences, IOB2).entities for e in row]
            s.counts["entities"] += len(strict)
            if len(lenient) != len(strict):
                s.problem(f"{layer}/{split}: {len(lenient) - len(strict)} entities are not well-formed IOB2 (I- without its B-)")
            if strict:
                report = classification_report(sentences, sentences, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
                if report["micro avg"]["f1-score"] != 1.0:
                    s.problem(f"{layer}/{split}: seqeval's strict F1 of the tags against themselves is {report['micro avg']['f1-score']}")
                s.counts["labels"] = max(s.counts["labels"], len([k for k in report if not k.endswith(" avg")]))
        sections[layer] = s.result()
    return sections


def check_datasets(corpus, work):
    import datasets

    datasets.disable_progress_bars()
    cache = str(work / "hf-cache")
    s = Section()
    files = {split: str(corpus / "jsonl" / f"{split}.jsonl") for split in SPLITS if read_jsonl(corpus / "jsonl" / f"{split}.jsonl")}
    loaded = datasets.load_dataset("json", data_files=files, cache_dir=cache)
    for split, path in files.items():
        reference = read_jsonl(path)
        rows = loaded[split]
        s.counts[f"rows.{split}"] = rows.num_rows
        if rows.num_rows != len(reference):
            s.problem(f"jsonl/{split}: datasets loaded {rows.num_rows} rows of {len(reference)} lines")
        for row, ref in zip(rows, reference):
            if row["id"] != ref["id"] or row["text"] != ref["text"]:
                s.problem(f"jsonl/{split}: row {row['id']} is not line {ref['id']}")
                continue
            for e in row["entities"] + row["phi"]:
                s.counts["spans"] += 1
                if row["text"][e["start"] : e["end"]] != e["text"]:
                    s.problem(f"{row['id']}: [{e['start']}, {e['end']}) selects {row['text'][e['start']:e['end']]!r}, not {e['text']!r}")
            if len(row["entities"]) != len(ref["entities"]) or len(row["phi"]) != len(ref["phi"]):
                s.problem(f"{row['id']}: datasets dropped entities or PHI")
    jsonl = s.result()

    b = Section()
    folder = corpus / "bigbio"
    card = (folder / "README.md").read_text(encoding="utf-8")
    front = re.match(r"---\n(.*?)\n---\n", card, flags=re.S)
    import yaml

    meta = yaml.safe_load(front.group(1)) if front else {}
    declared = datasets.Features._from_yaml_list(meta["dataset_info"]["features"])
    bigbio = datasets.load_dataset(str(folder), cache_dir=cache)
    b.counts["splits"] = len(bigbio)
    for split in SPLITS:
        reference = read_jsonl(corpus / "jsonl" / f"{split}.jsonl")
        if split not in bigbio:
            if reference:
                b.problem(f"bigbio: no {split} split, while the corpus has {len(reference)} {split} notes")
            continue
        rows = bigbio[split]
        b.counts[f"rows.{split}"] = rows.num_rows
        if rows.features != declared:
            b.problem(f"bigbio/{split}: the loaded features are not the dataset card's: {rows.features}")
        if rows.num_rows != len(reference):
            b.problem(f"bigbio/{split}: {rows.num_rows} rows, {len(reference)} notes")
        for row, ref in zip(rows, reference):
            text = row["passages"][0]["text"][0]
            if row["id"] != ref["id"] or text != ref["text"]:
                b.problem(f"bigbio/{split}: row {row['id']} is not note {ref['id']}")
                continue
            if len(row["entities"]) != len(ref["entities"]) + len(ref["phi"]):
                b.problem(f"{row['id']}: {len(row['entities'])} bigbio entities, {len(ref['entities']) + len(ref['phi'])} in the JSONL")
            ids = {e["id"] for e in row["entities"]}
            for e in row["entities"]:
                b.counts["entities"] += 1
                for (start, end), piece in zip(e["offsets"], e["text"]):
                    if text[start:end] != piece:
                        b.problem(f"{e['id']}: offsets [{start}, {end}) select {text[start:end]!r}, not {piece!r}")
                b.counts["normalized"] += len(e["normalized"])
            for r in row["relations"]:
                b.counts["relations"] += 1
                if r["arg1_id"] not in ids or r["arg2_id"] not in ids:
                    b.problem(f"{r['id']}: an argument is no entity of {row['id']}")
    return {"jsonl": jsonl, "bigbio": b.result()}


def check_lxml(corpus, reference):
    from lxml import etree

    s = Section()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, strip_cdata=False)
    for split in SPLITS:
        by_id = {r["id"]: r for r in reference[split]}
        files = sorted((corpus / "i2b2" / split).glob("*.xml")) if (corpus / "i2b2" / split).exists() else []
        if len(files) != len(by_id):
            s.problem(f"i2b2/{split}: {len(files)} XML files, {len(by_id)} notes")
        for path in files:
            s.counts["files"] += 1
            try:
                root = etree.parse(str(path), parser).getroot()
            except etree.XMLSyntaxError as error:
                s.problem(f"{path.name}: {error}")
                continue
            ref = by_id.get(path.stem)
            text = root.findtext("TEXT")
            if root.tag != "deIdi2b2" or ref is None or text != ref["text"]:
                s.problem(f"{path.name}: root {root.tag}, its TEXT is not the JSONL note {path.stem}'s")
                continue
            got = []
            for tag in root.find("TAGS"):
                s.counts["tags"] += 1
                start, end = int(tag.get("start")), int(tag.get("end"))
                if text[start:end] != tag.get("text"):
                    s.problem(f"{path.name} {tag.get('id')}: [{start}, {end}) selects {text[start:end]!r}, not {tag.get('text')!r}")
                got.append((start, end, tag.get("TYPE"), tag.tag))
            wanted = [(p["start"], p["end"], p["type"], p["category"]) for p in ref["phi"]]
            if sorted(got) != sorted(wanted):
                s.problem(f"{path.name}: {len(got)} tags, the JSONL note has {len(wanted)} PHI spans (or they differ)")
    return s.result()


def main():
    corpus, readme, work = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    reference = {split: read_jsonl(corpus / "jsonl" / f"{split}.jsonl") for split in SPLITS}
    result = {
        "versions": {name: version(name) for name in ("spacy", "datasets", "seqeval", "lxml", "pyarrow")},
        "notes": {split: len(reference[split]) for split in SPLITS},
        "spacy_jsonl": check_spacy_jsonl(corpus, reference, readme, work),
        "spacy_conll": check_spacy_conll(corpus, reference, work),
        "seqeval": check_seqeval(corpus),
        "datasets": check_datasets(corpus, work),
        "lxml": check_lxml(corpus, reference),
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
