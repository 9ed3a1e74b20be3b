"""Our rule examples and test posts are our own: none quotes or closely paraphrases a post of
``../shared/corpus/`` (kept for measuring only).  Compares texts; copies nothing."""

import ast
import difflib
import json
import re

import pytest

from saring_testlib import ROOT, SHARED

from nlp.rules import load_all_rulesets

CORPUS = SHARED / "corpus" / "dev_posts.jsonl"
pytestmark = pytest.mark.skipif(not CORPUS.is_file(), reason="needs ../shared/corpus (measurement corpus)")
SIMILAR = 0.6  # difflib ratio of normalised texts; paraphrases we once had scored 0.6–0.84


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def _our_texts():
    for rs in load_all_rulesets().values():
        for rule in rs.rules:
            for kind in ("bad", "good"):
                for ex in rule.examples[kind]:
                    yield f"{rs.path} {rule.id}", ex["text"]
    for path in sorted((ROOT / "tests" / "data").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                yield f"{path.name}:{n}", json.loads(line)["text"]
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= 20:
                yield f"{path.name}:{node.lineno}", node.value


def test_no_example_or_test_post_quotes_the_measurement_corpus():
    corpus = [_norm(json.loads(line)["text"]) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = [(c, set(c.split()), difflib.SequenceMatcher(None, b=c)) for c in corpus]
    close = []
    for where, text in _our_texts():
        ours = _norm(text)
        if len(ours) < 15:
            continue
        words = set(ours.split())
        for theirs, their_words, matcher in corpus:
            if ours == theirs or (len(ours) >= 30 and (ours in theirs or theirs in ours)):
                close.append(where)
                break
            # a close paraphrase shares many words: the costly ratio only for those
            if len(words & their_words) < 0.25 * len(words | their_words):
                continue
            matcher.set_seq1(ours)
            if matcher.ratio() > SIMILAR:
                close.append(where)
                break
    assert not close, f"texts that echo ../shared/corpus (write your own): {close}"
