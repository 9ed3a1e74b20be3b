"""The "Periksa arsip" report: one self-contained HTML file (no external asset, opens offline).

Summary (counts per category, an inline SVG chart per year), then every flagged post with
its date, platform, a link to the original where the export has one, the text with the
evidence highlighted, and each finding's message, suggestion and basis. Filters, "sudah saya
tangani" checkboxes and printing are done by ``assets/report.js`` (inlined).
Indonesian by default, English with ``locale="en"``. Every piece of user text is escaped.
"""

from __future__ import annotations

import hashlib
import html
import json
from datetime import datetime
from pathlib import Path

from nlp import CATEGORIES, __version__
from nlp.rules import SEVERITY_RANK, load_all_rulesets

ASSETS = Path(__file__).resolve().parent / "assets"
COLORS = {"flexing": "#d97706", "political_neutrality": "#7c3aed", "personal_data": "#0369a1",
          "hate_abuse": "#be123c", "confidential_info": "#334155", "misinformation": "#ca8a04",
          "gratification": "#15803d", "facility_misuse": "#0f766e"}
PLATFORM_NAMES = {"x": "X/Twitter", "facebook": "Facebook", "instagram": "Instagram", "threads": "Threads",
                  "tiktok": "TikTok", "linkedin": "LinkedIn", "youtube": "YouTube", "whatsapp": "WhatsApp",
                  "csv": "CSV", "jsonl": "JSONL"}

