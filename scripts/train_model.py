#!/usr/bin/env python3
"""Rebuild Saring's category model from the corpus in the repo (one seeded command).

    python scripts/train_model.py                  # corpus -> splits -> spaCy training -> calibrate -> nlp/data/model/
    python scripts/train_model.py --import-batches /work/corpus_batches   # copy new batch files in first
    python scripts/train_model.py --splits-only    # assemble and split, write nlp/train/splits/ and the counts
    python scripts/train_model.py --sample 300 --out /tmp/m   # small run (CI, tests)

Steps
1. Assemble: every ``nlp/train/batches/<source>_<NN>.jsonl`` (one file = one generation batch:
   text, labels, and platform/style or source/row) plus the team's posts in
   ``tests/data/*_posts.jsonl`` (one batch per file).  Labels are checked against the eight
   categories; exact duplicates (after folding case, spaces and punctuation) are kept once.
2. Split by batch, never by row: each batch goes whole to train, dev or test, chosen by a
   seeded hash of its name (stable as batches are added); every source with three or more
   batches gives at least one to dev and one to test.  The team's posts (the rules' own
   examples) always train.  Near-duplicate check: a dev/test post that shares half of its
   word 5-grams with a train post (or equals one) is dropped from dev/test and counted.
3. Train with spaCy (``nlp/train/config.cfg``, ``spacy.cli.train``), seeded.  A config with a
   ``paths.floret`` (the word-vector variant, ``config_floret.cfg``) first gets floret word vectors
   trained on the train split's own text (normalised words; character 3-5-grams hashed into a
   small table; one thread, so the table is reproducible).
4. Calibrate on dev (precision first): per category the ``warning`` threshold (the lowest at
   which the model's own additions keep a precision whose 90% lower bound is >= 0.90 and the
   hybrid keeps precision >= 0.95, or the rules' own where that is lower, and the model adds
   no more false alarms on the real-text dev posts than issue 11's real-text targets allow), the
   ``info`` threshold below it, and the ``clean`` threshold under which the model may lower a
   rule's warning (what it lowers on dev must be mostly false alarms, three for each right
   warning at least, and cost at most 2% of the rules' right warnings; at most 0.1 and at most
   half the lowest score the model gives a dev post the rules flag rightly), and the ``sure``
   level from which the model's own finding overrides its category's context words (what that
   adds on dev must be at least 90% right).
5. Write the model into the package (``nlp/data/model/``): weights, labels, architecture,
   thresholds and how it was built (``model.json``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRAIN_DIR = ROOT / "nlp" / "train"
BATCH_DIR = TRAIN_DIR / "batches"
SPLIT_DIR = TRAIN_DIR / "splits"
CONFIG = TRAIN_DIR / "config.cfg"
MODEL_OUT = ROOT / "nlp" / "data" / "model"
TEAM_GLOB = "tests/data/*_posts.jsonl"
BATCH_NAME = re.compile(r"^([a-z]+)_(\d+)\.jsonl$")
DEV_SHARE = TEST_SHARE = 0.12
# Real text is where thresholds are hardest to set (the writers' posts do not show how everyday
# comments and tweets look): more of it goes to dev.
DEV_SHARE_BY_SOURCE = {"indonlu": 0.22}
# Warnings per 1,000 real everyday texts (the targets of issue 11): the model may add false
# alarms on the real-text dev posts (texts the judge found clean) only within these.
REAL_TEXT_BUDGET = {"flexing": 0.5, "personal_data": 0.5, "confidential_info": 0.3, "misinformation": 0.3,
                    "gratification": 0.3, "facility_misuse": 0.3, "political_neutrality": 4.0, "hate_abuse": 30.0}
NEAR_DUP = 0.5  # share of a post's word 5-grams found in one train post

# hybrid precision on dev a warning threshold must keep (0.95 until the sixth writing round; issue
# 11 asks >= 0.92 on the test split, and on seven writers the model had never read the hybrid kept
# 0.94-0.99 in every category but gratification at the thresholds chosen with 0.95)
TARGET_PRECISION = 0.93
TARGET_ADDED_PRECISION = 0.90  # lower confidence bound (Wilson, 90%) of the precision of the posts only the model flags
WARNING_FLOOR = 0.55  # precision first: below this the model only nudges, whatever dev says
# Lower floors where dev allows more recall (issue 11 follow-up): at these the hybrid keeps
# precision >= 0.92 on dev and flags <= 2% of clean dev posts, and every work post of the
# kinerja / false-alarm tests stays below the ``info`` threshold (0.9 x warning) with a margin
# (their highest model scores: confidential_info 0.38, gratification 0.37). facility_misuse was
# 0.45 too, and went back to 0.55: at 0.45 it warned on a clean post about sharing a hotel room
# on a duty trip (0.545) in the shared development corpus. Flexing (0.48 on a
# work post), misinformation (0.53 on a call to spread a duty notice, which must stay a nudge),
# political_neutrality (real-text false alarms), personal_data (no recall gained on dev at 0.5,
# a shop's phone number flagged in real text) and hate_abuse keep 0.55.
# After the second writing round (6,339 more posts) the retrained model put two duty posts of the
# kinerja / false-alarm tests just over 0.55: a call to pass on a duty notice ("apel pagi ditunda
# jam 9, mohon sebarkan", misinformation 0.562) and sharing a hotel room on a duty trip to stretch
# the SPPD (facility_misuse 0.555); those two categories warned from 0.6.  In the fifth round
# facility_misuse came down to 0.45 and flexing to 0.5 (measured on two writers the model never
# read: facility recall +4-5 points, flexing +1-2, precision unchanged, no real-text facility
# warning added); the two work posts that had held them up are kept quiet by the rules' words
# instead (``thrift`` beside facility_misuse.model, ``endured`` beside flexing.model).  In the
# sixth round confidential_info came down to 0.35: leaks posted without a leak word were its
# largest miss on writers the model never read (recall 0.58-0.67), and from 0.45 to 0.35 a
# hold-out model gained 5 points there at unchanged precision, with no real-text warning added
# (dev then chose 0.425).  Flexing went back to 0.55 when calibration learnt to credit the model
# rule's context words (``quiet`` below) and dev chose 0.5: at 0.5 the model warned on two of the
# 12,781 real texts outside the corpus (a shop's promotion, a fashion-show news line), 0.55 per
# 1,000 against issue 11's 0.5, for one point of recall on a writer it never read.
# In the ninth round flexing, personal_data and misinformation came down to 0.5, measured
# on two ninth-round writers held out of training (`lingkungan`, `kepegawaian`): recall +1-3 points
# (flexing), +2 (personal_data), +2-6 (misinformation) at unchanged precision; dev precision
# 0.949 / 0.985 / 0.994; on the 12,781 real texts outside the corpus one more flexing warning
# (0.31 -> 0.39 per 1,000), none in the other two.  The duty notice that held misinformation at 0.6
# ("apel pagi ditunda jam 9, mohon sebarkan") is kept quiet by ``duty_notice`` instead, and the bank
# branch's telephone that held personal_data by that rule's context words.
# In the twelfth round misinformation came down to 0.4, gratification to 0.35 and facility_misuse to
# 0.4, measured on the round's six writers before any of their posts was imported (the model of
# the eleventh round, the rules of that hour): hybrid recall +6 (misinformation, 0.58 -> 0.64),
# +4 (gratification, 0.69 -> 0.73) and +3 (facility_misuse, 0.84 -> 0.87) points, precision
# 0.97 / 0.98 / 0.93 unchanged; on the 12,781 real texts outside the corpus 0.31 / 0.16 / 0.23
# warnings per 1,000.  political_neutrality would gain most from a lower threshold (0.81 -> 0.88
# at 0.5 on those writers, precision 0.98) but warns 21 times per 1,000 real texts there against
# 14 at 0.7: the real-text budget keeps it where dev puts it.
# In the fifteenth round facility_misuse went back to 0.45: the retrained model put one of our own
# clean posts, an evening concert after office hours ("… malamnya nonton konser pakai tiket beli
# sendiri"), at 0.415, over the 0.4 dev chose (dev recall 0.905 at 0.4, 0.897 at 0.45).  And
# confidential_info went to 0.45, misinformation to 0.5: the retrained model scored everyday texts
# higher there (of the 12,781 real texts outside the corpus, confidential 0.70 and misinformation
# 0.63 warnings per 1,000 at 0.35 / 0.4 against issue 11's 0.3: "Tgl 30 Juni kemaren udah
# degdegan aja pengumuman dospem", "daftar obat sakit tenggorokan yang diresepkan dan dijual
# bebas"; 0.31 and 0.23 at 0.45 / 0.5), for 1-2 points of dev recall (0.872 -> 0.861, 0.939 ->
# 0.927).  Chosen with those texts in view, as flexing's 0.55 once was.
# In the seventeenth round flexing went back to 0.55: the model retrained on two rounds weighted to
# arrogance of rank scored everyday texts higher for flexing (of the 12,781 real texts outside the
# corpus, 10 warnings at the 0.525 dev chose, 0.78 per 1,000 against issue 11's 0.5: three car
# comments, now a buyer's review by their words, "saran saya buat urusin saja proyek tinja mu ,
# jangan sok tahu ." at 0.54); at 0.55, 5 (0.39), for 0.4 points of dev recall (0.888 -> 0.884).
# Chosen with those texts in view.
# In the eighteenth round flexing went to 0.6: the model retrained on a round weighted to flexing put
# seven of the 12,781 real texts outside the corpus over the 0.575 dev chose (0.55 per 1,000), two of
# them just over it: a car buyer comparing waiting times ("cukup sebulan buat inden fortuner gak kaya
# xpander sampe setahun", 0.576, a rule's nudge the model confirmed) and a reply about tagging
# ("… jangan kasih kode …", 0.585); at 0.6, 5 (0.39), for 0.2 points of dev recall (0.870 ->
# 0.868) and 4 of the 242 flexing posts of four writers no model had read (0.628 -> 0.612, precision
# 0.968 -> 0.980).  Chosen with those texts in view.
# In the twenty-first round flexing went to 0.625: the retrained model put seven real texts over 0.6
# (0.55 per 1,000), two of them between 0.6 and 0.625 (a shop's promotion with a holiday to win,
# "… dapatkan cookingware keren plus kesempatan liburan ke holand"; a mother waking her child for
# sahur, "… sekali ditelpon terus sampe bangun"); at 0.625, 5 (0.39), for 0.7 points of dev recall
# (0.846 -> 0.839).  Chosen with those texts in view, before the new writers were scored at it.
# In the twenty-third round flexing came down to 0.525: 8,000 more real texts judged and trained on
# (``batches/indonlu_25``-``64``, all but four of them not flexing) took the retrained model's flexing
# scores on everyday text down (of the 4,755 IndoNLU train texts still outside the corpus none reaches
# 0.4, two reach 0.325, the value dev chose), so the floor is now set by our own clean posts
# (``tests/data``): the lowest value whose ``info`` band (0.95 x warning) none of them reaches but two
# that context words keep quiet (a circular on the flexing ban, 0.58; airport travel advice, 0.50):
# the highest of the rest, "Anak saya lolos beasiswa S2 ke Jepang …", scores 0.476 (at 0.325 it and a
# shared qurban cow warned).
# Chosen on dev, the real texts and our own posts; the writers in ``new_writers/`` were scored at it
# afterwards (docs/model.md, "The twenty-third round").
# In the twenty-fifth round flexing came down to 0.4 by the same rule: 2,000 posts written to draw
# the line between flexing and the clean posts that sit next to it (a child's scholarship, a qurban
# cow bought by seven, a watch from one's parents) took the retrained model's scores on those down
# ("Anak saya lolos beasiswa S2 ke Jepang …" 0.476 -> 0.29); the highest of our own clean posts that
# no context word keeps quiet is now a graduation watch from one's parents, 0.36 (a wish for a
# Rubicon, 0.48, is kept quiet as a wish).  Of the 4,755 IndoNLU train texts outside the corpus two
# warn at 0.4 (0.42 per 1,000, issue 11's target 0.5): a new Fortuner's arrival (0.72, the vehicle
# rule's, at any floor) and a buyer's complaint, "xenia ini mobil paling jelek …" (0.48).  Dev chose
# 0.325.  Chosen before ``new_writers/`` was scored at it.
WARNING_FLOOR_BY_CATEGORY = {"confidential_info": 0.45, "gratification": 0.35, "misinformation": 0.5,
                             "facility_misuse": 0.45, "flexing": 0.4, "personal_data": 0.5}
GRID = [round(0.15 + 0.025 * i, 3) for i in range(31)] + [0.93, 0.95, 0.97, 0.98, 0.99]
# ``clean`` stays at or below 0.03: above it the model lowered rule findings that are right and
# that it had not learnt (a recruitment scam, "dijamin lulus asal transfer", scored 0.075 for
# misinformation; a draft regulation being shared scored 0.043 for confidential_info).
CLEAN_GRID = [0.0, 0.001, 0.002, 0.003, 0.005, 0.01, 0.015, 0.02, 0.03]
# Short posts (at most eight words, nlp/pipeline/engine.py SHORT_POST_WORDS): the model warns
# only from this score, and gives no info nudge.  A few words move a bag-of-words score far from
# its prior, and everyday short texts ("Hubungi saya di 0812****7890 ya", "Terima kasih") are
# rare in the corpus.  Chosen on dev (short posts of dev: model warnings right/wrong 85/5 at
# the category thresholds, 73/1 at 0.7, 54/1 at 0.8).
SHORT_POST_WARNING = 0.7
LOWER_COST = 0.02  # share of the rules' right dev warnings the model may lower
# ``sure``: from this score the model's own finding no longer yields to its category's context
# words (the [suppress] list, the model rule's not_near).  Those lists were written for the rules'
# evidence; a post the model reads as risky with near certainty usually says the risk in words the
# lists cannot see ("Pemenang lelang … Diumumkan resmi minggu depan, tapi ya sudah pasti" is
# suppressed as "diumumkan resmi").  Chosen on dev with ``warning`` (``calibrate``): the level of
# SURE_GRID (or off) that gives the highest dev recall while the findings it adds are at least
# SURE_PRECISION right (all of them, where fewer than ten) and the real-text budget holds.  The grid
# began at 0.85 until the fifteenth round; at 0.7-0.8 the fourteenth-round model added 14-30 dev
# findings in each of confidential_info, gratification and facility_misuse, all of them right ("Sekdis
# so jadi tersangka … suratnya belum sampai" had been silenced by "tersangka", "Pompa air pemadam
# karhutla milik desa saya bawa ke rumah" by "pemadam").  It stops at 0.8: at 0.65 the model spoke
# through the duty words of our own clean posts ("Mobil plat merah dipakai antar jenazah warga …",
# facility_misuse 0.69), and at 0.75 the fifteenth-round model warned on three everyday texts of the
# 12,781 outside the corpus for confidential_info (0.76-0.79: "saya sudah punya kode akses dan pin",
# a party's plenary news line), none from 0.8.
# In the seventeenth round it starts at 0.85: the model retrained on two more rounds scored our own
# clean "Mobil dinas Innova kami pakai untuk jemput pasien dari desa terpencil" 0.83 for
# facility_misuse, through its duty words.
SURE_GRID = [0.85, 0.9, 0.95, 0.98]
SURE_PRECISION = 0.9


# ------------------------------------------------------------------------------ corpus
def _categories():
    from nlp.rules import CATEGORIES

    return CATEGORIES


def fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def read_batch(path: Path, batch: str, source: str) -> list[dict]:
    cats = set(_categories())
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{n}: not valid JSON ({exc})")
        text, labels = row.get("text"), row.get("labels")
        if not isinstance(text, str) or not text.strip() or not isinstance(labels, list):
            raise SystemExit(f"{path}:{n}: each line needs 'text' (non-empty string) and 'labels' (list)")
        unknown = [label for label in labels if label not in cats]
        if unknown:
            raise SystemExit(f"{path}:{n}: unknown label(s) {unknown}")
        rows.append({"text": text, "labels": sorted(set(labels)), "batch": batch, "source": source,
                     "style": row.get("style") or ("real" if source == "indonlu" else "team"),
                     "platform": row.get("platform") or "", "origin": row.get("source") or "",
                     "row": row.get("row")})
    return rows


def batch_files(batch_dir: Path = BATCH_DIR, team: bool = True) -> list[tuple[Path, str, str]]:
    out = []
    for path in sorted(batch_dir.glob("*.jsonl")):
        m = BATCH_NAME.match(path.name)
        if m:
            out.append((path, path.stem, m.group(1)))
    if team:
        for path in sorted(ROOT.glob(TEAM_GLOB)):
            out.append((path, "team_" + path.stem.replace("_posts", ""), "team"))
    return out


def assemble(files) -> tuple[list[dict], int]:
    rows, seen, dropped = [], set(), 0
    for path, batch, source in files:
        for row in read_batch(path, batch, source):
            key = fold(row["text"])
            if key in seen:
                dropped += 1
                continue
            seen.add(key)
            rows.append(row)
    return rows, dropped


def _unit(name: str, seed: int) -> float:
    digest = hashlib.sha256(f"{seed}:{name}".encode()).hexdigest()
    return int(digest[:12], 16) / float(1 << 48)


def assign_splits(batches_by_source: dict[str, list[str]], seed: int) -> dict[str, str]:
    split = {}
    for source, batches in sorted(batches_by_source.items()):
        if source == "team":
            split.update({b: "train" for b in batches})
            continue
        ranked = sorted(batches, key=lambda b: _unit(b, seed))
        dev_share = DEV_SHARE_BY_SOURCE.get(source, DEV_SHARE)
        for b in batches:
            u = _unit(b, seed)
            split[b] = "test" if u < TEST_SHARE else "dev" if u < TEST_SHARE + dev_share else "train"
        if len(batches) >= 3:
            if not any(split[b] == "test" for b in batches):
                split[ranked[0]] = "test"
            if not any(split[b] == "dev" for b in batches):
                split[next(b for b in ranked if split[b] == "train")] = "dev"
    return split


def split_corpus(rows: list[dict], seed: int, hold_out: frozenset = frozenset()) -> tuple[dict[str, list[dict]], dict]:
    """Split by batch.  ``hold_out``: writers (sources) kept out of train and dev altogether; their
    posts are the test split (the closest stand-in for posts by people the model never read)."""
    by_source = defaultdict(set)
    for r in rows:
        by_source[r["source"]].add(r["batch"])
    split_of = assign_splits({s: sorted(b) for s, b in by_source.items() if s not in hold_out}, seed)
    if hold_out:
        split_of = {b: ("train" if sp == "test" else sp) for b, sp in split_of.items()}
        split_of.update({b: "test" for s in hold_out for b in by_source.get(s, ())})
    parts = {"train": [], "dev": [], "test": []}
    for r in rows:
        parts[split_of[r["batch"]]].append(r)
    # near-duplicate check across splits: dev/test posts that (nearly) repeat a train post go
    train_index = defaultdict(set)
    train_fold = set()
    for i, r in enumerate(parts["train"]):
        train_fold.add(fold(r["text"]))
        for sh in shingles(r["text"]):
            train_index[sh].add(i)
    removed = Counter()
    for name in ("dev", "test"):
        kept = []
        for r in parts[name]:
            if fold(r["text"]) in train_fold:
                removed[name] += 1
                continue
            sh = shingles(r["text"])
            if sh:
                overlap = Counter(i for s in sh for i in train_index.get(s, ()))
                if overlap and overlap.most_common(1)[0][1] >= NEAR_DUP * len(sh):
                    removed[name] += 1
                    continue
            kept.append(r)
        parts[name] = kept
    info = {"batches": {s: sorted(b for b in split_of if split_of[b] == s) for s in ("train", "dev", "test")},
            "near_duplicates_removed": dict(removed)}
    return parts, info


def shared_5gram_count(rows: list[dict]) -> int:
    """Posts that share at least one word 5-gram with another post (of the whole corpus)."""
    owners = defaultdict(set)
    for i, r in enumerate(rows):
        for sh in shingles(r["text"]):
            owners[sh].add(i)
    sharing = set()
    for ids in owners.values():
        if len(ids) > 1:
            sharing |= ids
    return len(sharing)


def corpus_stats(rows: list[dict], parts: dict, info: dict) -> dict:
    cats = _categories()
    per_cat = {s: Counter() for s in ("all", "train", "dev", "test")}
    for name, part in list(parts.items()) + [("all", rows)]:
        for r in part:
            for c in r["labels"] or ["clean"]:
                per_cat[name][c] += 1
    styles = Counter(r["style"] for r in rows)
    sources = Counter(r["source"] for r in rows)
    return {
        "posts": len(rows), "clean": sum(1 for r in rows if not r["labels"]),
        "per_category": {s: {c: per_cat[s][c] for c in list(cats) + ["clean"]} for s in per_cat},
        "split_posts": {s: len(p) for s, p in parts.items()},
        "per_style": dict(styles.most_common()), "per_source": dict(sources.most_common()),
        "batches": {s: len(b) for s, b in info["batches"].items()},
        "near_duplicates_removed": info["near_duplicates_removed"],
        "sharing_5gram": shared_5gram_count(rows),
    }


def write_data_card(stats: dict, card: Path) -> None:
    """Fill the counts section of the data card (between its markers)."""
    cats = list(_categories()) + ["clean"]
    lines = [f"Posts: **{stats['posts']}**, of them clean: **{stats['clean']}** "
             f"({stats['clean'] / max(1, stats['posts']):.1%}); exact duplicates dropped: {stats['exact_duplicates_dropped']}.",
             "",
             "| | all | train | dev | test |", "|---|---|---|---|---|"]
    lines.append("| posts | " + " | ".join(str(stats["split_posts"].get(s, stats["posts"]) if s != "all" else stats["posts"])
                                         for s in ("all", "train", "dev", "test")) + " |")
    lines.append("| batches | " + str(sum(stats["batches"].values())) + " | "
                 + " | ".join(str(stats["batches"][s]) for s in ("train", "dev", "test")) + " |")
    for c in cats:
        lines.append(f"| {c} | " + " | ".join(str(stats["per_category"][s][c]) for s in ("all", "train", "dev", "test")) + " |")
    lines += ["", "A post with two labels counts in both rows.", "",
              "| source | posts |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in stats["per_source"].items()]
    lines += ["", "| style | posts |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in stats["per_style"].items()]
    share = stats["sharing_5gram"] / max(1, stats["posts"])
    lines += ["", f"Posts that share at least one word 5-gram with another post: **{stats['sharing_5gram']}** "
                  f"({share:.1%}).",
              f"Near-duplicates of train posts dropped from dev/test: {stats['near_duplicates_removed'] or 'none'}."]
    text = card.read_text(encoding="utf-8")
    start, end = "<!-- counts:begin -->", "<!-- counts:end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    card.write_text(head + start + "\n" + "\n".join(lines) + "\n" + end + tail, encoding="utf-8")


def write_splits(parts: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, part in parts.items():
        with (out_dir / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for r in part:
                fh.write(json.dumps({k: r[k] for k in ("text", "labels", "batch", "style", "platform")},
                                    ensure_ascii=False) + "\n")


# ------------------------------------------------------------------------------ training
# IndoNLU's tweets carry the corpus's anonymisation placeholders ("[USERNAME]", "[URL]"), which no
# post typed into a compose box has.  Learnt, they were evidence of their own (a fan's tweet scored
# 0.75 for political_neutrality with two "[USERNAME]" and 0.60 without): the model trains on the
# text without them, and the tokenizer keeps each one a single token (nlp/pipeline/tokenizer.py), so
# in everyday text that has them (the held-out real text) they weigh nothing.
def model_text(text: str) -> str:
    """A post as the model trains on it: the dataset's placeholders removed."""
    from nlp.pipeline.tokenizer import DATASET_PLACEHOLDERS

    for placeholder in DATASET_PLACEHOLDERS:
        text = text.replace(placeholder, " ")
    return text


