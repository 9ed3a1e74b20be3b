#!/usr/bin/env python3
"""Measure ``hate_abuse`` on real Indonesian tweets (Ibrohim & Budi, 2019, dev part).

The tweet set lives outside the project (``../shared/data/ibrohim2019/re_dataset_dev.csv``,
CC BY-NC-SA, for measuring only: nothing from it is copied into the project).  Each tweet is
run through ``Analyzer.check_many``; a tweet counts as predicted positive when it has a
``hate_abuse`` finding at ``warning`` or above (the contract's "flagged").  A second variant
also counts ``info`` findings.  Precision, recall and F1 are given against the ``Abusive``
label and against the ``HS`` (hate speech) label.

    python scripts/eval_ibrohim.py
    python scripts/eval_ibrohim.py --json
    python scripts/eval_ibrohim.py --errors 20        # some misses and false alarms
    python scripts/eval_ibrohim.py --file OTHER.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import Analyzer  # noqa: E402
from nlp.rules import SEVERITY_RANK  # noqa: E402

DEFAULT_FILE = ROOT.parent / "shared" / "data" / "ibrohim2019" / "re_dataset_dev.csv"
CATEGORY = "hate_abuse"

_LITERAL_NEWLINE = re.compile(r"\\n")
_BYTE_ESCAPES = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")
_USER = re.compile(r"\bUSER\b")
_URL = re.compile(r"\bURL\b")
_RT = re.compile(r"^\s*RT\s+(?=@user)")


def clean_tweet(text: str) -> str:
    """Undo the dataset's storage artefacts so the text reads like a post.

    The authors replaced usernames by ``USER`` and links by ``URL`` and kept newlines as the two
    characters ``\\n`` (and some emoji as literal ``\\xf0\\x9f…`` escapes).  We restore a mention sign (``@user``), a neutral link and real
    newlines, and drop a leading retweet marker.
    """
    text = _LITERAL_NEWLINE.sub("\n", text)
    text = _BYTE_ESCAPES.sub(" ", text)  # emoji stored as literal "\xf0\x9f..." escapes
    text = _USER.sub("@user", text)
    text = _URL.sub("https://t.co/x", text)
    text = _RT.sub("", text)
    return text.strip()


def load_tweets(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.append({"text": row["Tweet"], "abusive": row["Abusive"].strip() == "1",
                         "hs": row["HS"].strip() == "1"})
    return rows


def _prf(pred: list[bool], gold: list[bool]) -> dict:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "support": tp + fn, "precision": prec, "recall": rec, "f1": f1}


def evaluate(rows: list[dict], analyzer: Analyzer) -> dict:
    reports = analyzer.check_many([clean_tweet(r["text"]) for r in rows], categories=[CATEGORY])
    best = []
    for rep in reports:
        sev = max((SEVERITY_RANK[f.severity] for f in rep.findings if f.category == CATEGORY), default=0)
        best.append(sev)
    warn = [s >= SEVERITY_RANK["warning"] for s in best]
    info = [s >= SEVERITY_RANK["info"] for s in best]
    abusive = [r["abusive"] for r in rows]
    hs = [r["hs"] for r in rows]
    result = {
        "tweets": len(rows),
        "warning_plus": {"abusive": _prf(warn, abusive), "hs": _prf(warn, hs),
                         "abusive_or_hs": _prf(warn, [a or h for a, h in zip(abusive, hs)])},
        "info_plus": {"abusive": _prf(info, abusive), "hs": _prf(info, hs)},
    }
    errors = []
    for row, rep, flagged in zip(rows, reports, warn):
        if flagged != row["abusive"]:
            ev = [f"{f.rule_id}:{f.severity}:{f.text!r}" for f in rep.findings if f.category == CATEGORY]
            errors.append({"kind": "false_alarm" if flagged else "miss", "text": clean_tweet(row["text"]),
                           "hs": row["hs"], "evidence": ev})
    result["errors"] = errors
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE, help="the tweets CSV (default: %(default)s)")
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="list N misses and N false alarms")
    ap.add_argument("--seed", type=int, default=0, help="which errors to sample")
    args = ap.parse_args(argv)
    if not args.file.exists():
        print(f"eval_ibrohim: no such file: {args.file}", file=sys.stderr)
        return 2
    rows = load_tweets(args.file)
    result = evaluate(rows, Analyzer())
    errors = result.pop("errors")
    picked = []
    if args.errors:
        rnd = random.Random(args.seed)
        for kind in ("false_alarm", "miss"):
            pool = [e for e in errors if e["kind"] == kind]
            picked += rnd.sample(pool, min(args.errors, len(pool)))
    if args.json:
        if args.errors:
            result["errors"] = picked
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.file}  ({result['tweets']} tweets), category {CATEGORY}\n")
    print(f"{'counted':<14}{'label':<15}{'support':>8}{'TP':>6}{'FP':>6}{'FN':>6}{'prec':>8}{'recall':>8}{'F1':>7}")
    for variant in ("warning_plus", "info_plus"):
        for label, m in result[variant].items():
            print(f"{variant:<14}{label:<15}{m['support']:>8}{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}"
                  f"{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>7.3f}")
    for e in picked:
        print(f"\n[{e['kind']}] HS={int(e['hs'])} {e['text'][:200]!r}")
        if e["evidence"]:
            print(f"    evidence: {', '.join(e['evidence'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
