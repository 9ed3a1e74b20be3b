"""Run an audit: detect the export, stream its posts, check them, keep what needs attention.

Memory stays flat whatever the archive's size: posts are read one at a time by the format
parsers, checked in batches of ``BATCH`` with ``Analyzer.check_many``, and only posts with a
finding at or above the minimum severity are kept. With ``workers > 1`` the batches go to that
many worker processes (each with its own analyzer) and at most ``2 × workers`` batches are in
flight, so a fast reader never piles posts up in memory.
"""

from __future__ import annotations

import collections
import csv
import json
import multiprocessing
import os
import sys
import time
import zlib
from array import array
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterable, Iterator

from nlp import CATEGORIES, __version__
from nlp.rules import SEVERITY_RANK

from .archive import Archive
from .errors import AuditError, SkipFile
from .formats import Detection, detect
from .model import Post

BATCH = 128
MAX_NOTES = 200
SEVERITY_CHOICES = ("info", "warning", "high")


@dataclass
class AuditOptions:
    since: datetime | None = None
    until: datetime | None = None          # exclusive upper bound (the day after --until)
    min_severity: str = "warning"
    author: str | None = None
    workers: int = 1
    locale: str = "id"
    categories: list[str] | None = None
    analyzer_config: object = None         # nlp.AnalyzerConfig (an organisation's rules)
    since_label: str | None = None         # as the user wrote them, for the report
    until_label: str | None = None


class Context:
    """What parsers share during one audit: the options, small state (X user name) and notes."""

    def __init__(self, options: AuditOptions):
        self.options = options
        self.state: dict = {}
        self.skipped: list[tuple[str, str]] = []

    def author_key(self) -> str | None:
        from .formats.whatsapp import _norm_author

        return _norm_author(self.options.author) if self.options.author else None

    def note(self, name: str, reason: str) -> None:
        if len(self.skipped) < MAX_NOTES:
            self.skipped.append((name, reason))


@dataclass
class AuditResult:
    format: str
    posts_scanned: int
    posts_flagged: int
    by_category: dict
    store: "_Tally" = field(repr=False)
    skipped: list = field(default_factory=list)
    by_platform: dict = field(default_factory=dict)
    min_severity: str = "warning"
    since: str | None = None
    until: str | None = None
    elapsed_s: float = 0.0
    generated: str = ""
    facets: dict = field(default_factory=dict)
    _items: list | None = field(default=None, repr=False)

    def iter_items(self) -> Iterator[dict]:
        """The flagged posts, newest first, decompressed one at a time (for big results)."""
        return self.store.iter_sorted()

    @property
    def items(self) -> list[dict]:
        if self._items is None:
            self._items = list(self.iter_items())
        return self._items

    def summary(self) -> dict:
        """Everything but the items (what the report needs beside them)."""
        body = self.to_dict(items=False)
        body["facets"] = self.facets
        return body

    def to_dict(self, items: bool = True) -> dict:
        return {"format": self.format, "posts_scanned": self.posts_scanned, "posts_flagged": self.posts_flagged,
                "by_category": self.by_category, **({"items": self.items} if items else {}),
                "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
                "by_platform": self.by_platform, "min_severity": self.min_severity,
                "since": self.since, "until": self.until, "version": __version__, "generated": self.generated}


# ------------------------------------------------------------------ checking

class _Checker:
    def __init__(self, analyzer, options: AuditOptions):
        self.analyzer = analyzer
        self.locale = options.locale
        self.categories = options.categories
        self.min_rank = SEVERITY_RANK[options.min_severity]

    def __call__(self, texts: list[str]) -> list[list[dict] | None]:
        out = []
        for rep in self.analyzer.check_many(texts, categories=self.categories, locale=self.locale):
            keep = [f for f in rep.findings if SEVERITY_RANK[f.severity] >= self.min_rank]
            out.append([d for d, f in zip(rep.to_dict()["findings"], rep.findings)
                        if SEVERITY_RANK[f.severity] >= self.min_rank] if keep else None)
        return out