def to_docbin(rows: list[dict], path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    import nlp.pipeline  # noqa: F401  (the tokenizer)

    cats = _categories()
    tok = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "saring.tokenizer.v1"}}})
    db = DocBin(store_user_data=False)
    for r in rows:
        doc = tok.make_doc(model_text(r["text"]))
        doc.cats = {c: float(c in r["labels"]) for c in cats}
        db.add(doc)
    db.to_disk(path)


# floret word vectors for the word-vector variant (``config_floret.cfg``, ``saring.TextCatFloret.v1``).
# Trained on the train split only (the texts the classifier learns from; dev and test stay unseen).
# A 20,000 x 100 table did as well as 50,000 x 100 on a writer the model never read (docs/model.md).
FLORET = {"dim": 100, "bucket": 20000, "minn": 3, "maxn": 5, "hashCount": 2, "epoch": 10, "minCount": 2,
          "model": "skipgram"}


def normalised_lines(texts: list[str]) -> list[str]:
    """Each text as the model reads it: its normalised words (NORM), one line per text."""
    import spacy

    import nlp.pipeline  # noqa: F401  (tokenizer and normaliser)

    pipe = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "saring.tokenizer.v1"}}})
    pipe.add_pipe("saring_normalizer", config={"merge_spaced_letters": True, "rules_vocabulary": True})
    return [" ".join(t.norm_.replace(" ", "_") for t in doc if not t.is_space and t.norm_.strip())
            for doc in pipe.pipe((model_text(t) for t in texts), batch_size=256)]


