#!/usr/bin/env python3
"""datasketch agreement check for Chartwright's MinHash LSH (see README.md beside this file).

Reads the JSON contract (a file path argument, or stdin), builds datasketch MinHash signatures of
every document with datasketch's default scheme and permutations ("affine32", seed from the
request) and Chartwright's shingle hash, indexes them in a datasketch MinHashLSH with the same
bands and rows, and writes (stdout) datasketch's permutations, each document's signature, every
candidate pair, and the documents per second datasketch reached.

Chartwright's shingle hash, restated here from src/dedup (nothing of it is imported): a document
is its normalized tokens; shingles are runs of `ngram` tokens joined by one space (one shingle of
every token when there are fewer, none for an empty document); a shingle's 32-bit hash is
MurmurHash3_x86_32 (seed 0) of the little-endian uint32 array of its tokens' MurmurHash3_x86_32
(seed 0, UTF-8) hashes. Everything else is datasketch's own MinHash and MinHashLSH, unchanged.
"""
import json
import struct
import sys
import time

import mmh3
from datasketch import MinHash, MinHashLSH

try:
    from importlib.metadata import version as _version

    DATASKETCH_VERSION = _version("datasketch")
except Exception:  # pragma: no cover - metadata missing
    DATASKETCH_VERSION = "unknown"


def token_hash(token: bytes) -> int:
    return mmh3.hash(token, 0, signed=False)


def shingle_hash(shingle: bytes) -> int:
    parts = shingle.split(b" ")
    return mmh3.hash(struct.pack("<%dI" % len(parts), *[token_hash(p) for p in parts]), 0, signed=False)


def shingles(tokens, n):
    if not tokens:
        return []
    if len(tokens) < n:
        return [" ".join(tokens).encode("utf-8")]
    return [" ".join(tokens[i : i + n]).encode("utf-8") for i in range(len(tokens) - n + 1)]


def main() -> None:
    source = open(sys.argv[1], encoding="utf-8") if len(sys.argv) > 1 else sys.stdin
    request = json.load(source)
    n = int(request["ngram"])
    num_perm = int(request["numPerm"])
    bands, rows = int(request["bands"]), int(request["rows"])
    seed = int(request["seed"])
    documents = request["documents"]

    started = time.perf_counter()
    lsh = MinHashLSH(num_perm=num_perm, params=(bands, rows))
    minhashes = []
    for doc in documents:
        m = MinHash(num_perm=num_perm, seed=seed, hashfunc=shingle_hash)
        m.update_batch(shingles(doc["tokens"], n))
        lsh.insert(doc["id"], m)
        minhashes.append(m)
    order = {doc["id"]: i for i, doc in enumerate(documents)}
    pairs = set()
    for doc, m in zip(documents, minhashes):
        for other in lsh.query(m):
            if other == doc["id"]:
                continue
            a, b = sorted((doc["id"], other), key=lambda k: order[k])
            pairs.add((a, b))
    seconds = time.perf_counter() - started

    json.dump(
        {
            "datasketch": DATASKETCH_VERSION,
            "scheme": getattr(minhashes[0], "scheme", "legacy") if minhashes else None,
            "permutations": {
                "a": [int(v) for v in minhashes[0].permutations[0]] if minhashes else [],
                "b": [int(v) for v in minhashes[0].permutations[1]] if minhashes else [],
            },
            "signatures": {doc["id"]: [int(v) for v in m.hashvalues] for doc, m in zip(documents, minhashes)},
            "candidatePairs": sorted([list(p) for p in pairs], key=lambda p: (order[p[0]], order[p[1]])),
            "seconds": seconds,
            "documentsPerSecond": len(documents) / seconds if seconds > 0 else None,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
