"""``saring_matcher``: every category's phrases and token patterns, matched once per post.

Each category's rules name their evidence and context as phrases (lexicons, inline terms)
and spaCy token patterns.  Matching them category by category meant sixteen
``PhraseMatcher`` passes and seventy anchor scans per post, most of them repeating each
other (``negation`` and ``news_frame`` are in every category).  This component holds all of
them, registered by the categories when they are built, and matches a post once:

- phrases: one ``PhraseMatcher`` on ``NORM`` (the normalised spelling) and one on ``LEMMA``
  (the root form, so ``beli`` also finds ``membeli``); a phrase list is registered once per
  distinct content, whichever categories use it;
- token patterns: spaCy's ``Matcher`` tries every pattern at every token (~2.4 ms for a
  1,000-character post with Saring's 94 patterns).  Most patterns start with a token that has a
  cheap necessary condition — one of a set of words, a regex, a flag — so patterns are grouped
  by that condition, an inverted table maps a token's hash to the groups it can start, and a
  group's own small ``Matcher`` runs only on the short window after such a token.  A pattern
  whose first token has nothing cheap to test runs with the full ``Matcher``.

The result is ``{key: [(token_start, token_end), ...]}`` (sorted, unique), kept per post in
``doc.user_data``; the categories read it through ``hits(doc)``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import count, groupby
from operator import itemgetter

import numpy
from spacy import attrs as spacy_attrs
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .normalizer import evict_oldest_half

MATCHER_NAME = "saring_matcher"

_STRING_ATTRS = {"NORM": spacy_attrs.NORM, "LEMMA": spacy_attrs.LEMMA, "LOWER": spacy_attrs.LOWER,
                 "ORTH": spacy_attrs.ORTH, "TEXT": spacy_attrs.ORTH}
_FLAG_ATTRS = {name: getattr(spacy_attrs, name) for name in (
    "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
    "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL")}
_UNBOUNDED = 32  # the longest stretch a "*" or "+" may cover inside an anchored window
_VECTOR_TOKENS = 2000  # posts longer than this look their one-word phrases up in numpy
_MASK_CACHE_MAX = 8192  # token strings whose regex bitmask is remembered; bounded, memory stays flat
# Which condition finds a group's candidate tokens: a word list is the most selective; flags are
# tested for the whole post at once in numpy; a regex can match nearly everything (a URL rule
# tests "not a go.id address").
_PRIMARY_ORDER = {"in": 0, "flag": 1, "regex": 2}
_instances = count()


# Matches on the normaliser's forms; its per-post results live in ``doc.user_data``.
@Language.factory(MATCHER_NAME, assigns=["doc.user_data"], requires=["token.norm", "token.lemma"])
def create_matcher(nlp: Language, name: str):
    return SharedMatcher(nlp)


def shared_matcher(nlp: Language) -> "SharedMatcher | None":
    """The pipeline's ``saring_matcher``, found by its name, if it has one.  The categories
    register their phrases and patterns with it when they are built, so it must come before
    them in the pipeline (``saring_category`` finds it this way)."""
    return nlp.get_pipe(MATCHER_NAME) if MATCHER_NAME in nlp.pipe_names else None


class _AnchorGroup:
    """Patterns whose first token meets the same conditions, with one small Matcher.

    ``follow`` holds, per pattern, what its second token must meet (when it is a plain token
    with something cheap to test); the window is only matched when one of them holds after
    the anchor — most anchors ("beli", "harga") are not followed by what the patterns need.
    """

    __slots__ = ("conditions", "matcher", "longest", "primary", "secondary", "follow")

    def __init__(self, conditions, vocab):
        self.conditions = conditions
        self.matcher = Matcher(vocab)
        self.longest = 1
        ranked = sorted(conditions, key=lambda c: _PRIMARY_ORDER[c[0]])
        self.primary, self.secondary = ranked[0], tuple(ranked[1:])
        self.follow: list[tuple] | None = []

    def add(self, key: str, patterns: list[list[dict]], conditions_of) -> None:
        self.matcher.add(key, patterns)
        self.longest = max(self.longest, *(_max_len(p) for p in patterns))
        for pat in patterns:
            second = pat[1] if len(pat) > 1 and pat[1].get("OP") in (None, "1", "{1}") else None
            conds = conditions_of(second) if second is not None else ()
            if not conds:
                self.follow = None  # this pattern's second token can be anything (or absent)
            elif self.follow is not None:
                self.follow.append(conds)


class SharedMatcher:
    def __init__(self, nlp: Language):
        self._nlp = nlp
        self._norm_pipe = None  # the normaliser, found on first use (see _normalizer)
        self.vocab = nlp.vocab
        # Phrases of one word (most lexicon entries) are a dict lookup per token; longer
        # phrases go to spaCy's PhraseMatcher, whose tree then stays small.
        self._word_norm: dict[int, set[int]] = defaultdict(set)  # NORM hash -> key ids
        self._word_lemma: dict[int, set[int]] = defaultdict(set)  # LEMMA hash -> key ids
        self._norm = PhraseMatcher(nlp.vocab, attr="NORM")
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._free = Matcher(nlp.vocab)  # patterns that can start anywhere
        self._groups: dict[tuple, _AnchorGroup] = {}
        self._key_by_content: dict[tuple, str] = {}
        self._keys: set[str] = set()
        self._key_of: dict[int, str] = {}  # match id -> key, without a StringStore lookup
        instance = next(_instances)
        self._hits_key = f"saring.hits.{instance}"  # per-post results live in doc.user_data
        self._norms_key = f"saring.norms.{instance}"
        self._tables = None  # inverted anchor tables, built on first use after a change
        self.token_attributes: set[str] = set()  # every token attribute a pattern tests (NORM, LIKE_NUM …)
        # regexes used as first-token conditions, one bit each per attribute; a token string's
        # bitmask is computed once and remembered
        self._regex_bits: dict[int, dict[str, int]] = {}
        self._regexes: dict[int, list[re.Pattern]] = {}
        self._masks: dict[int, dict[int, int]] = {}

    # ---------------------------------------------------------------- building
    def _pattern_doc(self, text: str) -> Doc:
        """A phrase as a Doc, normalised exactly as a post is."""
        return self._normalizer()(self._nlp.make_doc(text))

    def _normalizer(self):
        """The pipeline's component that writes ``token.norm`` (its factory says so, as this
        one's says it requires it): ``saring_normalizer``."""
        if self._norm_pipe is None:
            for name in self._nlp.pipe_names:
                if "token.norm" in self._nlp.get_pipe_meta(name).assigns:
                    self._norm_pipe = self._nlp.get_pipe(name)
                    break
            else:
                raise ValueError(f"{MATCHER_NAME} needs a component that assigns token.norm before it "
                                 f"(saring_normalizer)")
        return self._norm_pipe

    def phrase_key(self, name: str, entries: list[str]) -> str:
        """Register a list of phrases (``=term`` matches the spelling only) and return its key.

        The same content registered twice (by several categories) shares one key."""
        content = tuple(entries)
        key = self._key_by_content.get(content)
        if key is not None:
            return key
        key = name
        n = 1
        while key in self._keys:
            n += 1
            key = f"{name}~{n}"
        self._keys.add(key)
        self._key_by_content[content] = key
        key_id = self.vocab.strings.add(key)
        self._key_of[key_id] = key
        exact = [d for d in (self._pattern_doc(e[1:]) for e in entries if e.startswith("=")) if len(d)]
        loose = [d for d in (self._pattern_doc(e) for e in entries if not e.startswith("=")) if len(d)]
        for d in exact + loose:
            if len(d) == 1:
                self._word_norm[d[0].norm].add(key_id)
        for d in loose:
            if len(d) == 1:
                self._word_lemma[d[0].lemma].add(key_id)
        longer = [d for d in exact + loose if len(d) > 1]
        if longer:
            self._norm.add(key, longer)
        if any(len(d) > 1 for d in loose):
            self._lemma.add(key, [d for d in loose if len(d) > 1])
        self._tables = None
        return key

    def add_patterns(self, key: str, patterns: list[list[dict]]) -> None:
        """Token patterns under ``key``; raises spaCy's own error for an invalid pattern."""
        self._keys.add(key)
        self._key_of[self.vocab.strings.add(key)] = key
        self.token_attributes.update(name for pat in patterns for tok in pat for name in tok if name != "OP")
        free, by_group = [], defaultdict(list)
        for pat in patterns:
            conditions = self._anchor(pat)
            if conditions is None:
                free.append(pat)
            else:
                by_group[conditions].append(pat)
        if free:
            self._free.add(key, free)
        for conditions, group_patterns in by_group.items():
            group = self._groups.get(conditions)
            if group is None:
                group = self._groups[conditions] = _AnchorGroup(conditions, self.vocab)
            group.add(key, group_patterns, self._conditions)
        self._tables = None

    def _anchor(self, pattern: list[dict]):
        """Necessary conditions on a pattern's first token, as (kind, attr id, argument) triples,
        or None when the first token can be absent or has nothing cheap to test."""
        if not pattern or pattern[0].get("OP") not in (None, "1", "{1}"):
            return None
        return self._conditions(pattern[0]) or None

    def _conditions(self, token: dict) -> tuple:
        """What a token spec says a token must be, in the forms tested cheaply: one of a set of
        strings, a regex, a flag.  Every spec key is required, so any subset is necessary."""
        strings = self.vocab.strings
        conditions = []
        for key, spec in token.items():
            if key in _STRING_ATTRS:
                attr = _STRING_ATTRS[key]
                if isinstance(spec, str):
                    conditions.append(("in", attr, frozenset({strings.add(spec)})))
                elif isinstance(spec, dict) and set(spec) == {"IN"} and isinstance(spec["IN"], list):
                    conditions.append(("in", attr, frozenset(strings.add(str(v)) for v in spec["IN"])))
                elif isinstance(spec, dict) and set(spec) == {"REGEX"}:
                    conditions.append(("regex", attr, self._regex_bit(attr, spec["REGEX"])))
            elif key in _FLAG_ATTRS and isinstance(spec, bool):
                conditions.append(("flag", _FLAG_ATTRS[key], spec))
        return tuple(conditions)

    def _regex_bit(self, attr: int, source: str) -> int:
        bits = self._regex_bits.setdefault(attr, {})
        if source not in bits:
            bits[source] = 1 << len(bits)
            self._regexes.setdefault(attr, []).append(re.compile(source))
            self._masks.pop(attr, None)  # masks computed before this regex existed are incomplete
        return bits[source]

    def _build_tables(self):
        """Inverted tables: token hash -> groups it can start; regex bit -> groups; flags."""
        by_hash: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        by_bit: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        by_flag: list[tuple[_AnchorGroup, list[tuple[int, bool]]]] = []
        attrs = {spacy_attrs.NORM, spacy_attrs.LEMMA}  # the one-word phrases need both
        for group in self._groups.values():
            kind, attr, arg = group.primary
            if kind == "in":
                for h in arg:
                    by_hash[attr][h].append(group)
            elif kind == "regex":
                by_bit[attr][arg].append(group)
            else:  # every flag of the group is tested together; what is left is checked afterwards
                by_flag.append((group, [(a, want) for k, a, want in group.conditions if k == "flag"]))
                group.secondary = tuple(c for c in group.conditions if c[0] != "flag")
            attrs.update(c[1] for c in group.conditions)
            attrs.update(c[1] for conds in group.follow or () for c in conds)
        # every attribute a pattern tests, for the window cache in _match_anchored; None (no
        # cache) when a pattern tests something a token array cannot hold (an extension)
        tested = set()
        for name in self.token_attributes:
            attr = _STRING_ATTRS.get(name, _FLAG_ATTRS.get(name, getattr(spacy_attrs, name, None)))
            if not isinstance(attr, int):
                tested = None
                break
            tested.add(attr)
        key_columns = None
        if tested is not None:
            attrs |= tested
            order = sorted(attrs)
            key_columns = [order.index(a) for a in sorted(tested)]
        self._starting_bits = {a: sum(t) for a, t in by_bit.items()}  # bits are distinct powers of two
        self._tables = ({a: dict(t) for a, t in by_hash.items()}, {a: dict(t) for a, t in by_bit.items()},
                        by_flag, sorted(attrs), key_columns)

    # ---------------------------------------------------------------- matching
    def __call__(self, doc: Doc) -> Doc:
        self.hits(doc)
        return doc

    def hits(self, doc: Doc) -> dict[str, list[tuple[int, int]]]:
        """Every key's matches in this post (computed once per post)."""
        found = doc.user_data.get(self._hits_key)
        if found is None:
            found = doc.user_data[self._hits_key] = self._match(doc)
        return found

    def norms(self, doc: Doc) -> list[int]:
        """The post's NORM hashes, token by token (read once per post)."""
        norms = doc.user_data.get(self._norms_key)
        if norms is None:
            norms = doc.user_data[self._norms_key] = doc.to_array(spacy_attrs.NORM).tolist()
        return norms

    def _match(self, doc: Doc) -> dict[str, list[tuple[int, int]]]:
        # One-word phrases: key id -> the token positions, from NORM and LEMMA in one set each
        # (they often find the same word).  Everything longer: (match id, start, end) in one
        # set.  Sorting plain positions keeps a post of 65,536 emoji or brand names fast.
        words_at: dict[int, set[int]] = defaultdict(set)
        found = set()
        if len(doc):
            if self._tables is None:
                self._build_tables()
            attrs = self._tables[3]
            array = doc.to_array(attrs)
            column = dict(zip(attrs, array.T.tolist()))
            doc.user_data.setdefault(self._norms_key, column[spacy_attrs.NORM])
            for attr, words in ((spacy_attrs.NORM, self._word_norm), (spacy_attrs.LEMMA, self._word_lemma)):
                if len(doc) > _VECTOR_TOKENS:
                    self._word_positions(array[:, attrs.index(attr)], words, words_at)
                    continue
                col = column[attr]
                for i, h in enumerate(col):
                    if h in words:
                        for key_id in words[h]:
                            words_at[key_id].add(i)
            if len(self._norm):
                found.update(self._norm(doc))
            if len(self._lemma):
                found.update(self._lemma(doc))
            if len(self._free):
                found.update(self._free(doc))
            if self._groups:
                self._match_anchored(doc, found, array, column)
        hits: dict[str, list[tuple[int, int]]] = {}
        key_of = self._key_of
        longer: dict[int, list[tuple[int, int]]] = {}
        for match_id, group in groupby(sorted(found), key=itemgetter(0)):
            longer[match_id] = [(start, end) for _, start, end in group]
        # Keys whose one-word matches sit at the same positions share one list (a post of one
        # repeated word: several lexicons hold it); the lists are read only.
        shared: dict[tuple, list[tuple[int, int]]] = {}
        for key_id in words_at.keys() | longer.keys():
            positions = sorted(words_at.get(key_id, ()))  # sets of ints sort fast
            single = shared.get(tuple(positions)) if len(positions) > _VECTOR_TOKENS else None
            if single is None:
                single = [(i, i + 1) for i in positions]
                if len(positions) > _VECTOR_TOKENS:
                    shared[tuple(positions)] = single
            more = longer.get(key_id)
            hits[key_of[key_id]] = sorted(set(single).union(more)) if single and more else (single or more)
        return hits

    @staticmethod
    def _word_positions(col, words: dict[int, set[int]], words_at: dict[int, set[int]]) -> None:
        """The one-word phrase lookup for a long post, in numpy: the post's distinct words are
        looked up once each, and their positions come from one sort (a post of 65,536 emoji
        is 65,536 lookups of the same word otherwise)."""
        uniq, inverse = numpy.unique(col, return_inverse=True)
        wanted = [k for k, h in enumerate(uniq.tolist()) if h in words]
        if not wanted:
            return
        order = numpy.argsort(inverse, kind="stable")
        bounds = numpy.concatenate(([0], numpy.cumsum(numpy.bincount(inverse, minlength=len(uniq)))))
        for k in wanted:
            positions = order[bounds[k]:bounds[k + 1]].tolist()
            for key_id in words[int(uniq[k])]:
                words_at[key_id].update(positions)

    def _match_anchored(self, doc: Doc, found: set, array, column) -> None:
        by_hash, by_bit, by_flag, attrs, _ = self._tables
        starts: dict[_AnchorGroup, list[int]] = defaultdict(list)
        for attr, table in by_hash.items():
            col = column[attr]
            for i in [i for i, h in enumerate(col) if h in table]:
                for group in table[col[i]]:
                    starts[group].append(i)
        for attr, table in by_bit.items():
            col = column[attr]
            masks = self._token_masks(attr, col)
            # only the bits that start a group: a secondary regex ("not a go.id address")
            # matches nearly every token and would send each one through the loop below
            starting = self._starting_bits[attr]
            for i in [i for i, h in enumerate(col) if masks[h] & starting]:
                m = masks[col[i]] & starting
                while m:
                    low = m & -m
                    for group in table.get(low, ()):
                        starts[group].append(i)
                    m ^= low
        # a group anchored on flags (IS_UPPER and IS_ALPHA, LIKE_URL): all its flags at once, in numpy
        for group, flags in by_flag:
            ok = None
            for attr, want in flags:
                part = (array[:, attrs.index(attr)] != 0) == want
                ok = part if ok is None else ok & part
            starts[group].extend(numpy.flatnonzero(ok).tolist())
        n = len(doc)
        # A window's matches depend only on its tokens' values of the attributes the patterns
        # test: a window seen before in this post (a post repeating "jl. jl. jl. …") reuses
        # them, so a long repetitive post costs one Matcher run per distinct window.
        key_rows = array[:, self._tables[4]] if self._tables[4] is not None else None
        seen: dict[tuple, list[tuple[int, int]]] = {}
        for group, positions in starts.items():
            for i in positions:
                if group.secondary and not self._holds(group.secondary, column, i):
                    continue
                if group.follow is not None and (
                        i + 1 >= n or not any(self._holds(conds, column, i + 1) for conds in group.follow)):
                    continue
                stop = min(n, i + group.longest)
                window = None
                if key_rows is not None:
                    window = (id(group), key_rows[i:stop].tobytes())
                    matches = seen.get(window)
                    if matches is not None:
                        found.update((match_id, i + start, i + end) for match_id, start, end in matches)
                        continue
                matches = [(match_id, 0, end) for match_id, start, end in group.matcher(doc[i:stop]) if start == 0]
                if window is not None:
                    seen[window] = matches
                found.update((match_id, i, i + end) for match_id, _, end in matches)

    def _token_masks(self, attr: int, col: list[int]) -> dict[int, int]:
        """hash -> bitmask of the regexes its string matches, for every token of the post."""
        masks = self._masks.setdefault(attr, {})
        tokens = set(col)
        missing = tokens.difference(masks)
        if missing and len(masks) + len(missing) > _MASK_CACHE_MAX:
            evict_oldest_half(masks)  # bounded: a long-running server stays flat
            missing = tokens.difference(masks)
        if missing:
            strings = self.vocab.strings
            regexes = self._regexes.get(attr, ())
            for h in missing:
                m = 0
                if h in strings:
                    text = strings[h]
                    for bit, rx in enumerate(regexes):
                        if rx.search(text):
                            m |= 1 << bit
                masks[h] = m
        return masks

    def _holds(self, conditions, column, i: int) -> bool:
        for kind, attr, arg in conditions:
            h = column[attr][i]
            if kind == "in":
                if h not in arg:
                    return False
            elif kind == "flag":
                if bool(h) != arg:
                    return False
            elif not self._token_masks(attr, [h])[h] & arg:
                return False
        return True


def _max_len(pattern: list[dict]) -> int:
    total = 0
    for tok in pattern:
        op = tok.get("OP")
        if op in (None, "!", "?", "1"):
            total += 1
        elif op in ("*", "+"):
            total += _UNBOUNDED
        elif op.startswith("{"):
            parts = op.strip("{}").split(",")
            hi = parts[-1].strip()
            total += int(hi) if hi else _UNBOUNDED
        else:
            total += 1
    return total