def train_floret(texts: list[str], work: Path, quiet: bool = False) -> Path:
    """A floret table (``save_floret_vectors`` text format) trained on ``texts``; its path."""
    try:
        import floret
    except ImportError:
        raise SystemExit("train_model: the word-vector branch needs floret (pip install -e '.[test]' or pip install floret)")
    corpus = work / "floret_corpus.txt"
    corpus.write_text("\n".join(normalised_lines(texts)) + "\n", encoding="utf-8")
    # one thread: floret's training is then deterministic (its own seed is fixed)
    vectors = floret.train_unsupervised(str(corpus), mode="floret", thread=1, verbose=0 if quiet else 1, **FLORET)
    table = work / "vectors.floret"
    vectors.save_floret_vectors(str(table))
    corpus.unlink()
    return table


def train(parts: dict, work: Path, seed: int, overrides: dict | None = None, quiet: bool = False,
          config: Path = CONFIG) -> Path:
    from spacy.cli.train import train as spacy_train
    from thinc.api import fix_random_seed

    import nlp.pipeline  # noqa: F401  (registers the factories and architectures)

    to_docbin(parts["train"], work / "train.spacy")
    to_docbin(parts["dev"] or parts["train"][:200], work / "dev.spacy")
    fix_random_seed(seed)
    ov = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy"), "system.seed": seed}
    if "paths.floret" in _config_paths(config):
        ov["paths.floret"] = str(train_floret([r["text"] for r in parts["train"]], work, quiet))
    ov.update(overrides or {})
    out = work / "output"
    if quiet:
        import io
        from contextlib import redirect_stdout

        with redirect_stdout(io.StringIO()):
            spacy_train(config, out, overrides=ov, use_gpu=-1)
    else:
        spacy_train(config, out, overrides=ov, use_gpu=-1)
    return out / "model-last"


