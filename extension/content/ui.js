/* Saring — what the user sees on the page: underlines, badge, card, live region and the
 * pre-publish guard.
 *
 * Every element added to the page is one of our own host elements carrying `data-saring`, with
 * its UI inside an open shadow root. The page's own elements, the editor above all, are never
 * modified. Texts from the server are set with textContent only.
 *
 * What a page script can read (docs/extension.md, "What a page can learn"): that Saring runs (the
 * hosts), the badge's count and highest severity, where the flagged ranges are (the highlight
 * registry is the page's; mark boxes carry severity and offsets), and what the card or guard
 * shows while it is open. Rule ids and the flagged words are not written into the page's DOM.
 *
 * No node is removed from the document while the user may be typing: in Chromium, removing any
 * node (even inside our shadow roots) ends the editor's current typing step, which would change
 * what Ctrl+Z undoes. Text changes go through Text.data, old card contents are hidden and only
 * dropped once the guard is shown or the box is left.
 */
(function (root) {
  "use strict";
  var NS = root.SaringCS = root.SaringCS || {};
  var el = root.SaringUtil.el;

  var Z = "2147483646";
  var HAS_HIGHLIGHT = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";
  var SEVERITIES = ["info", "warning", "high"];
  var FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif";

  // Colours meet WCAG AA: white text on every chip >= 4.5:1, underlines >= 3:1 on white.
  var THEME_CSS = [
    ":host{all:initial;--bg:#fff;--fg:#1f2933;--muted:#52606d;--line:#d5dbe1;--soft:#f1f4f7;--sug:#eef7f0;--sugline:#2e7d32;",
    "--btn:#f8fafc;--btnline:#8895a3;--focus:#1565c0;--primary:#1565c0;--danger:#a61b1b}",
    ":host([data-theme=dark]){--bg:#1e232b;--fg:#e6e9ee;--muted:#a9b4c2;--line:#3a4350;--soft:#272d37;--sug:#1d3326;--sugline:#4ade80;",
    "--btn:#2a313c;--btnline:#6b7786;--focus:#60a5fa;--primary:#2563eb;--danger:#f87171}",
    "*{box-sizing:border-box;" + FONT + "}",
    ".sev{font-size:11px;font-weight:700;padding:1px 7px;border-radius:9px;color:#fff;text-transform:uppercase;letter-spacing:.02em}",
    ".sev.info{background:#1565c0}.sev.warning{background:#b45309}.sev.high{background:#c62828}",
    "button{font-size:12.5px;border:1px solid var(--btnline);background:var(--btn);color:var(--fg);border-radius:6px;padding:4px 9px;cursor:pointer}",
    "button:hover{filter:brightness(.96)}",
    "button:focus-visible{outline:2px solid var(--focus);outline-offset:2px}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
  ].join("\n");

  var BASE_CSS = [
    ":host{all:initial}",
    ".mark{position:fixed;pointer-events:none;border-bottom:2px solid transparent;border-radius:1px}",
    ".mark.box.info{border-bottom-color:#1565c0;background:rgba(21,101,192,.10)}",
    ".mark.box.warning{border-bottom-color:#b45309;background:rgba(180,83,9,.14)}",
    ".mark.box.high{border-bottom-color:#c62828;background:rgba(198,40,40,.12)}",
    ":host([data-theme=dark]) .mark.box.info{border-bottom-color:#60a5fa}",
    ":host([data-theme=dark]) .mark.box.warning{border-bottom-color:#fbbf24}",
    ":host([data-theme=dark]) .mark.box.high{border-bottom-color:#f87171}",
    ".mark.hl{border-bottom-color:transparent;background:transparent}"
  ].join("\n");

  var CARD_CSS = THEME_CSS + "\n" + [
    ".card{width:min(360px,calc(100vw - 16px));max-height:min(440px,calc(100vh - 16px));overflow:auto;background:var(--bg);color:var(--fg);",
    "border:1px solid var(--line);border-radius:10px;box-shadow:0 8px 28px rgba(0,0,0,.22);font-size:13px;line-height:1.45;padding:10px 12px}",
    ".item{padding:6px 0 2px}",
    ".head{display:flex;gap:6px;align-items:center;margin-bottom:4px;flex-wrap:wrap}",
    ".cat{font-weight:600}",
    ".ev{font-style:italic;color:var(--muted);overflow-wrap:anywhere}",
    ".msg{margin:2px 0}",
    ".sug{margin:4px 0;padding:5px 8px;background:var(--sug);border-left:3px solid var(--sugline);border-radius:4px}",
    ".basis{font-size:12px;color:var(--muted);margin-top:3px}",
    ".note{font-size:12px;color:var(--muted);margin-top:4px}",
    ".actions{display:flex;gap:6px;margin-top:8px;flex-wrap:wrap}",
    "button[data-action=fix]{background:var(--primary);border-color:var(--primary);color:#fff}",
    ".title{font-weight:700;font-size:13.5px;margin:0 0 4px;display:flex;gap:6px;justify-content:space-between;align-items:center}",
    ".nav{display:flex;gap:4px;align-items:center;font-weight:400;font-size:12px;color:var(--muted)}",
    ".nav button{padding:1px 8px}",
    ".status{color:var(--fg)}",
    ".help{margin-top:4px;color:var(--muted);font-size:12px}",
    ".foot{display:flex;gap:6px;margin-top:8px;padding-top:6px;border-top:1px solid var(--line);flex-wrap:wrap}",
    ".foot button{font-size:12px}",
    ".x{border:0;background:transparent;font-size:17px;line-height:1;padding:0 4px}"
  ].join("\n");

  var BADGE_CSS = [
    ":host{all:initial}",
    "button{all:initial;box-sizing:border-box;display:flex;align-items:center;justify-content:center;min-width:24px;height:24px;padding:0 6px;",
    "border-radius:12px;font:700 12px/1 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#fff;cursor:pointer;",
    "box-shadow:0 1px 4px rgba(0,0,0,.3);background:#2e7d32;user-select:none}",
    "button.info{background:#1565c0}button.warning{background:#b45309}button.high{background:#c62828}",
    "button.offline{background:#5f6b7a}button.pending{background-image:linear-gradient(rgba(0,0,0,.12),rgba(0,0,0,.12))}",
    "button:focus-visible{outline:2px solid #1565c0;outline-offset:2px}",
    ":host([data-theme=dark]) button:focus-visible{outline-color:#60a5fa}"
  ].join("\n");

  var GUARD_CSS = THEME_CSS + "\n" + [
    ".backdrop{position:fixed;inset:0;background:rgba(15,23,42,.5);display:flex;align-items:center;justify-content:center;padding:8px}",
    ".dlg{width:min(520px,100%);max-height:calc(100vh - 16px);display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border-radius:12px;",
    "box-shadow:0 20px 50px rgba(0,0,0,.35);padding:16px 18px;font-size:14px;line-height:1.5}",
    "h2{font-size:17px;margin:0 0 6px}",
    ".lead{margin:0 0 10px}",
    ".list{flex:1 1 auto;min-height:0;overflow:auto;margin:0 0 10px}",
    "ul{margin:0;padding:0;list-style:none}",
    "li{padding:8px 10px;border:1px solid var(--line);border-left:4px solid #b45309;border-radius:6px;margin-bottom:6px}",
    "li.high{border-left-color:#c62828}li.info{border-left-color:#1565c0}",
    ".cat{font-weight:600}.ev{font-style:italic;color:var(--muted);overflow-wrap:anywhere}.sug{color:var(--fg);margin-top:2px;border-left:3px solid var(--sugline);padding-left:6px}",
    ".note{font-size:13px;color:var(--muted);margin:0 0 10px}",
    ".actions{display:flex;gap:8px;justify-content:flex-end;flex:none;flex-wrap:wrap}",
    ".actions button{font-size:14px;border-radius:8px;padding:7px 14px}",
    "button[data-action=edit]{background:var(--primary);color:#fff;border-color:var(--primary)}",
    "button[data-action=publish]{color:var(--danger);border-color:var(--danger)}"
  ].join("\n");

  var LIVE_CSS = ":host{all:initial}\n.sr{position:fixed;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}";

  function makeHost(kind, css) {
    var host = document.createElement("saring-ui");
    host.setAttribute("data-saring", kind);
    host.style.cssText = "all:initial;position:fixed;top:0;left:0;z-index:" + Z + ";";
    var shadow = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = css;
    shadow.appendChild(style);
    return { host: host, shadow: shadow };
  }

  function mount(host) {
    var parent = document.body || document.documentElement;
    if (host.parentNode !== parent) parent.appendChild(host);
  }

  function focusables(rootNode) {
    return Array.prototype.filter.call(rootNode.querySelectorAll("button"), function (b) {
      return !b.disabled && b.offsetParent !== null;
    });
  }

  function UI(opts) {
    this.t = opts.t;                 // (key, subs) -> string
    this.on = opts.on || {};         // callbacks: ignore, disableRule, fix, retry, pauseSite, pauseHour, closeCard
    this.overlay = null;
    this.badge = null;
    this.card = null;
    this.guard = null;
    this.live = null;
    this.markEls = [];
    this.marks = [];                 // [{finding, rects}]
    this.cardTimer = 0;
    this.cardFor = null;
    this.highlightsOn = false;
    this.theme = "light";
    this.graveyard = [];             // hidden old card contents, removed when it is safe
  }

  /** "light" or "dark": the card, guard and badge follow the page (set by the core). */
  UI.prototype.setTheme = function (theme) {
    this.theme = theme === "dark" ? "dark" : "light";
    var self = this;
    [this.card, this.guard, this.badge, this.overlay].forEach(function (h) { if (h) h.host.setAttribute("data-theme", self.theme); });
  };

  /** Remove hidden leftovers; called when the user is not in the middle of typing. */
  UI.prototype.purge = function () {
    var g = this.graveyard;
    this.graveyard = [];
    g.forEach(function (n) { n.remove(); });
  };

  UI.prototype.ensureOverlay = function () {
    if (this.overlay) { mount(this.overlay.host); return this.overlay; }
    var o = makeHost("overlay", BASE_CSS);
    o.host.style.pointerEvents = "none";
    o.host.style.width = "0";
    o.host.style.height = "0";
    o.host.setAttribute("data-theme", this.theme);
    o.layer = el("div");
    o.mirrorBox = el("div");
    o.shadow.appendChild(o.layer);
    o.shadow.appendChild(o.mirrorBox);
    this.overlay = o;
    mount(o.host);
    return o;
  };

  UI.prototype.mirror = function () {
    var o = this.ensureOverlay();
    if (!o.mirror) o.mirror = new NS.text.Mirror(o.mirrorBox);
    return o.mirror;
  };

  /** Draw marks. items: [{finding, rects:[{left,top,width,height}], range}] ; useHighlight for contenteditable. */
  UI.prototype.drawMarks = function (items, useHighlight, clip) {
    var o = this.ensureOverlay();
    var hl = useHighlight && HAS_HIGHLIGHT;
    // CSS Custom Highlight API: the browser paints the underline in the editor's own text
    if (HAS_HIGHLIGHT) {
      var groups = { info: [], warning: [], high: [] };
      if (hl) items.forEach(function (it) { if (it.range && groups[it.finding.severity]) groups[it.finding.severity].push(it.range); });
      SEVERITIES.forEach(function (sev) {
        var name = "saring-" + sev;
        if (groups[sev].length) CSS.highlights.set(name, new Highlight(...groups[sev]));
        else if (CSS.highlights.has(name)) CSS.highlights.delete(name);
      });
      this.highlightsOn = hl && items.length > 0;
    }
    // Positioned boxes: visible underlines for textareas (or without the Highlight API), and
    // invisible hit areas for hover/click in every case. They carry severity and offsets only.
    var n = 0, els = this.markEls, layer = o.layer;
    for (var i = 0; i < items.length; i++) {
      var f = items[i].finding, rects = items[i].rects;
      for (var j = 0; j < rects.length; j++) {
        var r = rects[j];
        if (clip) {
          var l = Math.max(r.left, clip.left), t = Math.max(r.top, clip.top);
          var rr = Math.min(r.left + r.width, clip.right), bb = Math.min(r.top + r.height, clip.bottom);
          if (rr <= l || bb <= t) continue;
          r = { left: l, top: t, width: rr - l, height: bb - t };
        }
        var m = els[n];
        if (!m) { m = el("div"); m.setAttribute("data-saring-mark", ""); els.push(m); layer.appendChild(m); }
        var cls = "mark " + (hl ? "hl " : "box ") + f.severity;
        if (m.className !== cls) m.className = cls;
        m.style.left = r.left + "px";
        m.style.top = r.top + "px";
        m.style.width = r.width + "px";
        m.style.height = r.height + "px";
        m.style.display = "";
        m.setAttribute("data-severity", f.severity);
        m.setAttribute("data-start", String(f.s));
        m.setAttribute("data-end", String(f.e));
        m._finding = f;
        n++;
      }
    }
    for (var k = n; k < els.length; k++) {
      if (els[k].style.display !== "none") els[k].style.display = "none";
      els[k]._finding = null;
    }
    this.marks = items;
    o.host.setAttribute("data-marks", String(n));
    o.host.setAttribute("data-mode", hl ? "highlight" : "boxes");
  };

  UI.prototype.clearMarks = function () {
    if (!this.overlay && !this.highlightsOn) return;
    this.drawMarks([], false, null);
  };

  /** The finding under viewport point (x, y), if any. */
  UI.prototype.hitTest = function (x, y) {
    for (var i = 0; i < this.markEls.length; i++) {
      var m = this.markEls[i];
      if (!m._finding || m.style.display === "none") continue;
      var l = parseFloat(m.style.left), t = parseFloat(m.style.top);
      if (x >= l && x <= l + parseFloat(m.style.width) && y >= t - 2 && y <= t + parseFloat(m.style.height) + 3) return { finding: m._finding, el: m };
    }
    return null;
  };

  /* ---- live region: new findings are announced politely to screen readers ---- */
  UI.prototype.announce = function (text) {
    if (!this.live) {
      var h = makeHost("live", LIVE_CSS);
      h.box = el("div", "sr");
      h.box.setAttribute("role", "status");
      h.box.setAttribute("aria-live", "polite");
      h.box.setAttribute("aria-atomic", "true");
      h.text = document.createTextNode("");
      h.box.appendChild(h.text);
      h.shadow.appendChild(h.box);
      this.live = h;
    }
    mount(this.live.host);
    if (this.live.text.data !== text) this.live.text.data = text;
  };

  /* ---- badge ---- */
  UI.prototype.showBadge = function (anchorRect, info, onActivate) {
    if (!this.badge) {
      var b = makeHost("badge", BADGE_CSS);
      b.host.setAttribute("data-theme", this.theme);
      b.button = el("button");
      b.button.type = "button";
      b.button.setAttribute("aria-haspopup", "dialog");
      b.button.setAttribute("aria-keyshortcuts", "Alt+Shift+S");
      b.shadow.appendChild(b.button);
      var self = this;
      b.button.addEventListener("click", function (e) { e.stopPropagation(); if (self.badgeActivate) self.badgeActivate(true, e.detail === 0); });
      b.button.addEventListener("mouseenter", function () { if (self.badgeActivate) self.badgeActivate(false, false); });
      b.button.addEventListener("mouseleave", function () { self.scheduleCardHide(); });
      b.button.addEventListener("mousedown", function (e) { e.preventDefault(); }); // keep the editor's focus
      this.badge = b;
    }
    this.badgeActivate = onActivate;
    var bb = this.badge;
    mount(bb.host);
    var sev = info.offline ? "offline" : info.severity;
    bb.host.setAttribute("data-count", String(info.count));
    bb.host.setAttribute("data-severity", sev);
    var cls = sev + (info.pending ? " pending" : "");
    if (bb.button.className !== cls) bb.button.className = cls;
    if (!bb.label) { bb.label = document.createTextNode(""); bb.button.appendChild(bb.label); }
    var label = info.slow ? "\u2026" : info.offline ? "!" : (info.count > 0 ? String(info.count) : "\u2713");
    if (bb.label.data !== label) bb.label.data = label;
    var title = info.slow ? this.t("badgePending") :
      info.offline ? this.t(info.refused ? "badgeRefused" : "badgeOffline") :
      info.partial ? this.t("badgePartial", [info.count]) :
      info.count > 0 ? this.t("badgeFindings", [info.count]) : this.t("badgeClean");
    title += " (" + this.t("cardShortcut") + ")";
    if (bb.title !== title) {
      bb.title = title;
      bb.button.title = title;
      bb.button.setAttribute("aria-label", "Saring: " + title);
    }
    this.positionBadge(anchorRect);
  };
  UI.prototype.positionBadge = function (r) {
    if (!this.badge || !r) return;
    var size = 26, vw = document.documentElement.clientWidth || window.innerWidth;
    var left = r.right + 6;
    if (left + size > vw - 2) left = Math.min(r.right, vw) - size - 4;
    var top = r.bottom - size;
    if (top < r.top) top = r.top;
    top = Math.max(2, Math.min(top, window.innerHeight - size - 2));
    left = Math.max(2, Math.min(left, vw - size - 2));
    var st = this.badge.host.style;
    st.left = left + "px";
    st.top = top + "px";
    st.display = r.width === 0 && r.height === 0 ? "none" : "";
  };
  UI.prototype.hideBadge = function () {
    if (this.badge && this.badge.host.parentNode) this.badge.host.remove();
  };

  /* ---- card ---- */
  UI.prototype.catName = function (id) {
    var s = this.t("cat_" + id);
    return s === "cat_" + id ? id : s;
  };
  UI.prototype.sevName = function (sev) { return this.t("sev_" + sev); };

  function button(text, action, title, onClick) {
    var b = el("button", "", text);
    b.type = "button";
    if (action) b.setAttribute("data-action", action);
    if (title) b.title = title;
    b.addEventListener("click", function (e) {
      e.stopPropagation();
      if (!e.isTrusted) return; // only the user's own click acts (a page cannot press these)
      onClick(e);
    });
    return b;
  }

  UI.prototype.findingBlock = function (f, locked) {
    var self = this, on = this.on;
    var item = el("div", "item");
    var head = el("div", "head");
    head.appendChild(el("span", "sev " + f.severity, this.sevName(f.severity)));
    head.appendChild(el("span", "cat", this.catName(f.category)));
    head.appendChild(el("span", "ev", "\u201C" + f.text + "\u201D"));
    item.appendChild(head);
    if (f.message) item.appendChild(el("div", "msg", f.message));
    if (f.suggestion) item.appendChild(el("div", "sug", f.suggestion));
    if (f.basis) item.appendChild(el("div", "basis", this.t("cardBasis") + ": " + f.basis));
    var act = el("div", "actions");
    (Array.isArray(f.replacements) ? f.replacements : []).slice(0, 3).forEach(function (rep) {
      var label = rep === "" ? self.t("actionFixDrop", [f.text]) : self.t("actionFixReplace", [rep]);
      act.appendChild(button(label, "fix", self.t("actionFixTitle"), function () { self.hideCard(true); on.fix(f, rep); }));
    });
    if (!locked) {
      act.appendChild(button(this.t("actionIgnore"), "ignore", this.t("actionIgnoreTitle"), function () { self.hideCard(true); on.ignore(f); }));
      act.appendChild(button(this.t("actionDisableRule"), "disable-rule", this.t("actionDisableRuleTitle"), function () { self.hideCard(true); on.disableRule(f); }));
    }
    if (act.firstChild) item.appendChild(act);
    if (locked) item.appendChild(el("div", "note", this.t("lockedByBlock")));
    return item;
  };

  UI.prototype.ensureCard = function () {
    if (this.card) { mount(this.card.host); return this.card; }
    var c = makeHost("card", CARD_CSS);
    c.host.setAttribute("data-theme", this.theme);
    c.box = el("div", "card");
    c.box.setAttribute("role", "dialog");
    c.box.setAttribute("aria-label", this.t("cardTitle"));
    c.shadow.appendChild(c.box);
    var self = this;
    c.box.addEventListener("mouseenter", function () { clearTimeout(self.cardTimer); });
    c.box.addEventListener("mouseleave", function () { if (!self.cardPinned) self.scheduleCardHide(); });
    c.box.addEventListener("mousedown", function (e) { if (e.target.tagName !== "BUTTON") e.preventDefault(); });
    this.card = c;
    mount(c.host);
    return c;
  };

  /** Show the card near `anchor` (a rect).
   * content: {findings, index, status, help, retry, pause: {site, hour}, locked(f), kind, key} */
  UI.prototype.showCard = function (anchor, content, pinned, focus) {
    clearTimeout(this.cardTimer);
    var c = this.ensureCard();
    this.cardPinned = !!pinned;
    this.cardAnchor = anchor;
    this.cardContent = content;
    if (c.content) { c.content.style.display = "none"; this.graveyard.push(c.content); }
    if (this.graveyard.length > 40) this.purge();
    var self = this, on = this.on;
    var list = content.findings || [];
    var index = Math.max(0, Math.min(content.index || 0, list.length - 1));
    var box = el("div");
    c.content = box;
    c.box.appendChild(box);
    var title = el("div", "title");
    title.appendChild(el("span", "", "Saring"));
    var right = el("span", "nav");
    if (list.length > 1) {
      right.appendChild(button("\u2039", "prev", this.t("cardPrev"), function () { self.moveCard(-1); }));
      var counter = el("span", "counter", this.t("cardCounter", [index + 1, list.length]));
      counter.setAttribute("aria-live", "polite");
      right.appendChild(counter);
      right.appendChild(button("\u203A", "next", this.t("cardNext"), function () { self.moveCard(1); }));
      right.firstChild.setAttribute("aria-label", this.t("cardPrev"));
      right.lastChild.setAttribute("aria-label", this.t("cardNext"));
    }
    var x = button("\u00D7", "close", this.t("close"), function () { self.hideCard(); if (on.closeCard) on.closeCard(); });
    x.className = "x";
    x.setAttribute("aria-label", this.t("close"));
    right.appendChild(x);
    title.appendChild(right);
    box.appendChild(title);
    if (content.status) box.appendChild(el("div", "status", content.status));
    if (content.help) box.appendChild(el("div", "help", content.help));
    if (content.retry) {
      var ra = el("div", "actions");
      ra.appendChild(button(this.t("actionRetry"), "retry", null, function () { self.hideCard(true); on.retry(); }));
      box.appendChild(ra);
    }
    if (list.length) {
      var f = list[index];
      box.appendChild(this.findingBlock(f, content.locked ? content.locked(f) : false));
      if (content.partial) box.appendChild(el("div", "note", content.partial));
    }
    if (content.pause && (content.pause.site || content.pause.hour)) {
      var foot = el("div", "foot");
      if (content.pause.site) foot.appendChild(button(this.t("actionPauseSite"), "pause-site", null, function () { self.hideCard(); on.pauseSite(); }));
      if (content.pause.hour) foot.appendChild(button(this.t("actionPauseHour"), "pause-hour", null, function () { self.hideCard(); on.pauseHour(); }));
      box.appendChild(foot);
    }
    c.host.setAttribute("data-kind", content.kind || "finding");
    c.host.setAttribute("data-index", String(index));
    c.host.style.display = "";
    content.index = index;
    this.placeCard(anchor);
    this.cardFor = content.key || null;
    if (focus) {
      var first = focusables(box).filter(function (b) { return b.getAttribute("data-action") !== "close"; })[0] || x;
      first.focus({ preventScroll: true });
    }
  };
  UI.prototype.placeCard = function (anchor) {
    var c = this.card;
    var vw = document.documentElement.clientWidth || window.innerWidth, vh = window.innerHeight;
    var w = c.box.offsetWidth || Math.min(360, vw - 16), h = c.box.offsetHeight || 200;
    var left = Math.max(8, Math.min(anchor.left, vw - w - 8));
    var top = anchor.bottom + 6;
    if (top + h > vh - 4) top = Math.max(4, Math.min(anchor.top - h - 6, vh - h - 4));
    c.host.style.left = left + "px";
    c.host.style.top = top + "px";
  };
  UI.prototype.moveCard = function (step) {
    var content = this.cardContent;
    if (!content || !content.findings || content.findings.length < 2) return;
    var n = content.findings.length;
    var next = Object.assign({}, content, { index: ((content.index || 0) + step + n) % n });
    this.showCard(this.cardAnchor, next, true, false);
    var nav = this.card.content.querySelector("[data-action=" + (step < 0 ? "prev" : "next") + "]");
    if (nav) nav.focus({ preventScroll: true });
  };
  UI.prototype.scheduleCardHide = function () {
    var self = this;
    clearTimeout(this.cardTimer);
    this.cardTimer = setTimeout(function () { if (!self.cardPinned) self.hideCard(); }, 350);
  };
  UI.prototype.hideCard = function () {
    clearTimeout(this.cardTimer);
    this.cardFor = null;
    this.cardPinned = false;
    if (this.card) this.card.host.style.display = "none";
  };
  UI.prototype.cardVisible = function () { return !!(this.card && this.card.host.style.display !== "none" && this.card.host.isConnected); };
  UI.prototype.cardHasFocus = function () {
    return !!(this.card && this.card.shadow.activeElement);
  };

  /* ---- guard ---- */
  /** opts: {findings, mode: "warn"|"block", offline, refused, partial, onEdit, onPublish} */
  UI.prototype.showGuard = function (opts) {
    this.hideGuard();
    this.purge();
    var g = makeHost("guard", GUARD_CSS);
    g.host.setAttribute("data-theme", this.theme);
    g.host.style.cssText += "width:100vw;height:100vh;";
    var self = this;
    var back = el("div", "backdrop");
    var dlg = el("div", "dlg");
    dlg.setAttribute("role", "alertdialog");
    dlg.setAttribute("aria-modal", "true");
    var h = el("h2", "", opts.offline ? this.t("guardOfflineTitle") : this.t("guardTitle"));
    h.id = "saring-guard-title";
    dlg.setAttribute("aria-labelledby", h.id);
    dlg.appendChild(h);
    var lead = el("p", "lead", opts.offline ? this.t(opts.refused ? "guardRefusedLead" : "guardOfflineLead") : this.t("guardLead", [opts.findings.length]));
    lead.id = "saring-guard-lead";
    dlg.setAttribute("aria-describedby", lead.id);
    dlg.appendChild(lead);
    if (opts.findings.length) {
      var wrap = el("div", "list");
      var ul = el("ul");
      opts.findings.forEach(function (f) {
        var li = el("li", f.severity);
        var head = el("div");
        head.appendChild(el("span", "cat", self.catName(f.category) + " \u00B7 " + self.sevName(f.severity) + " "));
        head.appendChild(el("span", "ev", "\u201C" + f.text + "\u201D"));
        li.appendChild(head);
        if (f.message) li.appendChild(el("div", "", f.message));
        if (f.suggestion) li.appendChild(el("div", "sug", f.suggestion));
        ul.appendChild(li);
      });
      wrap.appendChild(ul);
      dlg.appendChild(wrap);
    }
    if (opts.partial) dlg.appendChild(el("p", "note", this.t("guardPartialNote")));
    if (opts.mode === "block") dlg.appendChild(el("p", "note", this.t("guardBlockNote")));
    var act = el("div", "actions");
    var edit = el("button", "", this.t("guardEdit"));
    edit.type = "button";
    edit.setAttribute("data-action", "edit");
    act.appendChild(edit);
    var pub = null;
    if (opts.mode !== "block") {
      pub = el("button", "", this.t("guardPublish"));
      pub.type = "button";
      pub.setAttribute("data-action", "publish");
      act.insertBefore(pub, edit);
    }
    dlg.appendChild(act);
    back.appendChild(dlg);
    g.shadow.appendChild(back);
    var done = false;
    function finish(publish) {
      if (done) return;
      done = true;
      self.hideGuard();
      if (publish) opts.onPublish(); else opts.onEdit();
    }
    edit.addEventListener("click", function (e) { e.stopPropagation(); finish(false); });
    if (pub) pub.addEventListener("click", function (e) { e.stopPropagation(); if (e.isTrusted) finish(true); });
    g.shadow.addEventListener("keydown", function (e) {
      e.stopPropagation();
      if (e.key === "Escape") { e.preventDefault(); finish(false); return; }
      if (e.key === "Tab") {
        // a focus trap: Tab and Shift+Tab go round the dialog's buttons
        var list = focusables(dlg);
        if (!list.length) return;
        var i = list.indexOf(g.shadow.activeElement);
        var next = e.shiftKey ? (i <= 0 ? list.length - 1 : i - 1) : (i < 0 || i === list.length - 1 ? 0 : i + 1);
        e.preventDefault();
        list[next].focus();
      }
    });
    back.addEventListener("click", function (e) { if (e.target === back) finish(false); });
    this.guard = g;
    this.guardDefault = edit;
    mount(g.host);
    edit.focus({ preventScroll: true });
  };
  /** Is this event inside the guard? */
  UI.prototype.inGuard = function (e) {
    if (!this.guard) return false;
    var p = e.composedPath ? e.composedPath() : [];
    return p.indexOf(this.guard.host) >= 0;
  };
  UI.prototype.focusGuard = function () {
    if (!this.guard) return;
    var active = this.guard.shadow.activeElement;
    if (!active && this.guardDefault) this.guardDefault.focus({ preventScroll: true });
  };
  UI.prototype.hideGuard = function () {
    if (this.guard) { this.guard.host.remove(); this.guard = null; this.guardDefault = null; }
  };
  UI.prototype.guardOpen = function () { return !!(this.guard && this.guard.host.isConnected); };

  UI.prototype.destroy = function () {
    this.clearMarks();
    this.hideBadge();
    this.hideCard();
    this.hideGuard();
    if (this.overlay) this.overlay.host.remove();
    if (this.live) this.live.host.remove();
  };

  NS.UI = UI;
  NS.HAS_HIGHLIGHT = HAS_HIGHLIGHT;
})(typeof globalThis !== "undefined" ? globalThis : self);
