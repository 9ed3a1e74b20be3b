"""``saring_textcat``: the trained category model, and the features it reads.

A multi-label text classifier (spaCy's ``MultiLabel_TextCategorizer``) registered under its
own factory name so the analyzer and the training config assemble it by name.  It writes one
probability per category to ``doc.cats``; the rule engine (``engine.py``) reads that score as
*evidence* of a ``model = true`` rule, like a lexicon hit or a recognizer entity.

Features.  spaCy's ``TextCatBOW`` hashes n-grams of ``ORTH`` (the spelling as typed), so
``BAGUSSS``, ``bagus`` and ``bgs`` are three unrelated words to it.  ``saring.TextCatBOW.v1``
hashes n-grams of the token's ``NORM`` (what ``saring_normalizer`` writes: lower case, slang
expanded, leetspeak and repeated letters folded) plus, optionally, unigrams of the root form
(``LEMMA``) and of spaCy's lexical ``PREFIX``/``SUFFIX``/``SHAPE``.  Those three are lexeme
attributes, and the analyzer stops computing lexeme attributes nothing reads (a speed
measure): ``token_attributes`` tells it which ones this model needs, so they never go empty.

Explaining a score.  ``explain(doc)`` finds the sentence or clause that carries the score and
the (at most three) words that weighed most in it, by leaving each word out and scoring
again: model-agnostic, and cheap (one small batch, only for posts the model flags).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterable, List

import numpy
from spacy import registry
from spacy.attrs import IDS, LEMMA, NORM
from spacy.language import Language
from spacy.pipeline.textcat_multilabel import MultiLabel_TextCategorizer, textcat_multilabel_score
from spacy.tokens import Doc
from thinc.api import Model, SparseLinear_v2, chain, resizable, with_cpu, Logistic
from thinc.layers.resizable import resize_linear_weighted


LEXEME_FEATURES = ("PREFIX", "SUFFIX", "SHAPE")
_SALTS = {"LEMMA": 0x9E3779B97F4A7C15, "PREFIX": 0xC2B2AE3D27D4EB4F, "SUFFIX": 0x165667B19E3779F9,
          "SHAPE": 0x27D4EB2F165667C5}
NEG_VALUE = -5000


def extract_features(ngram_size: int, extra: List[str]) -> Model:
    """n-grams of NORM (1..ngram_size) plus salted unigrams of the ``extra`` attributes."""
    model: Model = Model("saring_extract_features", _extract_forward)
    model.attrs["ngram_size"] = ngram_size
    model.attrs["extra"] = [IDS[a] for a in extra]
    model.attrs["salts"] = [numpy.uint64(_SALTS[a]) for a in extra]
    return model


def _extract_forward(model: Model, docs, is_train: bool):
    xp = model.ops.xp
    n_max = model.attrs["ngram_size"]
    extra, salts = model.attrs["extra"], model.attrs["salts"]
    batch_keys, batch_vals = [], []
    for doc in docs:
        norms = model.ops.asarray(doc.to_array([NORM]))
        parts = [norms]
        for n in range(2, n_max + 1):
            if len(norms) >= n:
                parts.append(model.ops.ngrams(n, norms))
        if extra and len(doc):
            cols = doc.to_array(extra).reshape((len(doc), len(extra)))
            for j, salt in enumerate(salts):
                col = cols[:, j]
                parts.append(xp.asarray(col[col != 0] ^ salt, dtype="uint64"))
        keys = xp.concatenate(parts) if parts else xp.zeros((0,), dtype="uint64")
        # presence, not counts: a word said twenty times ("Terima kasih. Terima kasih. …") is
        # one piece of evidence, so repetition cannot push a post over a threshold
        keys = xp.unique(keys)
        vals = xp.ones(keys.shape, dtype="f")
        batch_keys.append(keys)
        batch_vals.append(vals)
    lengths = model.ops.asarray([len(k) for k in batch_keys], dtype="int32")
    keys = xp.concatenate(batch_keys) if batch_keys else xp.zeros((0,), dtype="uint64")
    vals = model.ops.asarray(xp.concatenate(batch_vals) if batch_vals else xp.zeros((0,)), dtype="f")

    def backprop(dY):
        return []

    return (keys, vals, lengths), backprop


def _resize_and_set_ref(model, new_nO, resizable_layer):
    from spacy.ml.models.textcat import resize_model

    resizable_layer = resize_model(resizable_layer, new_nO)
    model.set_ref("output_layer", resizable_layer.layers[0])
    model.set_dim("nO", new_nO, force=True)
    return model


@registry.architectures("saring.TextCatBOW.v1")
def build_saring_bow(ngram_size: int = 2, length: int = 262144, extra_features: List[str] = ("LEMMA",),
                     nO: int | None = None) -> Model:
    """Sparse linear model over hashed NORM n-grams (+ extra unigrams), sigmoid outputs."""
    from functools import partial

    extra = list(extra_features)
    for a in extra:
        if a not in _SALTS:
            raise ValueError(f"saring.TextCatBOW.v1: unknown feature {a!r} (use {', '.join(_SALTS)})")
    sparse = SparseLinear_v2(nO=nO, length=length)
    res = resizable(sparse, resize_layer=partial(resize_linear_weighted, fill_defaults={"b": NEG_VALUE, "W": 0}))
    model = chain(extract_features(ngram_size, extra), res)
    model = with_cpu(model, model.ops)
    output = Logistic()
    model = chain(model, with_cpu(output, output.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse)
    model.attrs["multi_label"] = True
    model.attrs["resize_output"] = partial(_resize_and_set_ref, resizable_layer=res)
    model.attrs["saring_features"] = ["NORM"] + extra
    return model


@registry.architectures("saring.NormHashEmbed.v1")
def build_norm_embed(width: int, rows: int = 5000, attrs: List[str] = ("NORM", "PREFIX", "SUFFIX", "SHAPE"),
                     window_size: int = 1, depth: int = 2, maxout_pieces: int = 3) -> Model:
    """spaCy's CNN tok2vec over the given attributes (for the ensemble variant we compared)."""
    from spacy.ml.models.tok2vec import build_Tok2Vec_model, MultiHashEmbed, MaxoutWindowEncoder

    attrs = list(attrs)
    embed = MultiHashEmbed(width=width, attrs=attrs, rows=[rows] * len(attrs), include_static_vectors=False)
    model = build_Tok2Vec_model(embed, MaxoutWindowEncoder(width=width, window_size=window_size,
                                                           maxout_pieces=maxout_pieces, depth=depth))
    model.attrs["saring_features"] = attrs
    return model