def _config_paths(config: Path) -> set[str]:
    from spacy.util import load_config

    return {f"paths.{k}" for k in load_config(config, interpolate=False).get("paths", {})}


def _without_build_paths(arch):
    """The architecture as the analyzer rebuilds it: the floret table's build-time path is
    dropped (the table ships inside the weights)."""
    if isinstance(arch, dict):
        return {k: (None if k == "table" else _without_build_paths(v)) for k, v in arch.items()}
    return arch


def export_model(trained: Path, out_dir: Path, thresholds: dict, build: dict) -> None:
    from spacy.util import load_config

    cfg = load_config(trained / "config.cfg", interpolate=True)
    arch = _without_build_paths(dict(cfg["components"]["saring_textcat"]["model"]))
    tmp = out_dir.with_name(out_dir.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "saring_textcat").mkdir(parents=True)
    for f in ("cfg", "model"):
        shutil.copy2(trained / "saring_textcat" / f, tmp / "saring_textcat" / f)
    labels = json.loads((trained / "saring_textcat" / "cfg").read_text())["labels"]
    meta = {"architecture": arch, "labels": labels, "thresholds": thresholds, "build": build}
    (tmp / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)


# ------------------------------------------------------------------------------ calibration
def _prf(pred, gold):
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec, tp, fp, fn


