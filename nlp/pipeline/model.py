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
from pathlib import Path
from typing import Iterable, List

import numpy
from spacy import registry
from spacy.attrs import IDS, NORM, ORTH
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
    # One pass over the whole batch (the explainer scores dozens of small pieces at a time, and
    # numpy calls per piece cost more than the arithmetic): every key is tagged with its doc,
    # n-grams that would cross from one doc into the next are dropped.  (numpy: with_cpu runs
    # this layer on the CPU.)
    xp = numpy
    n_max = model.attrs["ngram_size"]
    extra, salts = model.attrs["extra"], model.attrs["salts"]
    docs = list(docs)
    lens = xp.asarray([len(doc) for doc in docs], dtype="int64")
    total = int(lens.sum())
    if total == 0:
        return (xp.zeros((0,), dtype="uint64"), xp.zeros((0,), dtype="f"),
                xp.zeros((len(docs),), dtype="int32")), lambda dY: []
    norms = xp.ascontiguousarray(xp.concatenate([doc.to_array([NORM]) for doc in docs if len(doc)]), dtype="uint64")
    owner = xp.repeat(xp.arange(len(docs), dtype="int64"), lens)
    keys, owners = [norms], [owner]
    for n in range(2, n_max + 1):
        if total >= n:
            grams = model.ops.ngrams(n, norms)
            first, last = owner[: total - n + 1], owner[n - 1:]
            inside = first == last
            keys.append(grams[inside])
            owners.append(first[inside])
    if extra:
        cols = xp.concatenate([doc.to_array(extra).reshape((len(doc), len(extra))) for doc in docs if len(doc)])
        for j, salt in enumerate(salts):
            col = cols[:, j]
            present = col != 0
            keys.append(xp.asarray(col[present], dtype="uint64") ^ salt)
            owners.append(owner[present])
    keys = xp.concatenate(keys)
    owners = xp.concatenate(owners)
    # presence, not counts: a word said twenty times ("Terima kasih. Terima kasih. …") is one
    # piece of evidence, so repetition cannot push a post over a threshold
    order = xp.lexsort((keys, owners))
    keys, owners = keys[order], owners[order]
    first_seen = xp.ones(len(keys), dtype=bool)
    first_seen[1:] = (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])
    keys, owners = keys[first_seen], owners[first_seen]
    lengths = model.ops.asarray(xp.bincount(owners, minlength=len(docs)), dtype="int32")
    vals = model.ops.asarray(xp.ones(keys.shape, dtype="f"), dtype="f")

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


# ------------------------------------------------------------------ floret word vectors
class _FloretLookup:
    """Word vectors of normalised words from a floret table (spaCy's floret ``Vectors``
    computes a word's vector as the mean of its hashed character n-gram rows, so a spelling the
    corpus never had still gets a vector near its neighbours).  Held in ``model.attrs``: thinc
    skips it when it serialises (not msgpack-able); the table itself is the param ``E``."""

    MAX_CACHED = 12_000  # words; ~5 MB at 100 dims (everyday vocabulary fits; a miss costs ~70 µs)

    def __init__(self, model: Model):
        from spacy.vectors import Vectors

        a = model.attrs
        self.source = model.get_param("E")  # a new table (loaded or re-initialised) means a new lookup
        self.vectors = Vectors(data=model.ops.to_numpy(self.source), mode="floret", minn=a["minn"],
                               maxn=a["maxn"], hash_count=a["hash_count"], hash_seed=a["hash_seed"],
                               bow=a["bow"], eow=a["eow"])
        self.dim = self.vectors.data.shape[1]
        self.cache: dict[int, numpy.ndarray | None] = {}

    def rows(self, norm_ids, strings) -> numpy.ndarray:
        """(n_words, dim) vectors of the word-like tokens among ``norm_ids`` (punctuation and
        emoji carry no meaning here and would pull every post towards the same point)."""
        cache = self.cache
        wanted = list(dict.fromkeys(int(k) for k in norm_ids))
        missing = [k for k in wanted if k not in cache]
        if missing:
            if len(cache) + len(missing) > self.MAX_CACHED:
                cache.clear()  # bounded: a stream of new words must not grow it forever
                missing = wanted
            texts = [strings[k] if k in strings else "" for k in missing]
            words = [(k, t) for k, t in zip(missing, texts) if any(c.isalnum() for c in t)]
            for k, t in zip(missing, texts):
                cache[k] = None
            if words:
                vecs = self.vectors.get_batch([t.replace(" ", "_") for _, t in words])
                for (k, _), v in zip(words, numpy.asarray(vecs, dtype="f")):
                    cache[k] = v
        got = [cache[int(k)] for k in norm_ids]
        got = [v for v in got if v is not None]
        return numpy.stack(got) if got else numpy.zeros((0, self.dim), dtype="f")