def model_features(model: Model) -> set[str]:
    """Every token attribute a (possibly nested) model reads, by name."""
    names: set[str] = set()
    for node in model.walk():
        names.update(node.attrs.get("saring_features", ()))
    return names


class SaringTextCategorizer(MultiLabel_TextCategorizer):
    """spaCy's multi-label textcat plus what Saring needs to explain a score."""

    @property
    def token_attributes(self) -> set[str]:
        """Lexeme attributes the model reads (the analyzer keeps computing these)."""
        return {a for a in model_features(self.model) if a in LEXEME_FEATURES}

    def score_docs(self, docs: Iterable[Doc]) -> numpy.ndarray:
        docs = list(docs)
        if not docs:
            return numpy.zeros((0, len(self.labels)), dtype="f")
        return self.model.ops.to_numpy(self.model.predict(docs))

    def explain(self, doc: Doc, label: str, max_words: int = 3, stop_norms: frozenset = frozenset()):
        """(token_start, token_end, score, [word, ...]) of the clause that carries ``label``.

        The clause is the sentence or comma/semicolon clause whose own score is highest (a
        long post is several statements; the finding underlines the one that weighs).  The
        words are those whose removal lowers the clause's score most.
        """
        col = list(self.labels).index(label)
        # a very long post is explained from its first MAX_EXPLAIN_TOKENS tokens: the finding
        # still underlines a clause that carries the score, and a check stays well under a second
        clauses = clause_spans(doc[:MAX_EXPLAIN_TOKENS]) if len(doc) > MAX_EXPLAIN_TOKENS else clause_spans(doc)
        if len(clauses) > 1:
            pieces = _pieces(doc, clauses)
            scores = self.score_docs(pieces)[:, col]
            best = int(numpy.argmax(scores))
            start, end = clauses[best]
            score = float(scores[best])
        else:
            start, end = clauses[0] if clauses else (0, len(doc))
            score = float(doc.cats.get(label, 0.0))
        words = self._weighty_words(doc, start, end, col, max_words, stop_norms)
        return start, end, score, words

    def clause_score(self, doc: Doc, label: str, start: int, end: int) -> float:
        """The score of the clause(s) holding tokens ``start:end``: a rule's evidence is judged
        where it stands, so a work sentence beside it cannot make it look clean.  The post's
        clauses are found once, and each clause is scored once for every label (the eight
        categories ask in turn)."""
        cache = doc.user_data.get(_CLAUSE_CACHE)
        if cache is None:
            spans = clause_spans(doc)
            # every clause scored at once: one batch, instead of one per finding
            rows = self.score_docs(_pieces(doc, spans)) if spans else []
            cache = doc.user_data[_CLAUSE_CACHE] = {"starts": [s for s, _ in spans], "spans": spans,
                                                    "scores": {sp: row for sp, row in zip(spans, rows)}}
        spans = cache["spans"]
        if not spans:
            return 0.0
        i = max(0, bisect_right(cache["starts"], start) - 1)
        j = i
        while j + 1 < len(spans) and spans[j + 1][0] < end:
            j += 1
        key = (spans[i][0], spans[j][1])
        row = cache["scores"].get(key)
        if row is None:
            row = cache["scores"][key] = self.score_docs(_pieces(doc, [key]))[0]
        return float(row[list(self.labels).index(label)])

    def _weighty_words(self, doc, start, end, col, max_words, stop_norms):
        span = doc[start:end]
        base_doc = _pieces(doc, [(start, end)])[0]
        # The features are word *presence*: leaving out one of three "Rolex" changes nothing, so
        # a word is left out everywhere it occurs, and each distinct word is scored once (a post
        # that repeats one word thousands of times costs one variant, not thousands).
        occurrences: dict[int, list[int]] = {}
        for i, t in enumerate(span):
            if any(c.isalnum() for c in t.text) and t.norm_ not in stop_norms:
                occurrences.setdefault(t.norm, []).append(i)
        if not occurrences:
            return []
        groups = list(occurrences.values())
        variants = [_without(base_doc, set(g)) for g in groups]
        scores = self.score_docs([base_doc] + variants)[:, col]
        base = float(scores[0])
        drops = sorted(((base - float(s), g[0]) for s, g in zip(scores[1:], groups)), reverse=True)
        words, seen = [], set()
        for drop, i in drops:
            if drop <= 1e-4 or len(words) >= max_words:
                break
            text = span[i].text
            if text.lower() not in seen:
                seen.add(text.lower())
                words.append(text)
        return words