def wilson_lower(hits: int, n: int, z: float = 1.2816) -> float:
    if n == 0:
        return 1.0
    p = hits / n
    centre = p + z * z / (2 * n)
    margin = z * ((p * (1 - p) + z * z / (4 * n)) / n) ** 0.5
    return (centre - margin) / (1 + z * z / n)


def calibrate(rows: list[dict], rule_flags: list[set], scores: list[dict], nudged: list[set] | None = None,
              quiet: list[set] | None = None, always_quiet: list[set] | None = None) -> dict:
    """Per category: {'warning', 'info', 'clean', 'short', 'confirm', 'sure'} chosen on dev, precision
    first.  ``nudged``: per post, the categories in which the rules gave an info finding.
    ``quiet``: per post, the categories in which the model's own finding is kept quiet by its
    category's context words (see ``dev_judgements``): there a score counts only from the ``sure``
    level, where the engine sets those words aside.  ``always_quiet``: those of them
    that stay quiet even there (the model rule's ``unless_post``, which ``sure`` does not set
    aside: a buyer's car review): there a score never counts."""
    from nlp.pipeline.engine import is_short_post

    out = {}
    nudged = nudged if nudged is not None else [set() for _ in rows]
    quiet = quiet if quiet is not None else [set() for _ in rows]
    always_quiet = always_quiet if always_quiet is not None else [set() for _ in rows]
    short = [is_short_post(r["text"]) for r in rows]
    real = [r.get("source") == "indonlu" for r in rows]
    n_real = sum(real)
    for c in _categories():
        gold = [c in r["labels"] for r in rows]
        rules = [c in f for f in rule_flags]
        raw = [s.get(c, 0.0) for s in scores]
        # context words that silence the model rule: ``sure`` sets some aside from its level up
        # (soft: [suppress], the model rule's not_near), never the model rule's unless_post (hard)
        soft = [c in q and c not in h for q, h in zip(quiet, always_quiet)]
        hard = [c in q and c in h for q, h in zip(quiet, always_quiet)]
        rules_precision = _prf(rules, gold)[0]
        allowed_real = int(REAL_TEXT_BUDGET[c] * n_real / 1000)
        # ``warning`` and ``sure`` are chosen together: a low ``sure`` lets the model speak through
        # context words, and a clean real text it then reaches can hold ``warning`` up (in the
        # fifteenth round a network complaint, "sempat ada jaringan 4 tidak kok", held facility
        # misuse at 0.65 with ``sure`` at 0.6).  Per ``sure`` level (1 = off) the warning threshold
        # as below; the pair with the highest dev recall wins, the higher ``sure`` on a tie.
        best = None
        for sure in SURE_GRID + [1.0]:
            # the score as the engine can show it
            p = [0.0 if hd or (sf and x < sure) else x for x, sf, hd in zip(raw, soft, hard)]
            warn = _warning_threshold(c, p, rules, gold, short, real, allowed_real, rules_precision)
            if sure < 1.0:
                # what ``sure`` adds must itself be right
                lifted = [g for x, sf, g, r, sh in zip(raw, soft, gold, rules, short)
                          if sf and not r and _engine_warns(x, sh, max(sure, warn))]
                if not sure_is_precise(lifted):
                    continue
            recall = _prf([r or _engine_warns(x, sh, warn) for r, x, sh in zip(rules, p, short)], gold)[1]
            if best is None or recall >= best[0]:
                best = (recall, sure, warn)
        _, sure, warn = best
        # the info band is narrow: a nudge is still something the user reads, and below 0.95 x
        # warning it fell on plain work sentences ("Petugas memeriksa ... barang bawaan
        # penumpang", gratification 0.42 at warning 0.45)
        info = round(warn * 0.95, 3)
        # lowering: the rule findings the model would lower on dev must be mostly false alarms
        # (at least three for each right one) and cost at most 2% of the rules' right warnings
        # (a few dozen right warnings per category on dev say little about the tail: the
        # threshold also stays at or below half the lowest score the model gives any of them, as
        # counted below)
        clean = 0.0
        # "lowest" is the score under which lie at most a quarter of LOWER_COST of those right
        # warnings (the lowest one while there are fewer than 200): in the twelfth round one
        # wedding post whose gift sat in a side clause (gratification 0.0005) switched lowering off
        # for the whole category, while at 0.01 dev lowers 32 false alarms for that one right
        # warning (the eleventh-round model lowered at 0.01)
        right_scores = sorted(s for s, g, r in zip(raw, gold, rules) if g and r)
        rule_tp = len(right_scores)
        lowest = right_scores[int(LOWER_COST / 4 * rule_tp)] if right_scores else 0.0
        for t in CLEAN_GRID:
            lowered_right = sum(1 for r, g, s in zip(rules, gold, raw) if r and g and s <= t)
            lowered_wrong = sum(1 for r, g, s in zip(rules, gold, raw) if r and not g and s <= t)
            if (lowered_right <= int(LOWER_COST * rule_tp) and lowered_wrong >= 3 * lowered_right
                    and t <= lowest / 2):
                clean = t
            else:
                break
        short_at = max(warn, SHORT_POST_WARNING)
        confirm = _calibrate_confirm(rules, gold, raw, [c in n for n in nudged], short, real,
                                     warn, rules_precision, allowed_real)
        out[c] = {"warning": warn, "info": info, "clean": clean, "short": short_at, "confirm": confirm,
                  "sure": sure}
    return out