def floret_pool(minn: int, maxn: int, hash_count: int, hash_seed: int, bow: str, eow: str,
                table: str | None) -> Model:
    """Mean and max of the post's floret word vectors: (n_docs, 2 × dim).  The table is
    trained by ``scripts/train_model.py`` on the train split's own text and frozen here."""
    return Model("saring_floret_pool", _floret_pool_forward, init=_floret_pool_init, params={"E": None},
                 attrs={"minn": minn, "maxn": maxn, "hash_count": hash_count, "hash_seed": hash_seed,
                        "bow": bow, "eow": eow, "table": table or "", "saring_features": ["NORM"]})


def read_floret_table(path: str | Path) -> tuple[numpy.ndarray, dict]:
    """A table written by ``save_floret_vectors`` (header: rows dim minn maxn hash_count
    hash_seed bow eow; then one ``index v1 … vdim`` line per row)."""
    with open(path, encoding="utf-8") as fh:
        head = fh.readline().split()
        rows, dim = int(head[0]), int(head[1])
        settings = {"minn": int(head[2]), "maxn": int(head[3]), "hash_count": int(head[4]),
                    "hash_seed": int(head[5]), "bow": head[6], "eow": head[7]}
        table = numpy.loadtxt(fh, dtype="f", usecols=range(1, dim + 1), ndmin=2)
    if table.shape != (rows, dim):
        raise ValueError(f"{path}: floret table is {table.shape}, header says {(rows, dim)}")
    return table, settings


def _floret_pool_init(model: Model, X=None, Y=None) -> None:
    if model.has_param("E"):
        return
    if not model.attrs["table"]:
        raise ValueError("saring_floret_pool: no floret table (train_model.py writes one and sets paths.floret)")
    table, settings = read_floret_table(model.attrs["table"])
    for key, value in settings.items():
        if model.attrs[key] != value:
            raise ValueError(f"saring_floret_pool: the table's {key} is {value!r}, the config says {model.attrs[key]!r}")
    model.set_param("E", model.ops.asarray(table))
    model.attrs["table"] = ""  # read once; the build path must not end up in the weights


def _floret_pool_forward(model: Model, docs, is_train: bool):
    lookup = model.attrs.get("lookup")
    if lookup is None or lookup.source is not model.get_param("E"):
        lookup = model.attrs["lookup"] = _FloretLookup(model)
    out = numpy.zeros((len(docs), 2 * lookup.dim), dtype="f")
    for i, doc in enumerate(docs):
        if not len(doc):
            continue
        strings = doc.vocab.strings if isinstance(doc, Doc) else doc.strings
        V = lookup.rows(doc.to_array(NORM), strings)
        if len(V):
            out[i, : lookup.dim] = V.mean(axis=0)
            out[i, lookup.dim:] = V.max(axis=0)
    # the table is frozen: nothing flows back into it
    return model.ops.asarray(out), lambda dY: []


@registry.architectures("saring.TextCatFloret.v1")
def build_floret_textcat(minn: int = 3, maxn: int = 5, hash_count: int = 2, hash_seed: int = 2166136261,
                         bow: str = "<", eow: str = ">", table: str | None = None, hidden: int = 256,
                         depth: int = 2, dropout: float = 0.2, nO: int | None = None) -> Model:
    """Floret word vectors pooled over the post, then a small MLP with sigmoid outputs."""
    from thinc.api import Linear, Relu

    layers = [floret_pool(minn, maxn, hash_count, hash_seed, bow, eow, table)]
    layers += [Relu(hidden, dropout=dropout) for _ in range(depth)]
    output = Linear(nO)
    model = chain(*layers, output, Logistic())
    model.set_ref("output_layer", output)
    model.attrs["multi_label"] = True
    return model


