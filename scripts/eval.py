#!/usr/bin/env python3
"""Post-level evaluation of Saring's categories on a labelled JSONL file, and the full report.

Each line: {"id": "...", "text": "...", "labels": ["flexing", ...], ...} (the format of
shared/corpus/dev_posts.jsonl).  A post counts as flagged for a category when it has a
finding of that category at severity ``warning`` or ``high`` (``info`` is a nudge).

    python scripts/eval.py ../shared/corpus/dev_posts.jsonl
    python scripts/eval.py nlp/train/new_writers  # a folder: all its batch files
    python scripts/eval.py FILE --mode rules      # rules only | model (its score >= the warning threshold) | hybrid (default)
    python scripts/eval.py FILE --json            # machine-readable
    python scripts/eval.py FILE --errors          # list misses and false alarms
    python scripts/eval.py FILE --category flexing --errors
    python scripts/eval.py --report               # rules / model / hybrid on the test split, the posts
                                                  # of writers no model has read, the dev
                                                  # corpus, the Ibrohim dev tweets, and real-text rates
                                                  # (all IndoNLU train texts, and those outside the
                                                  # training corpus)
    python scripts/eval.py --report --json > report.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import CATEGORIES, Analyzer  # noqa: E402


def load(path: Path, id_prefix: str = "line") -> list[dict]:
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
            row.setdefault("id", f"{id_prefix}{n}")
            rows.append(row)
    return rows


MODES = ("rules", "model", "hybrid")


class ModelOnly:
    """The model alone: a post is flagged for a category when the model's score reaches the
    category's ``warning`` threshold (what the hybrid would add if no rule fired)."""

    def __init__(self, analyzer: Analyzer):
        self.analyzer = analyzer

    def flags(self, texts: list[str]) -> list[set[str]]:
        th = self.analyzer.model_thresholds
        return [{c for c, p in scores.items() if p >= th.get(c, {}).get("warning", 1.01)}
                for scores in self.analyzer.model_scores(texts)]


MODEL_DIR = None  # --model DIR: evaluate a model other than the shipped one


def _analyzer(config=None) -> Analyzer:
    return Analyzer(config, model_dir=MODEL_DIR)


def make_predictor(mode: str, analyzer: Analyzer | None = None):
    if mode == "rules":
        return Analyzer({"model": {"enabled": False}})
    base = analyzer or _analyzer()
    if mode == "model":
        if not base.model_enabled:
            raise SystemExit("eval: no trained model is installed (nlp/data/model)")
        return ModelOnly(base)
    return base


def _flags_and_evidence(texts, predictor):
    if isinstance(predictor, ModelOnly):
        return [(f, []) for f in predictor.flags(texts)]
    out = []
    for rep in predictor.check_many(texts):
        out.append(({c for c in CATEGORIES if rep.flagged(c)}, rep.findings))
    return out


def evaluate(rows: list[dict], analyzer) -> dict:
    """``analyzer``: an Analyzer (what it flags) or a ``ModelOnly``."""
    predicted = _flags_and_evidence([r["text"] for r in rows], analyzer)
    per_cat = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CATEGORIES}
    errors = []
    clean_total = clean_flagged = 0
    for row, (flagged, findings) in zip(rows, predicted):
        gold = set(row["labels"])
        if not gold:
            clean_total += 1
            clean_flagged += bool(flagged)
        for c in CATEGORIES:
            if c in gold and c in flagged:
                per_cat[c]["tp"] += 1
            elif c in flagged:
                per_cat[c]["fp"] += 1
                ev = [f"{f.rule_id}:{f.text!r}" for f in findings if f.category == c]
                errors.append({"kind": "false_alarm", "category": c, "id": row["id"], "text": row["text"], "evidence": ev})
            elif c in gold:
                per_cat[c]["fn"] += 1
                ev = [f"{f.rule_id}:{f.severity}:{f.text!r}" for f in findings if f.category == c]
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


# ------------------------------------------------------------------ the full report
ROOT = Path(__file__).resolve().parent.parent
TEST_SPLIT = ROOT / "nlp" / "train" / "splits" / "test.jsonl"
# Posts by writers whose posts are in no split (nlp/train/new_writers/, DATA.md): how the model
# does on people it has never read, the closest stand-in for issue 11's held-out posts.
NEW_WRITERS = ROOT / "nlp" / "train" / "new_writers"
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "dev_posts.jsonl"
INDONLU = ROOT.parent / "shared" / "data" / "indonlu"
IBROHIM = ROOT.parent / "shared" / "data" / "ibrohim2019" / "re_dataset_dev.csv"


def load_dir(folder: Path) -> list[dict]:
    """Every post of a folder of batch files (``<writer>_<NN>.jsonl``)."""
    rows: list[dict] = []
    for path in sorted(folder.glob("*.jsonl")):
        rows.extend(load(path, id_prefix=f"{path.stem}:"))  # a post without an id: its file and line
    return rows


def indonlu_texts(folder: Path = INDONLU) -> list[str]:
    """Every IndoNLU train text (comments/reviews, tweets, car and hotel reviews)."""
    import csv

    texts = []
    smsa = folder / "smsa_train.tsv"
    if smsa.exists():
        texts += [line.split("\t")[0] for line in smsa.read_text(encoding="utf-8").splitlines() if line.strip()]
    for name, col in (("emot_train.csv", "tweet"), ("casa_train.csv", "sentence"), ("hoasa_train.csv", "review")):
        path = folder / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                texts += [row[col] for row in csv.DictReader(fh)]
    return texts


def _rates(flags: list[set]) -> dict:
    """Warnings per 1,000 texts and category, from each text's flagged categories."""
    return {c: 1000 * sum(c in f for f in flags) / max(1, len(flags)) for c in CATEGORIES}