_worker_checker: _Checker | None = None
_inherited_analyzer = None  # set before forking: workers reuse the parent's analyzer (copy-on-write)


def _worker_init(config, options: AuditOptions) -> None:
    global _worker_checker
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    analyzer = _inherited_analyzer
    if analyzer is None:
        from nlp import Analyzer

        analyzer = Analyzer(config)
    _worker_checker = _Checker(analyzer, options)


def _worker_check(texts: list[str]):
    return _worker_checker(texts)


_default_analyzer = None


def make_analyzer(options: AuditOptions):
    """The analyzer for this audit; the default rules' one is built once per process."""
    global _default_analyzer
    from nlp import Analyzer, AnalyzerConfig

    cfg = options.analyzer_config
    if cfg is not None and AnalyzerConfig.from_mapping(cfg) != AnalyzerConfig():
        return Analyzer(cfg)
    if _default_analyzer is None:
        _default_analyzer = Analyzer()
    return _default_analyzer


# ------------------------------------------------------------------ the audit

def _in_range(post: Post, options: AuditOptions) -> bool:
    if options.since is None and options.until is None:
        return True
    if post.date is None:
        return False
    d = post.date if post.date.tzinfo else post.date.replace(tzinfo=timezone.utc)
    if options.since is not None and d < options.since:
        return False
    if options.until is not None and d >= options.until:
        return False
    return True


def _posts(det: Detection, ctx: Context) -> Iterator[Post]:
    for job in det.jobs:
        try:
            yield from job.format.parse(job.entry, job.part, ctx)
        except SkipFile as s:
            ctx.note(job.entry.name, s.reason)
        except UnicodeDecodeError:
            ctx.note(job.entry.name, "berkas bukan teks UTF-8")
        except (csv.Error, RecursionError, ValueError) as e:
            ctx.note(job.entry.name, f"berkas tidak dapat dibaca ({type(e).__name__})")


def run_audit(path: str, options: AuditOptions, progress: Callable | None = None, analyzer=None,
              display_name: str | None = None) -> AuditResult:
    """Audit the export at ``path``. Raises ``AuditError`` when it cannot be audited at all."""
    if options.min_severity not in SEVERITY_CHOICES:
        raise AuditError(f"--min-severity harus salah satu dari {', '.join(SEVERITY_CHOICES)}", code="invalid_field")
    started = time.perf_counter()
    with Archive.open(path, display_name) as archive:
        det = detect(archive)
        label = archive.label
        if not det.jobs:
            html_export = [e.name for e in archive if e.lower.endswith((".html", ".htm")) and any(
                k in e.lower for k in ("your_posts", "posts_1", "post_comments", "comments", "user_data"))]
            if html_export:
                raise AuditError(f"{label} adalah arsip dalam format HTML ({html_export[0]}). Saring membaca "
                                 f"format JSON: minta ulang arsipnya dan pilih Format: JSON.", code="unknown_format")
            where = "" if not archive.skipped else " (" + "; ".join(f"{n}: {r}" for n, r in archive.skipped[:3]) + ")"
            raise AuditError(f"{label} tidak dikenali sebagai ekspor data media sosial yang didukung{where}. "
                             f"Lihat docs/audit.md untuk format yang didukung.", code="unknown_format")
        fmt = det.format_id
        if fmt == "csv" and all(j.part in ("jsonl", "json") for j in det.jobs):
            fmt = "jsonl"
        archive.budget.total_expected = sum(j.entry.size * (2 if j.format.id == "whatsapp" else 1) for j in det.jobs)
        ctx = Context(options)
        ctx.skipped.extend(archive.skipped[:MAX_NOTES])
        ctx.skipped.extend(det.skipped[:MAX_NOTES])
        state = _Tally(options)

        def report(force=False):
            if progress is not None:
                total = archive.budget.total_expected
                frac = min(0.999, archive.budget.read / total) if total else None
                progress(state.scanned, state.flagged, frac, force)

        posts = (p for p in _posts(det, ctx) if _in_range(p, options))
        if options.workers <= 1:
            check = _Checker(analyzer or make_analyzer(options), options)
            for batch in _batches(posts):
                state.add(batch, check([p.text for p in batch]))
                report()
        else:
            _run_parallel(posts, options, state, report, analyzer)
        report(True)
        senders = ctx.state.get("whatsapp_senders")
        if options.author and senders and not ctx.state.get("whatsapp_author_found"):
            # the name given matches nobody in the chat: say so and list who is there
            from .errors import AuthorRequired

            ranked = sorted(senders.values(), key=lambda x: -x[1])
            err = AuthorRequired([name for name, _ in ranked])
            err.message = (f"Nama \"{options.author}\" tidak ada di ekspor WhatsApp ini. Nama yang ada: "
                           f"{', '.join(name for name, _ in ranked[:12])}.")
            raise err
    state.finish()
    return AuditResult(
        format=fmt, posts_scanned=state.scanned, posts_flagged=state.flagged, by_category=state.by_category,
        store=state, facets=state.facets(), skipped=ctx.skipped, by_platform=dict(state.by_platform), min_severity=options.min_severity,
        since=options.since_label, until=options.until_label,
        elapsed_s=time.perf_counter() - started,
        generated=datetime.now(timezone.utc).isoformat(timespec="seconds"))