@registry.architectures("saring.TextCatMix.v1")
def build_mix(bow_model: Model, vector_model: Model, vector_weight: float = 0.3, nO: int | None = None) -> Model:
    """``(1 - w) × bag-of-words + w × word-vector model``, each trained on its own error.

    The two read different evidence: the bag-of-words knows the exact words and word pairs of
    the corpus, the vectors know words it never saw through their neighbours and spelling (a
    watch brand next to "rolex", "drafnya" next to "draf").  Each branch is trained as if alone
    (its own sigmoid error), and only their probabilities are mixed, so neither learns to lean
    on the other: measured on writers the model never read, this mix beat either branch alone."""
    model = Model("saring_textcat_mix", _mix_forward, init=_mix_init, layers=[bow_model, vector_model],
                  dims={"nO": None}, attrs={"vector_weight": float(vector_weight), "multi_label": True})
    if nO is not None:
        model.set_dim("nO", nO)
    model.attrs["resize_output"] = _resize_mix
    return model


def _resize_mix(model: Model, new_nO: int) -> Model:
    bow_model, vector_model = model.layers
    if "resize_output" in bow_model.attrs:
        model.layers[0] = bow_model.attrs["resize_output"](bow_model, new_nO)
    out = vector_model.get_ref("output_layer")
    if not out.has_param("W"):
        out.set_dim("nO", new_nO, force=True)
    elif out.get_dim("nO") != new_nO:
        raise ValueError("saring.TextCatMix.v1: labels cannot be added to a trained model")
    model.set_dim("nO", new_nO, force=True)
    return model


def _mix_init(model: Model, X=None, Y=None) -> None:
    for layer in model.layers:
        layer.initialize(X=X, Y=Y)
    if Y is not None:
        model.set_dim("nO", Y.shape[1], force=True)


def _mix_forward(model: Model, docs, is_train: bool):
    w = model.attrs["vector_weight"]
    bow_model, vector_model = model.layers
    p_bow, bp_bow = bow_model(docs, is_train)
    p_vec, bp_vec = vector_model(docs, is_train)
    mixed = (1.0 - w) * p_bow + w * p_vec

    def backprop(dY):
        # spaCy's multi-label loss hands back (mixed - truth); each branch learns from its own
        # error (p_branch - truth), as if it were trained alone
        truth = mixed - dY
        bp_bow(p_bow - truth)
        bp_vec(p_vec - truth)
        return []

    return mixed, backprop


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

    @property
    def feature_columns(self) -> list[int]:
        """The token attributes (ids) the model reads: NORM first, then its extras."""
        cols = self.__dict__.get("_feature_columns")
        if cols is None:
            names = model_features(self.model) | {"NORM"}
            cols = self.__dict__["_feature_columns"] = [IDS[a] for a in sorted(names, key=lambda a: a != "NORM")]
        return cols

    def score_docs(self, docs: Iterable) -> numpy.ndarray:
        """Scores of docs or of ``Features`` pieces, one row each."""
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
        if len(doc) > MAX_EXPLAIN_TOKENS:
            clauses = clause_spans(doc[:MAX_EXPLAIN_TOKENS])
            scores = self.score_docs(_pieces(doc, clauses, self.feature_columns))[:, col] if len(clauses) > 1 else None
        else:
            # the post's clauses, scored once for every label (shared with clause_score)
            table = self._clause_table(doc)
            clauses = table["spans"]
            scores = numpy.array([table["scores"][sp][col] for sp in clauses]) if len(clauses) > 1 else None
        if scores is not None:
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
        cache = self._clause_table(doc)
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
            row = cache["scores"][key] = self.score_docs(_pieces(doc, [key], self.feature_columns))[0]
        return float(row[list(self.labels).index(label)])

    def _clause_table(self, doc: Doc) -> dict:
        """The post's clauses and each clause's scores for every label, computed once per post
        (``doc.user_data``): explaining a finding and checking a rule's clause before lowering
        read the same table."""
        cache = doc.user_data.get(_CLAUSE_CACHE)
        if cache is None:
            spans = clause_spans(doc)
            # every clause scored at once: one batch, instead of one per finding
            rows = self.score_docs(_pieces(doc, spans, self.feature_columns)) if spans else []
            cache = doc.user_data[_CLAUSE_CACHE] = {"starts": [s for s, _ in spans], "spans": spans,
                                                    "scores": {sp: row for sp, row in zip(spans, rows)}}
        return cache

    def _weighty_words(self, doc, start, end, col, max_words, stop_norms):
        span = doc[start:end]
        base_doc = _pieces(doc, [(start, end)], self.feature_columns)[0]
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


