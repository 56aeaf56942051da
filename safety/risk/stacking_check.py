"""An honest check of the learned layer: stack it on a pattern layer that has NOT seen the test sets.

    python -m safety.risk.stacking_check [--ngrams 2048]

The current patterns were tuned on every set in tests/data, so cross-validation over those sets cannot show how the
learned layer behaves when the patterns make first-contact mistakes (as they will on unseen speech). This extracts
the FIRST-pass risk package from git (commit ``FIRST_PASS``, which saw only dev + holdout) into a temporary
directory, and, for each later set k in order, trains the learned layer on the sets before k with features from
those old patterns (no hand exemplars: they were written later), chooses thresholds by leave-one-set-out CV inside
the training sets, and tests on k. Prints patterns+kNN alone, learned alone and combined. Needs the git history.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from safety.types import Level

from . import train as T

FIRST_PASS = "db367cc"
ORDER = ["dev", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6"]


def _old_package(tmp: Path):
    pkg = tmp / "fprisk"
    pkg.mkdir()
    names = subprocess.run(["git", "-C", str(T.ROOT), "ls-tree", "--name-only", FIRST_PASS, "safety/risk/"],
                           check=True, capture_output=True, text=True).stdout.split()
    for name in names:
        src = subprocess.run(["git", "-C", str(T.ROOT), "show", f"{FIRST_PASS}:{name}"], check=True,
                             capture_output=True, text=True).stdout
        (pkg / Path(name).name).write_text(src.replace("from safety.risk", "from fprisk"), encoding="utf-8")
    sys.path.insert(0, str(tmp))
    return importlib.import_module("fprisk")


def main(argv: list[str]) -> int:
    from safety.embedding import get_embedder

    from .normalize import normalize
    from .semantic import _focus

    T.N_HASH = int(argv[argv.index("--ngrams") + 1]) if "--ngrams" in argv else 2048
    items = []
    for s in ORDER:
        for line in (T.DATA / f"risk_{s}.jsonl").open(encoding="utf-8"):
            if line.strip():
                row = json.loads(line)
                row["set"] = s
                items.append(row)
    with tempfile.TemporaryDirectory() as tmp:
        old = _old_package(Path(tmp))
        emb = get_embedder()
        texts = [_focus(normalize(it["text"])) for it in items]
        vecs = emb.embed_many(texts)
        pat = [old.analyse(it["text"], semantic=False) for it in items]
        prep = {"vecs": vecs, "norms": [old.normalize(it["text"]) for it in items],
                "pat_level": [p[0] for p in pat], "pat_sigs": [p[2] for p in pat],
                "base": [old.analyse(it["text"], semantic=True)[0] for it in items]}
    setarr = np.array([it["set"] for it in items])
    gold = [Level(it["level"]) for it in items]
    print("| test set | trained on | system | high/imm >= high | any risk >= low | risk-free >= low | risk-free >= high |")
    print("|---|---|---|---|---|---|---|")
    for k in range(2, len(ORDER)):
        seen = ORDER[:k]
        tr = np.where(np.isin(setarr, seen))[0]
        P = np.zeros((len(items), 4), dtype=np.float32)
        for s in seen:
            a = np.where(np.isin(setarr, [x for x in seen if x != s]))[0]
            b = np.where(setarr == s)[0]
            P[b] = T.predict(T.fit(items, prep, a), prep, b)
        th = T.choose_thresholds(P[tr], prep, tr, [gold[i] for i in tr], [items[i]["set"] for i in tr])
        te = np.where(setarr == ORDER[k])[0]
        lo, co = T.combined_levels(T.predict(T.fit(items, prep, tr), prep, te), prep, te, th)
        g = [gold[i] for i in te]
        for name, pred in (("first-pass patterns+kNN", [prep["base"][i] for i in te]), ("learned only", lo),
                           ("combined", co)):
            a_, b_, c_, d_ = T.metrics(g, pred)
            print(f"| {ORDER[k]} | {'+'.join(seen)} | {name} | {a_:.1%} | {b_:.1%} | {c_:.1%} | {d_} |")
        print(f"| | bars {np.round(th, 2).tolist()} | | | | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