STRINGS = {
    "id": {
        "title": "Laporan Periksa Arsip — Saring",
        "heading": "Periksa arsip: unggahan lama yang perlu perhatian",
        "meta": "Format: {fmt} · {scanned} unggahan diperiksa · {flagged} perlu perhatian · minimal {sev}",
        "range": "Rentang tanggal: {since} s.d. {until}",
        "generated": "Dibuat {when} oleh Saring {version}.",
        "privacy": "Laporan ini dibuat di komputer Anda sendiri. Isi arsip tidak dikirim ke mana pun; berkas ini "
                   "hanya ada di tempat Anda menyimpannya.",
        "summary": "Ringkasan", "per_category": "Per kategori", "per_year": "Per tahun (unggahan yang perlu perhatian)",
        "chart_label": "Grafik jumlah unggahan yang perlu perhatian per tahun",
        "no_date": "tanpa tanggal", "list": "Daftar unggahan",
        "f_category": "Kategori", "f_severity": "Tingkat", "f_platform": "Platform", "f_year": "Tahun",
        "f_status": "Status", "all": "Semua", "open": "Belum ditangani", "done_s": "Sudah ditangani",
        "sev_min_warning": "Peringatan ke atas", "sev_min_high": "Tinggi saja", "sev_min_info": "Info ke atas",
        "print": "Cetak", "reset": "Atur ulang",
        "shown": "{0} dari {1} ditampilkan · {2} sudah ditangani",
        "done": "sudah saya tangani", "open_original": "buka aslinya",
        "kind_post": "unggahan", "kind_comment": "komentar", "kind_message": "pesan",
        "sev_high": "Tinggi", "sev_warning": "Peringatan", "sev_info": "Info",
        "suggestion": "Saran", "basis": "Dasar",
        "empty": "Tidak ada unggahan yang mencapai tingkat minimal. Arsip ini bersih dari sisi aturan yang diperiksa Saring.",
        "skipped": "Berkas yang dilewati",
        "howto": "Cara memakai: buka setiap unggahan lewat tautannya (atau cari di platformnya), hapus atau ubah bila "
                 "perlu, lalu centang \u201csudah saya tangani\u201d. Centang tersimpan di peramban ini.",
    },
    "en": {
        "title": "Archive check report — Saring",
        "heading": "Archive check: old posts that need attention",
        "meta": "Format: {fmt} · {scanned} posts checked · {flagged} need attention · minimum {sev}",
        "range": "Date range: {since} to {until}",
        "generated": "Made {when} by Saring {version}.",
        "privacy": "This report was made on your own computer. Nothing from the archive was sent anywhere; this file "
                   "exists only where you saved it.",
        "summary": "Summary", "per_category": "By category", "per_year": "By year (posts that need attention)",
        "chart_label": "Chart of posts that need attention per year",
        "no_date": "no date", "list": "Posts",
        "f_category": "Category", "f_severity": "Severity", "f_platform": "Platform", "f_year": "Year",
        "f_status": "Status", "all": "All", "open": "Not handled yet", "done_s": "Handled",
        "sev_min_warning": "Warning and above", "sev_min_high": "High only", "sev_min_info": "Info and above",
        "print": "Print", "reset": "Reset",
        "shown": "{0} of {1} shown · {2} handled",
        "done": "handled", "open_original": "open original",
        "kind_post": "post", "kind_comment": "comment", "kind_message": "message",
        "sev_high": "High", "sev_warning": "Warning", "sev_info": "Info",
        "suggestion": "Suggestion", "basis": "Basis",
        "empty": "No post reaches the minimum severity. This archive is clean as far as Saring's rules go.",
        "skipped": "Files skipped",
        "howto": "How to use: open each post through its link (or find it on the platform), delete or edit it if "
                 "needed, then tick \u201chandled\u201d. Ticks are kept in this browser.",
    },
}
MONTHS = {"id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
          "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]}


def category_names(locale: str) -> dict[str, str]:
    names = {}
    for cat, rs in load_all_rulesets().items():
        n = rs.meta.get("name", cat)
        names[cat] = (n.get(locale) or n.get("id")) if isinstance(n, dict) else n
    return names


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def item_key(item: dict) -> str:
    raw = f"{item['platform']}|{item.get('date') or ''}|{item['text']}".encode("utf-8")
    return hashlib.sha1(raw).hexdigest()[:20]


def _local(date_iso: str | None) -> datetime | None:
    if not date_iso:
        return None
    try:
        d = datetime.fromisoformat(date_iso)
    except ValueError:
        return None
    return d.astimezone() if d.tzinfo else d


def _fmt_date(d: datetime | None, locale: str) -> str:
    if d is None:
        return STRINGS[locale]["no_date"]
    return f"{d.day} {MONTHS[locale][d.month - 1]} {d.year} {d:%H.%M}" if locale == "id" else \
        f"{d.day} {MONTHS[locale][d.month - 1]} {d.year} {d:%H:%M}"


def _highlight(text: str, findings: list[dict]) -> str:
    """The text with every finding's evidence in a <mark> (overlaps merged, strongest severity)."""
    points = sorted({0, len(text)} | {f["start"] for f in findings} | {f["end"] for f in findings})
    out = []
    for a, b in zip(points, points[1:]):
        if a >= b:
            continue
        active = [f for f in findings if f["start"] <= a and f["end"] >= b]
        seg = _e(text[a:b])
        if active:
            top = max(active, key=lambda f: SEVERITY_RANK[f["severity"]])
            title = " · ".join(dict.fromkeys(f["message"] for f in active))
            out.append(f'<mark class="{top["severity"]}" title="{_e(title)}">{seg}</mark>')
        else:
            out.append(seg)
    return "".join(out)


def facets_of(items: list[dict]) -> dict:
    """Per year (local time) and first category counts, and the platforms: what the summary needs."""
    years: dict[str, dict[str, int]] = {}
    for it in items:
        d = _local(it.get("date"))
        year = str(d.year) if d else ""
        cats = sorted({f["category"] for f in it["findings"]}, key=CATEGORIES.index)
        bucket = years.setdefault(year, {})
        bucket[cats[0]] = bucket.get(cats[0], 0) + 1
    return {"years": years, "platforms": sorted({it["platform"] for it in items})}


def _chart(facets: dict, names: dict, T: dict) -> str:
    """Stacked bars: posts that need attention per year, coloured by category (first category of a post)."""
    per_year = {(y or T["no_date"]): v for y, v in facets["years"].items()}
    if not per_year:
        return ""
    years = sorted((y for y in per_year if y.isdigit()), key=int)
    if years:
        years = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    if T["no_date"] in per_year:
        years.append(T["no_date"])
    width, height, top, bottom, left = 640, 210, 16, 34, 34
    plot_h = height - top - bottom
    bar_w = min(56, (width - left - 10) / max(1, len(years)) * 0.7)
    step = (width - left - 10) / max(1, len(years))
    peak = max(sum(v.values()) for v in per_year.values()) or 1
    parts = [f'<svg class="chart" role="img" aria-label="{_e(T["chart_label"])}" viewBox="0 0 {width} {height}" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 6}" y2="{top + plot_h}" stroke="#c3ccd5"/>',
             f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>']
    for i, year in enumerate(years):
        x = left + i * step + (step - bar_w) / 2
        y = top + plot_h
        total = sum(per_year.get(year, {}).values())
        for cat in CATEGORIES:
            n = per_year.get(year, {}).get(cat, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{COLORS[cat]}" '
                         f'data-year="{_e(year)}" data-category="{cat}"><title>{_e(year)} · {_e(names[cat])}: {n}</title></rect>')
        if total:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                         f'class="total">{total}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{_e(year)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(result: dict, locale: str = "id") -> str:
    """The whole report as one string; ``result`` is ``AuditResult.to_dict()``."""
    import io

    out = io.StringIO()
    summary = dict(result)
    items = summary.pop("items")
    summary.setdefault("facets", facets_of(items))
    write_html(out, summary, items, locale)
    return out.getvalue()


def write_html(fh, result: dict, items, locale: str = "id") -> None:
    """Write the report to ``fh`` item by item. ``result`` is ``AuditResult.summary()`` (counts
    and facets, no items); ``items`` any iterable of items, newest first."""
    T = STRINGS.get(locale, STRINGS["id"])
    names = category_names(locale)
    facets = result["facets"]
    n_items = result["posts_flagged"]
    css = (ASSETS / "report.css").read_text(encoding="utf-8")
    js = (ASSETS / "report.js").read_text(encoding="utf-8")
    sev_label = {s: T[f"sev_{s}"] for s in ("info", "warning", "high")}
    fmt_name = PLATFORM_NAMES.get(result["format"], result["format"])
    meta = T["meta"].format(fmt=_e(fmt_name), scanned=f"{result['posts_scanned']:,}".replace(",", "."),
                            flagged=f"{result['posts_flagged']:,}".replace(",", "."),
                            sev=_e(sev_label.get(result["min_severity"], result["min_severity"])))
    h = [f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
         f'<meta name="viewport" content="width=device-width, initial-scale=1">'
         f'<meta name="referrer" content="no-referrer">'
         f"<title>{_e(T['title'])}</title><style>{css}</style></head><body>",
         f'<main id="saring-report" data-locale="{locale}" data-items="{n_items}">',
         '<script type="application/json" data-role="i18n">' +
         json.dumps({"shown": T["shown"]}, ensure_ascii=False).replace("<", "\\u003c") + "</script>",
         f"<header><h1>{_e(T['heading'])}</h1><p class=\"meta\">{meta}</p>"]
    if result.get("since") or result.get("until"):
        h.append(f'<p class="meta">{_e(T["range"].format(since=result.get("since") or "…", until=result.get("until") or "…"))}</p>')
    gen = _local(result.get("generated"))
    h.append(f'<p class="meta">{_e(T["generated"].format(when=_fmt_date(gen, locale), version=__version__))}</p>')
    h.append(f'<p class="privacy">{_e(T["privacy"])}</p></header>')
    # summary
    h.append(f'<section class="summary" aria-label="{_e(T["summary"])}"><div><h2>{_e(T["per_category"])}</h2>'
             '<table class="cats"><tbody>')
    for cat in CATEGORIES:
        n = result["by_category"].get(cat, 0)
        h.append(f'<tr data-category="{cat}"><td><span class="swatch" style="background:{COLORS[cat]}"></span>'
                 f'{_e(names[cat])}</td><td class="n">{n}</td></tr>')
    h.append(f'</tbody></table></div><figure><h2>{_e(T["per_year"])}</h2>{_chart(facets, names, T)}</figure></section>')
    # filters
    platforms = facets["platforms"]
    years = sorted(facets["years"], reverse=True)
    sevs = [s for s in ("info", "warning", "high") if SEVERITY_RANK[s] >= SEVERITY_RANK[result["min_severity"]]]

    def select(name, label, options):
        opts = "".join(f'<option value="{_e(v)}">{_e(t)}</option>' for v, t in [("", T["all"])] + options)
        return f'<label>{_e(label)}<select data-filter="{name}">{opts}</select></label>'

    h.append(f'<h2>{_e(T["list"])}</h2><p class="meta no-print">{_e(T["howto"])}</p>')
    if n_items:
        h.append('<section class="filters">')
        h.append(select("category", T["f_category"], [(c, names[c]) for c in CATEGORIES if result["by_category"].get(c)]))
        h.append(select("severity", T["f_severity"], [(s, T[f"sev_min_{s}"]) for s in sevs]))
        h.append(select("platform", T["f_platform"], [(p, PLATFORM_NAMES.get(p, p)) for p in platforms]))
        h.append(select("year", T["f_year"], [(y, y or T["no_date"]) for y in years]))
        h.append(select("status", T["f_status"], [("open", T["open"]), ("done", T["done_s"])]))
        h.append(f'<button type="button" data-action="reset">{_e(T["reset"])}</button>'
                 f'<button type="button" data-action="print">{_e(T["print"])}</button>'
                 f'<span class="count" data-role="count" aria-live="polite"></span></section>')
    h.append('<section class="items">')
    if not n_items:
        h.append(f'<p class="empty" data-role="empty">{_e(T["empty"])}</p>')
    fh.write("".join(h))
    for it in items:
        h = []
        findings = it["findings"]
        top = max(findings, key=lambda f: SEVERITY_RANK[f["severity"]])["severity"]
        cats = " ".join(sorted({f["category"] for f in findings}, key=CATEGORIES.index))
        d = _local(it.get("date"))
        year = str(d.year) if d else ""
        link = ""
        if it.get("url") and str(it["url"]).startswith(("https://", "http://")):
            link = (f'<a href="{_e(it["url"])}" target="_blank" rel="noopener noreferrer">'
                    f'{_e(T["open_original"])}</a>')
        h.append(f'<article class="item sev-{top}" data-key="{item_key(it)}" data-categories="{cats}" '
                 f'data-severity="{top}" data-platform="{_e(it["platform"])}" data-year="{year}">'
                 f'<header><span class="sev {top}">{_e(sev_label[top])}</span>'
                 f'<time datetime="{_e(it.get("date") or "")}">{_e(_fmt_date(d, locale))}</time>'
                 f'<span>{_e(PLATFORM_NAMES.get(it["platform"], it["platform"]))} · '
                 f'{_e(T.get("kind_" + it["kind"], it["kind"]))}</span>{link}'
                 f'<label class="done"><input type="checkbox" data-role="done"> {_e(T["done"])}</label></header>'
                 f'<p class="text">{_highlight(it["text"], findings)}</p><ul class="findings">')
        for f in findings:
            h.append(f'<li class="finding {f["severity"]}" data-rule="{_e(f["rule_id"])}">'
                     f'<span class="sev {f["severity"]}">{_e(sev_label[f["severity"]])}</span> '
                     f'<b>{_e(names.get(f["category"], f["category"]))}</b> — \u201c{_e(f["text"])}\u201d: '
                     f'{_e(f["message"])}')
            if f.get("suggestion"):
                h.append(f'<div class="sugg">{_e(T["suggestion"])}: {_e(f["suggestion"])}</div>')
            if f.get("basis"):
                h.append(f'<div class="basis">{_e(T["basis"])}: {_e(f["basis"])}</div>')
            h.append("</li>")
        h.append("</ul></article>")
        fh.write("".join(h))
    h = ["</section>"]
    if result.get("skipped"):
        h.append(f'<h2>{_e(T["skipped"])}</h2><ul class="meta skipped">')
        for s in result["skipped"][:50]:
            h.append(f"<li>{_e(s['file'])}: {_e(s['reason'])}</li>")
        h.append("</ul>")
    h.append(f'<footer>Saring {__version__} · saring sebelum sharing</footer></main>')
    h.append(f"<script>{js}</script></body></html>")
    fh.write("".join(h))