def _warning_threshold(c, p, rules, gold, short, real, allowed_real, rules_precision) -> float:
    """The lowest GRID score from which the model's own findings keep dev precise (the hybrid at
    the target, the model's additions at TARGET_ADDED_PRECISION) and within the real-text budget;
    never below the category's floor."""
    warn = 0.99
    for t in GRID:
        # as the engine warns: a short post only from its own threshold, so "mulai jenuh di
        # pekerjaan sekarang ." at 0.54 is no false alarm at 0.5 (it held misinformation at
        # 0.55 in the fourteenth round, as one-word texts held others)
        warns = [_engine_warns(s, sh, t) for s, sh in zip(p, short)]
        if sum(1 for r, w, x, g in zip(rules, warns, real, gold) if x and not g and not r and w) > allowed_real:
            continue  # too many false alarms on everyday text
        hybrid = [r or w for r, w in zip(rules, warns)]
        added = [(not r) and w for r, w in zip(rules, warns)]
        hp, _, _, _, _ = _prf(hybrid, gold)
        n_added = sum(added)
        ap = wilson_lower(sum(a and g for a, g in zip(added, gold)), n_added)
        # the model's additions must be precise, and must not make the hybrid less precise
        # than the target (or than the rules alone, where they are below it)
        if hp >= min(TARGET_PRECISION, rules_precision) - 0.005 and ap >= TARGET_ADDED_PRECISION:
            warn = t
            break
    return max(warn, WARNING_FLOOR_BY_CATEGORY.get(c, WARNING_FLOOR))