def corpus_texts() -> set[str]:
    """Every text of the training corpus (nlp/train/batches): the IndoNLU texts outside it are the
    closest stand-in for the held-out real text of issue 11."""
    out = set()
    for path in (ROOT / "nlp" / "train" / "batches").glob("*.jsonl"):
        out.update(json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def _ibrohim(predictors) -> dict | None:
    if not IBROHIM.exists():
        return None
    sys.path.insert(0, str(ROOT / "scripts"))
    import eval_ibrohim as ib

    rows = ib.load_tweets(IBROHIM)
    texts = [ib.clean_tweet(r["text"]) for r in rows]
    out = {}
    for mode, pred in predictors.items():
        flags = [("hate_abuse" in f) for f, _ in _flags_and_evidence(texts, pred)]
        m = ib._prf(flags, [r["abusive"] for r in rows])
        clean = [f for f, r in zip(flags, rows) if not r["abusive"] and not r["hs"]]
        m["clean_tweets_flagged_per_1000"] = 1000 * sum(clean) / max(1, len(clean))
        out[mode] = m
    return out


def full_report() -> dict:
    hybrid = _analyzer()
    predictors = {"rules": make_predictor("rules"), "hybrid": hybrid}
    if hybrid.model_enabled:
        predictors["model"] = ModelOnly(hybrid)
    report: dict = {"modes": list(predictors)}
    for name, path in (("test_split", TEST_SPLIT), ("new_writers", NEW_WRITERS), ("dev_corpus", DEV_CORPUS)):
        if path.exists():
            rows = load_dir(path) if path.is_dir() else load(path)
            report[name] = {mode: {k: v for k, v in evaluate(rows, p).items() if k != "errors"}
                            for mode, p in predictors.items()}
        else:
            report[name] = None
    report["ibrohim_dev"] = _ibrohim(predictors)
    texts = indonlu_texts()
    report["indonlu_train_per_1000"] = report["indonlu_not_in_corpus_per_1000"] = None
    if texts:
        flags = {mode: [f for f, _ in _flags_and_evidence(texts, p)] for mode, p in predictors.items()}
        report["indonlu_train_per_1000"] = {"texts": len(texts), **{mode: _rates(f) for mode, f in flags.items()}}
        seen = corpus_texts()
        held = [f for t, f in zip(texts, flags["hybrid"]) if t not in seen]
        report["indonlu_not_in_corpus_per_1000"] = {"texts": len(held), "hybrid": _rates(held)}
    return report


def print_report(r: dict) -> None:
    modes = r["modes"]
    for name in ("test_split", "new_writers", "dev_corpus"):
        block = r.get(name)
        if not block:
            print(f"## {name}: not available\n")
            continue
        posts = block[modes[0]]["posts"]
        print(f"## {name} ({posts} posts) — precision / recall\n")
        print("| category | " + " | ".join(modes) + " |")
        print("|---|" + "---|" * len(modes))
        for c in CATEGORIES:
            cells = [f"{block[m]['categories'][c]['precision']:.2f} / {block[m]['categories'][c]['recall']:.2f}" for m in modes]
            print(f"| {c} | " + " | ".join(cells) + " |")
        print("| clean posts flagged | " + " | ".join(f"{block[m]['clean']['false_alarm_rate']:.1%}" for m in modes) + " |\n")
    ib = r.get("ibrohim_dev")
    if ib:
        print("## Ibrohim dev tweets, hate_abuse vs Abusive\n")
        print("| mode | precision | recall | F1 | annotator-clean tweets flagged per 1,000 |")
        print("|---|---|---|---|---|")
        for m in modes:
            x = ib[m]
            print(f"| {m} | {x['precision']:.3f} | {x['recall']:.3f} | {x['f1']:.3f} | {x['clean_tweets_flagged_per_1000']:.1f} |")
        print()
    rt = r.get("indonlu_train_per_1000")
    if rt:
        print(f"## Real text: warnings per 1,000 IndoNLU train texts ({rt['texts']})\n")
        print("| category | " + " | ".join(modes) + " |")
        print("|---|" + "---|" * len(modes))
        for c in CATEGORIES:
            print(f"| {c} | " + " | ".join(f"{rt[m][c]:.2f}" for m in modes) + " |")
        print()
    held = r.get("indonlu_not_in_corpus_per_1000")
    if held:
        print(f"## Real text not in the training corpus: hybrid warnings per 1,000 ({held['texts']} texts)\n")
        print("| category | hybrid |\n|---|---|")
        for c in CATEGORIES:
            print(f"| {c} | {held['hybrid'][c]:.2f} |")
        print()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path, nargs="?")
    ap.add_argument("--mode", choices=MODES, default="hybrid", help="rules only, model only, or both (default)")
    ap.add_argument("--report", action="store_true", help="the full report (see above)")
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--errors", action="store_true", help="list misses and false alarms")
    ap.add_argument("--category", choices=CATEGORIES, help="only this category's errors")
    ap.add_argument("--model", type=Path, help="a trained model folder other than the shipped nlp/data/model")
    args = ap.parse_args(argv)
    global MODEL_DIR
    MODEL_DIR = args.model
    if args.report:
        report = full_report()
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            print_report(report)
        return 0
    if args.file is None:
        ap.error("give a FILE or --report")
    if not args.file.exists():
        print(f"eval: no such file: {args.file}", file=sys.stderr)
        return 2
    rows = load_dir(args.file) if args.file.is_dir() else load(args.file)
    result = evaluate(rows, make_predictor(args.mode))
    if args.category:
        result["errors"] = [e for e in result["errors"] if e["category"] == args.category]
    if args.json:
        out = dict(result)
        if not args.errors:
            out.pop("errors")
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.file}  ({result['posts']} posts, {args.mode})\n")
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
