"""The "Periksa arsip" HTML report in a real browser: it opens offline from a file with no
external request, its filters and "sudah saya tangani" checkboxes work (and are remembered
after a reload), the chart is inline SVG, the print layout hides the controls, English works."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "audit"))

import fixtures as F  # noqa: E402
from server.audit import AuditOptions, run_audit  # noqa: E402
from server.audit.report import render_html  # noqa: E402


@pytest.fixture(scope="module")
def report_files(tmp_path_factory, analyzer):
    tmp = tmp_path_factory.mktemp("report")
    for name in ("x", "facebook_new", "instagram_new"):
        F.BUILDERS[name](tmp / "export")                              # one folder, three platforms' files
    result = run_audit(str(tmp / "export"), AuditOptions(), analyzer=analyzer).to_dict()
    files = {}
    for locale in ("id", "en"):
        files[locale] = tmp / f"laporan-{locale}.html"
        files[locale].write_text(render_html(result, locale), encoding="utf-8")
    return result, files


def visible(page):
    return page.evaluate("() => [...document.querySelectorAll('article.item')].filter(a => !a.hidden)"
                         ".map(a => ({platform: a.dataset.platform, year: a.dataset.year, sev: a.dataset.severity,"
                         " cats: a.dataset.categories, text: a.querySelector('.text').innerText}))")


def test_report_filters_checkboxes_print_offline(plain_ctx, report_files):
    result, files = report_files
    page = plain_ctx.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(files["id"].as_uri())
    page.wait_for_selector("#saring-report[data-ready='1']")
    assert all(u.startswith(("file:", "data:")) for u in requests), requests    # nothing external
    items = result["items"]
    assert len(visible(page)) == len(items) >= 6
    assert page.locator("svg.chart rect").count() >= 1
    years = {str(int(i["date"][:4])) for i in items}
    chart_years = set(page.evaluate("() => [...document.querySelectorAll('svg.chart rect')].map(r => r.dataset.year)"))
    assert chart_years == years
    # evidence is highlighted inside the post's text
    marks = page.evaluate("() => [...document.querySelectorAll('article.item .text mark')].map(m => m.textContent)")
    assert "Hermès" in marks and "Mobil dinas" in marks
    # filters: category, platform, year, severity
    page.select_option("[data-filter=category]", "gratification")
    shown = visible(page)
    assert shown and all("gratification" in s["cats"] for s in shown)
    assert len(shown) == sum(1 for i in items if any(f["category"] == "gratification" for f in i["findings"]))
    page.click("[data-action=reset]")
    page.select_option("[data-filter=platform]", "facebook")
    assert {s["platform"] for s in visible(page)} == {"facebook"}
    page.select_option("[data-filter=year]", "2022")
    assert all(s["year"] == "2022" and s["platform"] == "facebook" for s in visible(page))
    page.click("[data-action=reset]")
    page.select_option("[data-filter=severity]", "high")
    assert visible(page) and all(s["sev"] == "high" for s in visible(page))
    page.click("[data-action=reset]")
    assert "dari" in page.inner_text("[data-role=count]")
    # checkboxes: tick two, they stay ticked after a reload, and the status filter uses them
    boxes = page.locator("article.item input[data-role=done]")
    boxes.nth(0).check()
    boxes.nth(2).check()
    page.reload()
    page.wait_for_selector("#saring-report[data-ready='1']")
    boxes = page.locator("article.item input[data-role=done]")
    assert [boxes.nth(i).is_checked() for i in range(3)] == [True, False, True]
    page.select_option("[data-filter=status]", "open")
    assert len(visible(page)) == len(items) - 2
    page.select_option("[data-filter=status]", "done")
    assert len(visible(page)) == 2
    assert page.get_attribute("#saring-report", "data-done") == "2"
    page.click("[data-action=reset]")
    # print layout: controls hidden, every shown item kept whole
    page.emulate_media(media="print")
    assert page.locator(".filters select").first.is_hidden()
    assert page.locator("[data-action=print]").is_hidden()
    assert page.evaluate("() => getComputedStyle(document.querySelector('article.item')).breakInside") == "avoid"
    page.emulate_media(media="screen")
    page.close()


def test_report_in_english(plain_ctx, report_files):
    _, files = report_files
    page = plain_ctx.new_page()
    page.goto(files["en"].as_uri())
    page.wait_for_selector("#saring-report[data-ready='1']")
    assert page.get_attribute("html", "lang") == "en"
    assert "posts checked" in page.inner_text("header")
    assert "handled" in page.inner_text("article.item label.done")
    assert "of" in page.inner_text("[data-role=count]")
    page.close()