def _pieces(doc: Doc, ranges) -> list[Doc]:
    """Standalone docs of token ranges, with the features the model reads.  ``Span.as_doc``
    copies the whole post's arrays for each piece: quadratic on a long post."""
    ranges = list(ranges)
    if not ranges:
        return []
    lo, hi = min(s for s, _ in ranges), max(e for _, e in ranges)
    window = doc[lo:hi]  # only the stretch the pieces cover (a long post is explained in part)
    arr = window.to_array([NORM, LEMMA])
    texts = [t.text for t in window]
    spaces = [bool(t.whitespace_) for t in window]
    out = []
    for s, e in ranges:
        s, e = s - lo, e - lo
        piece = Doc(doc.vocab, words=texts[s:e], spaces=spaces[s:e])
        if e > s:
            piece.from_array([NORM, LEMMA], numpy.ascontiguousarray(arr[s:e], dtype="uint64"))
        out.append(piece)
    return out


def _without(doc: Doc, leave_out: set[int]) -> Doc:
    """``doc`` without the tokens ``leave_out`` (features copied, nothing re-normalised)."""
    keep = [j for j in range(len(doc)) if j not in leave_out]
    words = [doc[j].text for j in keep]
    spaces = [bool(doc[j].whitespace_) for j in keep]
    out = Doc(doc.vocab, words=words, spaces=spaces)
    if keep:
        arr = doc.to_array([NORM, LEMMA])[keep]
        out.from_array([NORM, LEMMA], numpy.ascontiguousarray(arr, dtype="uint64"))
    return out


# A clause ends at sentence punctuation, a line break, or a comma/semicolon/colon/dash.
MAX_CLAUSE_TOKENS = 60
_CLAUSE_CACHE = "saring_clauses"  # doc.user_data key: the post's clauses and their scores
MAX_EXPLAIN_TOKENS = 4000
_CLAUSE_END = re.compile(r"^(?:[.!?…;:]+|,|—|–|\n+)$")


def clause_spans(doc: Doc, min_tokens: int = 3) -> list[tuple[int, int]]:
    """Token ranges of the post's sentences and clauses (short bits join their neighbour)."""
    spans, start = [], 0
    for t in doc:
        if _CLAUSE_END.match(t.text) or "\n" in t.whitespace_ or t.text.strip() == "" and "\n" in t.text:
            if t.i + 1 > start:
                spans.append([start, t.i + 1])
            start = t.i + 1
    if start < len(doc):
        spans.append([start, len(doc)])
    merged: list[list[int]] = []
    for s in spans:
        words = sum(1 for t in doc[s[0]:s[1]] if any(c.isalnum() for c in t.text))
        if merged and (words < min_tokens or merged[-1][2] < min_tokens):
            merged[-1][1] = s[1]
            merged[-1][2] += words
        else:
            merged.append([s[0], s[1], words])
    # a clause without punctuation can be a whole long post: explain it in windows of at most
    # MAX_CLAUSE_TOKENS, so explaining stays linear in the post's length
    out = []
    for s, e, _ in merged:
        out.extend((w, min(e, w + MAX_CLAUSE_TOKENS)) for w in range(s, e, MAX_CLAUSE_TOKENS))
    return out


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Character range without leading/trailing spaces and clause punctuation."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–" or not text[end - 1].isprintable()):
        end -= 1
    while start < end and (text[start].isspace() or not text[start].isprintable()):
        start += 1
    return start, end


@Language.factory(
    "saring_textcat",
    assigns=["doc.cats"],
    requires=["token.norm", "token.lemma"],  # features: NORM n-grams and LEMMA (saring_normalizer)
    default_config={
        "threshold": 0.5,
        "model": {"@architectures": "saring.TextCatBOW.v1", "ngram_size": 2, "length": 262144,
                  "extra_features": ["LEMMA"]},
        "scorer": {"@scorers": "spacy.textcat_multilabel_scorer.v2"},
    },
    default_score_weights={"cats_score": 1.0, "cats_macro_f": None, "cats_macro_auc": None},
)
def create_saring_textcat(nlp: Language, name: str, model: Model, threshold: float, scorer=textcat_multilabel_score):
    return SaringTextCategorizer(nlp.vocab, model, name, threshold=threshold, scorer=scorer)