class Features:
    """A stretch of a post as the model reads it: its feature columns, without a ``Doc``.

    Building a ``Doc`` for every clause and every left-out word cost more than scoring them
    (about a third of the model's time on a 1,000-character post); the model only ever calls
    ``to_array`` and ``len`` on what it is given."""

    __slots__ = ("rows", "index", "strings")

    def __init__(self, rows: numpy.ndarray, index: dict[int, int], strings=None):
        self.rows = rows  # one C-contiguous row per attribute (thinc's ngrams needs contiguous)
        self.index = index
        self.strings = strings  # the post's StringStore (the word-vector branch reads words)

    def __len__(self) -> int:
        return self.rows.shape[1]

    def to_array(self, attrs):
        # the shapes of Doc.to_array: one attribute (alone or in a list of one) gives a vector
        if isinstance(attrs, (list, tuple)):
            if len(attrs) != 1:
                return self.rows[[self.index[a] for a in attrs]].T
            attrs = attrs[0]
        return self.rows[self.index[attrs]]


def _pieces(doc: Doc, ranges, columns: list[int]) -> list[Features]:
    """The model's view of token ranges of ``doc``, cut from one array (``Span.as_doc`` copied
    the whole post's arrays for each piece: quadratic on a long post)."""
    ranges = list(ranges)
    if not ranges:
        return []
    lo, hi = min(s for s, _ in ranges), max(e for _, e in ranges)
    # only the stretch the pieces cover (a long post is explained in part)
    rows = numpy.ascontiguousarray(doc[lo:hi].to_array(columns).reshape((hi - lo, len(columns))).T, dtype="uint64")
    index = {a: j for j, a in enumerate(columns)}
    return [Features(rows[:, s - lo:e - lo], index, doc.vocab.strings) for s, e in ranges]


def _without(piece: Features, leave_out: set[int]) -> Features:
    """``piece`` without the tokens ``leave_out``."""
    keep = [j for j in range(len(piece)) if j not in leave_out]
    return Features(numpy.ascontiguousarray(piece.rows[:, keep]), piece.index, piece.strings)


# A clause ends at sentence punctuation, a line break, or a comma/semicolon/colon/dash.
MAX_CLAUSE_TOKENS = 60
_CLAUSE_CACHE = "saring_clauses"  # doc.user_data key: the post's clauses and their scores
MAX_EXPLAIN_TOKENS = 4000
_CLAUSE_END = re.compile(r"^(?:[.!?…;:]+|,|—|–|\n+)$")


_WORD_KIND: dict[int, int] = {}  # ORTH id -> _ENDS_CLAUSE | _IS_WORD bits (a cache: strings repeat)
_ENDS_CLAUSE, _IS_WORD = 1, 2


def _word_kind(orth: int, strings) -> int:
    kind = _WORD_KIND.get(orth)
    if kind is None:
        text = strings[orth]
        kind = ((_ENDS_CLAUSE if _CLAUSE_END.match(text) or (text.strip() == "" and "\n" in text) else 0)
                | (_IS_WORD if any(c.isalnum() for c in text) else 0))
        # bounded: a stream of unique tokens must not grow it forever (at 200,000 entries it was
        # most of a long-running server's memory growth, ~13 MB over 20,000 checks of new words;
        # everyday vocabulary fits in 20,000, and a miss costs one regex match)
        if len(_WORD_KIND) > 20_000:
            _WORD_KIND.clear()
        _WORD_KIND[orth] = kind
    return kind


def clause_spans(doc, min_tokens: int = 3) -> list[tuple[int, int]]:
    """Token ranges of the post's sentences and clauses (short bits join their neighbour).

    Read from the ORTH column with a per-word cache: walking ``Token`` objects twice cost
    about 1 ms on a 1,000-character post."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    # (a Doc or a Span: Span.to_array refuses a bare attribute id)
    kinds = [_word_kind(int(o), strings) for o in doc.to_array([ORTH]).reshape(-1)]
    spans, start, words = [], 0, 0
    for i, kind in enumerate(kinds):
        words += kind >> 1
        if kind & _ENDS_CLAUSE:
            spans.append([start, i + 1, words])
            start, words = i + 1, 0
    if start < len(kinds):
        spans.append([start, len(kinds), words])
    merged: list[list[int]] = []
    for s in spans:
        if merged and (s[2] < min_tokens or merged[-1][2] < min_tokens):
            merged[-1][1] = s[1]
            merged[-1][2] += s[2]
        else:
            merged.append(s)
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