def sure_is_precise(lifted: list[bool]) -> bool:
    """Whether the findings ``sure`` lifts past context words (right or not, each) are right
    enough: all of them where fewer than ten, else SURE_PRECISION."""
    return not lifted or (all(lifted) if len(lifted) < 10 else sum(lifted) >= SURE_PRECISION * len(lifted))


def _engine_warns(score: float, short: bool, warning: float) -> bool:
    """Whether the engine's model finding warns at this category threshold: a short post only from
    ``SHORT_POST_WARNING`` (the ``short`` threshold), as nlp/pipeline/engine.py does."""
    return score >= (max(warning, SHORT_POST_WARNING) if short else warning)


def _calibrate_confirm(rules, gold, p, nudge, short, real, warn, rules_precision,
                       allowed_real) -> float:
    """The lowest score at which the model turns a rule's info nudge into a warning: the posts
    it would add must be precise (as the model's own additions) and keep the hybrid's precision.
    Short posts keep their ``short`` threshold.  ``warn`` when dev shows no such gain."""
    base = [r or _engine_warns(s, sh, warn) for r, s, sh in zip(rules, p, short)]
    for t in GRID:
        if t >= warn:
            break
        added = [(not b) and n and s >= t and not sh for b, n, s, sh in zip(base, nudge, p, short)]
        n_added = sum(added)
        if not n_added:
            continue
        if sum(1 for a, x, g in zip(added, real, gold) if a and x and not g) > allowed_real:
            continue
        hybrid = [b or a for b, a in zip(base, added)]
        hp = _prf(hybrid, gold)[0]
        ap = wilson_lower(sum(a and g for a, g in zip(added, gold)), n_added)
        if hp >= min(TARGET_PRECISION, rules_precision) - 0.005 and ap >= TARGET_ADDED_PRECISION:
            return t
    return warn


def print_thresholds(thresholds: dict) -> None:
    for c, t in thresholds.items():
        print(f"  {c:<22} warning {t['warning']:.3f}  info {t['info']:.3f}  clean {t['clean']:.3f}  short {t['short']:.3f}  sure {t['sure']:.2f}")


def dev_judgements(rows: list[dict], model_dir: Path):
    from nlp import Analyzer

    rules_only = Analyzer({"model": {"enabled": False}})
    # The model at every threshold zero and ``sure`` off: its scores (thresholds do not change
    # them), and where its own finding would be silenced by its category's context words (the
    # [suppress] list, the model rule's not_near and unless_post): no model finding in a category
    # the rules leave unflagged.
    open_levels = {"warning": 0.0, "info": 0.0, "confirm": 0.0, "short": 0.0, "clean": 0.0, "sure": 1.0}
    open_model = Analyzer({"model": {"thresholds": {c: dict(open_levels) for c in _categories()}}},
                          model_dir=model_dir)
    # the same with ``sure`` at its lowest level: what is still quiet there (from that score up)
    # is silenced by words ``sure`` does not set aside
    sure_model = Analyzer({"model": {"thresholds": {c: {**open_levels, "sure": SURE_GRID[0]} for c in _categories()}}},
                          model_dir=model_dir)
    texts = [r["text"] for r in rows]
    reports = rules_only.check_many(texts)
    flags = [{c for c in _categories() if rep.flagged(c)} for rep in reports]
    nudged = [{f.category for f in rep.findings if f.severity == "info"} for rep in reports]
    scores = open_model.model_scores(texts)

    def silent(model):
        out = []
        for rep, flagged in zip(model.check_many(texts), flags):
            # a model finding, or a rule's nudge the model confirmed into a warning
            spoke = {f.category for f in rep.findings if f.rule_id.endswith(".model") or f.severity != "info"}
            out.append({c for c in _categories() if c not in flagged and c not in spoke})
        return out

    return flags, scores, nudged, silent(open_model), silent(sure_model)


def thresholds_on_dev(dev: list[dict], model_dir: Path) -> dict:
    """Every threshold of the model in ``model_dir``, chosen on ``dev`` (after training, and for
    --recalibrate)."""
    flags, scores, nudged, quiet, always_quiet = dev_judgements(dev, model_dir)
    return calibrate(dev, flags, scores, nudged, quiet, always_quiet)


def evaluate_split(rows: list[dict], model_dir: Path) -> dict:
    from nlp import Analyzer

    texts = [r["text"] for r in rows]
    hybrid = Analyzer(model_dir=model_dir)
    rules_only = Analyzer({"model": {"enabled": False}})
    scores = hybrid.model_scores(texts)
    out = {}
    for name, reps in (("rules", rules_only.check_many(texts)), ("hybrid", hybrid.check_many(texts))):
        out[name] = {c: _prf([rep.flagged(c) for rep in reps], [c in r["labels"] for r in rows])[:2]
                     for c in _categories()}
    th = hybrid.model_thresholds
    out["model"] = {c: _prf([s.get(c, 0) >= th.get(c, {}).get("warning", 1.01) for s in scores],
                            [c in r["labels"] for r in rows])[:2] for c in _categories()}
    return out


