"""Proves the interop venv: every NLP consumer imports, and each does real work on a generated note.

Usage: python smoke.py NOTE_TEXT_FILE. Prints one JSON object: versions and what each tool made of
the note (spaCy tokens, an lxml round trip, a datasets row, a CoNLL-U parse, seqeval's F1 of a
labelling against itself, datasketch's Jaccard estimate of the note against itself).
"""
import json
import sys

import conllu
import datasets
import datasketch
import lxml
import lxml.etree as etree
import seqeval
import spacy
from seqeval.metrics import f1_score

text = open(sys.argv[1], encoding="utf-8").read()

nlp = spacy.blank("en")
doc = nlp(text)
tokens = [t.text for t in doc if not t.is_space]

root = etree.fromstring(etree.tostring(etree.Element("note", attrib={"chars": str(len(text))})))

table = datasets.Dataset.from_list([{"text": text, "tokens": tokens}])

conll = "\n".join(f"{i + 1}\t{tok}\t_\t_\t_\t_\t_\t_\t_\t_" for i, tok in enumerate(tokens[:20])) + "\n\n"
sentences = conllu.parse(conll)

labels = [["O"] * len(tokens)]
labels[0][0] = "B-X"

def minhash(words):
    m = datasketch.MinHash(num_perm=64, seed=1)
    for w in words:
        m.update(w.encode("utf-8"))
    return m

print(json.dumps({
    "versions": {
        "spacy": spacy.__version__,
        "datasets": datasets.__version__,
        "lxml": lxml.__version__,
        "conllu": getattr(conllu, "__version__", "installed"),
        "seqeval": getattr(seqeval, "__version__", "installed"),
        "datasketch": getattr(datasketch, "__version__", "installed"),
    },
    "spacy_tokens": len(tokens),
    "lxml_chars": int(root.get("chars")),
    "datasets_rows": table.num_rows,
    "conllu_tokens": len(sentences[0]),
    "seqeval_f1": f1_score(labels, labels),
    "datasketch_jaccard": minhash(tokens).jaccard(minhash(tokens)),
}))