def _batches(posts: Iterable[Post]) -> Iterator[list[Post]]:
    batch: list[Post] = []
    for p in posts:
        batch.append(p)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _Tally:
    """Counts, and the flagged posts kept compact: each batch's items as one zlib blob.

    A post's findings repeat the same rule messages, so a batch compresses ~10x; memory then
    grows by ~150 bytes per flagged post instead of ~1.5 kB, and nothing is written to disk
    (the posts' text stays in memory, as the privacy rule asks).
    """

    def __init__(self, options: AuditOptions):
        self.scanned = 0
        self.flagged = 0
        self.by_category = {c: 0 for c in CATEGORIES}
        self.by_platform: collections.Counter = collections.Counter()
        self._blobs: list[bytes] = []
        self._keys = array("d")
        self._where = array("q")            # blob index << 16 | line in blob
        self._years: dict[str, dict[str, int]] = {}
        self._platforms: set[str] = set()

    def add(self, batch: list[Post], results: list) -> None:
        self.scanned += len(batch)
        lines = []
        for post, findings in zip(batch, results):
            self.by_platform[post.platform] += 1
            if not findings:
                continue
            cats = sorted({f["category"] for f in findings}, key=CATEGORIES.index)
            for cat in cats:
                self.by_category[cat] = self.by_category.get(cat, 0) + 1
            local = _local_year(post.date)
            year = self._years.setdefault(local, {})
            year[cats[0]] = year.get(cats[0], 0) + 1
            self._platforms.add(post.platform)
            self._keys.append(post.sort_key())
            self._where.append((len(self._blobs) << 16) | len(lines))
            lines.append(json.dumps({"platform": post.platform, "kind": post.kind, "date": post.iso_date(),
                                     "url": post.url, "text": post.text, "findings": findings},
                                    ensure_ascii=False))
        if lines:
            self._blobs.append(zlib.compress("\n".join(lines).encode("utf-8"), 6))
            self.flagged += len(lines)

    def finish(self) -> None:
        order = sorted(range(len(self._keys)), key=self._keys.__getitem__, reverse=True)
        self._order = array("q", (self._where[i] for i in order))
        self._keys = array("d")
        self._where = array("q")

    def facets(self) -> dict:
        return {"years": self._years, "platforms": sorted(self._platforms)}

    def iter_sorted(self) -> Iterator[dict]:
        cache: collections.OrderedDict[int, list[str]] = collections.OrderedDict()
        for where in getattr(self, "_order", ()):
            b, line = where >> 16, where & 0xFFFF
            lines = cache.get(b)
            if lines is None:
                lines = zlib.decompress(self._blobs[b]).decode("utf-8").split("\n")
                cache[b] = lines
                if len(cache) > 16:
                    cache.popitem(last=False)
            yield json.loads(lines[line])