def model_timing(model_dir: Path, texts: list[str]) -> dict:
    """ms per 1,000 characters spent in the model component alone (p50/p99 over ~1,000-char posts)."""
    from nlp import Analyzer

    a = Analyzer(model_dir=model_dir)
    rng = random.Random(1)
    posts = []
    for _ in range(300):
        parts, n = [], 0
        while n < 1000:
            t = rng.choice(texts)
            parts.append(t)
            n += len(t) + 1
        posts.append(" ".join(parts)[:1000])
    pipe = a.nlp.get_pipe("saring_textcat")
    times = []
    for t in posts:
        doc = a.nlp.make_doc(t)
        a.nlp.get_pipe("saring_normalizer")(doc)
        s = time.perf_counter()
        pipe(doc)
        times.append((time.perf_counter() - s) * 1000)
    times.sort()
    return {"p50_ms": times[len(times) // 2], "p99_ms": times[int(len(times) * 0.99) - 1]}


# ------------------------------------------------------------------------------ main
def import_batches(src: Path) -> list[str]:
    BATCH_DIR.mkdir(parents=True, exist_ok=True)
    copied = []
    for path in sorted(src.glob("*")):
        if BATCH_NAME.match(path.name) or path.name.endswith("_meta.tsv"):
            dest = BATCH_DIR / path.name
            if not dest.exists() or dest.read_bytes() != path.read_bytes():
                shutil.copy2(path, dest)
                copied.append(path.name)
    return copied


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--import-batches", type=Path, metavar="DIR", help="copy <source>_<NN>.jsonl batch files into the repo first")
    ap.add_argument("--splits-only", action="store_true", help="assemble and split only")
    ap.add_argument("--sample", type=int, default=0, help="train on N posts of the train split (a quick run)")
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--out", type=Path, default=MODEL_OUT, help="where the model goes (default: the package)")
    ap.add_argument("--no-write-splits", action="store_true")
    ap.add_argument("--work", type=Path, help="keep spaCy's training output here")
    ap.add_argument("--config", type=Path, default=CONFIG, help="spaCy training config (default: %(default)s)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a config value, e.g. components.saring_textcat.model.ngram_size=3")
    ap.add_argument("--report", type=Path, help="write the test-split figures and model timing as JSON")
    ap.add_argument("--hold-out", action="append", default=[], metavar="WRITER",
                    help="leave this writer's batches out of training and dev and test on them alone "
                         "(posts by voices the model never read); implies --no-write-splits, needs --out")
    ap.add_argument("--recalibrate", action="store_true",
                    help="keep the weights in --out, recompute its thresholds on dev (after a change of policy)")
    args = ap.parse_args(argv)
    started = time.time()
    if args.hold_out and (args.out.resolve() == MODEL_OUT.resolve() or args.recalibrate or args.splits_only):
        print("train_model: --hold-out trains a model for measuring only; give --out DIR "
              "(not the package) and no --recalibrate/--splits-only", file=sys.stderr)
        return 2
    if args.import_batches:
        copied = import_batches(args.import_batches)
        print(f"imported {len(copied)} batch file(s) from {args.import_batches}")
    rows, dup = assemble(batch_files())
    if not rows:
        print("train_model: no labelled posts found", file=sys.stderr)
        return 2
    hold_out = frozenset(args.hold_out)
    unknown = hold_out - {r["source"] for r in rows}
    if unknown:
        print(f"train_model: no batches of writer(s) {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if hold_out:
        args.no_write_splits = True
    parts, info = split_corpus(rows, args.seed, hold_out)
    stats = corpus_stats(rows, parts, info)
    stats["exact_duplicates_dropped"] = dup
    if not args.no_write_splits and not args.sample:
        write_splits(parts, SPLIT_DIR)
        (TRAIN_DIR / "corpus_stats.json").write_text(json.dumps({**stats, "split_batches": info["batches"]},
                                                                ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        write_data_card(stats, TRAIN_DIR / "DATA.md")
    print(f"corpus: {stats['posts']} posts ({stats['clean']} clean), splits {stats['split_posts']}, "
          f"batches {stats['batches']}, near-duplicates removed {stats['near_duplicates_removed']}, "
          f"posts sharing a 5-gram {stats['sharing_5gram']}")
    if args.splits_only:
        return 0
    if args.recalibrate:
        meta_path = args.out / "model.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["thresholds"] = thresholds_on_dev(parts["dev"], args.out)
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print_thresholds(meta["thresholds"])
        return 0
    if args.sample:
        rng = random.Random(args.seed)
        parts = {k: (rng.sample(v, min(len(v), args.sample)) if k == "train" else v[: max(50, args.sample // 4)])
                 for k, v in parts.items()}
    overrides = {}
    for item in args.set:
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    if args.max_steps:
        overrides["training.max_steps"] = args.max_steps
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        trained = train(parts, work, args.seed, overrides, quiet=bool(args.sample), config=args.config)
        staging = work / "staged_model"
        export_model(trained, staging, {}, {})
        dev = parts["dev"] or parts["train"][:200]
        thresholds = thresholds_on_dev(dev, staging)
        corpus_hash = hashlib.sha256("\n".join(json.dumps([r["text"], r["labels"]], ensure_ascii=False)
                                               for r in rows).encode()).hexdigest()[:16]
        import spacy

        build = {"command": "python scripts/train_model.py" + (f" --seed {args.seed}" if args.seed else ""),
                 "seed": args.seed, "spacy": spacy.__version__, "corpus_sha256_16": corpus_hash,
                 "posts": {k: len(v) for k, v in parts.items()}, "sample": args.sample or None}
        export_model(trained, args.out, thresholds, build)
    print("thresholds (dev):")
    print_thresholds(thresholds)
    if parts["test"] and not args.sample:
        res = evaluate_split(parts["test"], args.out)
        print("test split (precision/recall): rules | model | hybrid")
        for c in _categories():
            print(f"  {c:<22} " + " | ".join(f"{res[k][c][0]:.2f}/{res[k][c][1]:.2f}" for k in ("rules", "model", "hybrid")))
        if args.report:
            timing = model_timing(args.out, [r["text"] for r in parts["test"]])
            args.report.write_text(json.dumps({"test": res, "thresholds": thresholds, "timing": timing,
                                               "config": str(args.config), "overrides": overrides},
                                              indent=2), encoding="utf-8")
    print(f"model written to {args.out} in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
