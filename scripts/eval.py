#!/usr/bin/env python3
"""Post-level evaluation of Saring's categories on a labelled JSONL file.

Each line: {"id": "...", "text": "...", "labels": ["flexing", ...], ...} (the format of
shared/corpus/dev_posts.jsonl).  A post counts as flagged for a category when it has a
finding of that category at severity ``warning`` or ``high`` (``info`` is a nudge).

    python scripts/eval.py ../shared/corpus/dev_posts.jsonl
    python scripts/eval.py FILE --json            # machine-readable
    python scripts/eval.py FILE --errors          # list misses and false alarms
    python scripts/eval.py FILE --category flexing --errors
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import CATEGORIES, Analyzer  # noqa: E402


def load(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not valid JSON ({exc})")
            if not isinstance(row.get("text"), str) or not isinstance(row.get("labels"), list):
                raise SystemExit(f"{path}:{n}: each line needs 'text' (string) and 'labels' (list)")
            row.setdefault("id", f"line{n}")
            rows.append(row)
    return rows


def evaluate(rows: list[dict], analyzer: Analyzer) -> dict:
    reports = analyzer.check_many([r["text"] for r in rows])
    per_cat = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CATEGORIES}
    errors = []
    clean_total = clean_flagged = 0
    for row, rep in zip(rows, reports):
        gold = set(row["labels"])
        flagged = {c for c in CATEGORIES if rep.flagged(c)}
        if not gold:
            clean_total += 1
            clean_flagged += bool(flagged)
        for c in CATEGORIES:
            if c in gold and c in flagged:
                per_cat[c]["tp"] += 1
            elif c in flagged:
                per_cat[c]["fp"] += 1
                ev = [f"{f.rule_id}:{f.text!r}" for f in rep.findings if f.category == c]
                errors.append({"kind": "false_alarm", "category": c, "id": row["id"], "text": row["text"], "evidence": ev})
            elif c in gold:
                per_cat[c]["fn"] += 1
                ev = [f"{f.rule_id}:{f.severity}:{f.text!r}" for f in rep.findings if f.category == c]
                errors.append({"kind": "miss", "category": c, "id": row["id"], "text": row["text"], "evidence": ev})
    for c, m in per_cat.items():
        tp, fp, fn = m["tp"], m["fp"], m["fn"]
        m["support"] = tp + fn
        m["precision"] = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
        m["recall"] = tp / (tp + fn) if tp + fn else 1.0
        p, r = m["precision"], m["recall"]
        m["f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "posts": len(rows),
        "categories": per_cat,
        "clean": {"posts": clean_total, "flagged": clean_flagged,
                  "false_alarm_rate": clean_flagged / clean_total if clean_total else 0.0},
        "errors": errors,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--errors", action="store_true", help="list misses and false alarms")
    ap.add_argument("--category", choices=CATEGORIES, help="only this category's errors")
    args = ap.parse_args(argv)
    if not args.file.exists():
        print(f"eval: no such file: {args.file}", file=sys.stderr)
        return 2
    result = evaluate(load(args.file), Analyzer())
    if args.category:
        result["errors"] = [e for e in result["errors"] if e["category"] == args.category]
    if args.json:
        out = dict(result)
        if not args.errors:
            out.pop("errors")
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.file}  ({result['posts']} posts)\n")
    print(f"{'category':<22}{'support':>8}{'TP':>5}{'FP':>5}{'FN':>5}{'prec':>8}{'recall':>8}{'F1':>7}")
    for c, m in result["categories"].items():
        print(f"{c:<22}{m['support']:>8}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}"
              f"{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>7.3f}")
    cl = result["clean"]
    print(f"\nclean posts flagged: {cl['flagged']}/{cl['posts']} = {cl['false_alarm_rate']:.1%}")
    if args.errors:
        print()
        for e in result["errors"]:
            print(f"[{e['kind']}] {e['category']} {e['id']}: {e['text'][:160]!r}")
            if e["evidence"]:
                print(f"    evidence: {', '.join(e['evidence'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