def _local_year(d) -> str:
    """The year as the report shows it (the machine's local time for exports in UTC)."""
    if d is None:
        return ""
    return str(d.astimezone().year if d.tzinfo else d.year)


def _run_parallel(posts, options: AuditOptions, state: _Tally, report, analyzer) -> None:
    global _inherited_analyzer
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux"):
        # Build the analyzer once; forked workers share it copy-on-write (no second start-up).
        _inherited_analyzer = analyzer or make_analyzer(options)
        mp = multiprocessing.get_context("fork")
    else:
        mp = multiprocessing.get_context("spawn")
    pool = mp.Pool(options.workers, initializer=_worker_init, initargs=(options.analyzer_config, options))
    pending: collections.deque = collections.deque()
    try:
        for batch in _batches(posts):
            pending.append((batch, pool.apply_async(_worker_check, ([p.text for p in batch],))))
            while len(pending) >= 2 * options.workers:
                b, res = pending.popleft()
                state.add(b, res.get())
                report()
        while pending:
            b, res = pending.popleft()
            state.add(b, res.get())
            report()
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _inherited_analyzer = None


# ------------------------------------------------------------------ outputs

def write_json(result: AuditResult, fh) -> None:
    """The JSON shape of the issue, written item by item (a big result is never one string)."""
    head = json.dumps(result.to_dict(items=False), ensure_ascii=False, indent=1)
    fh.write(head[:-2].rstrip() + ',\n "items": [')
    for n, item in enumerate(result.iter_items()):
        fh.write(("\n  " if n == 0 else ",\n  ") + json.dumps(item, ensure_ascii=False))
    fh.write("\n ]\n}\n")


CSV_COLUMNS = ["date", "platform", "kind", "url", "category", "severity", "rule_id", "evidence", "message",
               "suggestion", "basis", "text"]


def write_csv(result: AuditResult, fh) -> None:
    """One row per finding (what office IT sorts and counts in a spreadsheet)."""
    w = csv.writer(fh)
    w.writerow(CSV_COLUMNS)
    for it in result.iter_items():
        for f in it["findings"]:
            w.writerow([it["date"] or "", it["platform"], it["kind"], it["url"] or "", f["category"], f["severity"],
                        f["rule_id"], f["text"], f["message"], f.get("suggestion") or "", f.get("basis") or "",
                        it["text"]])


def parse_day(value: str, end: bool = False) -> datetime:
    """'2019-07-14' (or a full ISO time) → an aware UTC time; ``end`` gives the next day's start."""
    from datetime import timedelta

    s = value.strip()
    try:
        if len(s) == 10:
            d = datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=timezone.utc)
            return d + timedelta(days=1) if end else d
        if len(s) == 7:
            d = datetime.strptime(s, "%Y-%m").replace(tzinfo=timezone.utc)
            if end:
                d = (d + timedelta(days=32)).replace(day=1)
            return d
        if len(s) == 4 and s.isdigit():
            return datetime(int(s) + (1 if end else 0), 1, 1, tzinfo=timezone.utc)
        d = datetime.fromisoformat(s.replace("Z", "+00:00"))
        return d if d.tzinfo else d.replace(tzinfo=timezone.utc)
    except ValueError:
        raise AuditError(f"Tanggal tidak dikenali: {value!r}. Tulis seperti 2019-07-14.", code="invalid_field") from None


def cpu_count() -> int:
    return os.cpu_count() or 1
