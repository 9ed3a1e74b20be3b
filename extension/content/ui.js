/* Saring — what the user sees on the page: underlines, badge, card and the pre-publish guard.
 *
 * Every element added to the page is one of our own host elements carrying `data-saring`, with
 * its UI inside an open shadow root. The page's own elements, the editor above all, are never
 * modified. Texts from the server are set with textContent only.
 *
 * No node is removed from the document while the user may be typing: in Chromium, removing any
 * node (even inside our shadow roots) ends the editor's current typing step, which would change
 * what Ctrl+Z undoes. Text changes go through Text.data, old card contents are hidden and only
 * dropped once the guard is shown or the box is left.
 */
(function (root) {
  "use strict";
  var NS = root.SaringCS = root.SaringCS || {};

  var Z = "2147483646";
  var HAS_HIGHLIGHT = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";
  var SEVERITIES = ["info", "warning", "high"];

  var BASE_CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif}",
    ".mark{position:fixed;pointer-events:none;border-bottom:2px solid transparent;border-radius:1px}",
    ".mark.box.info{border-bottom-color:#1e88e5;background:rgba(30,136,229,.10)}",
    ".mark.box.warning{border-bottom-color:#f9a825;background:rgba(249,168,37,.16)}",
    ".mark.box.high{border-bottom-color:#e53935;background:rgba(229,57,53,.14)}",
    ".mark.hl{border-bottom-color:transparent;background:transparent}"
  ].join("\n");

  var CARD_CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif}",
    ".card{width:340px;max-height:420px;overflow:auto;background:#fff;color:#1f2933;border:1px solid #d5dbe1;border-radius:10px;",
    "box-shadow:0 8px 28px rgba(0,0,0,.18);font-size:13px;line-height:1.45;padding:10px 12px}",
    ".item{padding:8px 0;border-top:1px solid #eef1f4}.item:first-of-type{border-top:0}",
    ".head{display:flex;gap:6px;align-items:center;margin-bottom:4px;flex-wrap:wrap}",
    ".sev{font-size:11px;font-weight:600;padding:1px 7px;border-radius:9px;color:#fff;text-transform:uppercase;letter-spacing:.02em}",
    ".sev.info{background:#1e88e5}.sev.warning{background:#e09000}.sev.high{background:#d32f2f}",
    ".cat{font-weight:600}",
    ".ev{font-style:italic;color:#52606d}",
    ".msg{margin:2px 0}",
    ".sug{margin:4px 0;padding:5px 8px;background:#f1f8f4;border-left:3px solid #2e7d32;border-radius:4px}",
    ".basis{font-size:11.5px;color:#616e7c;margin-top:3px}",
    ".actions{display:flex;gap:6px;margin-top:6px}",
    "button{font-size:12px;border:1px solid #c3ccd5;background:#f8fafc;color:#1f2933;border-radius:6px;padding:3px 9px;cursor:pointer}",
    "button:hover{background:#eef2f6}",
    ".title{font-weight:700;font-size:13.5px;margin-bottom:4px;display:flex;justify-content:space-between;align-items:center}",
    ".status{color:#52606d}",
    ".x{border:0;background:transparent;font-size:16px;line-height:1;padding:0 2px}"
  ].join("\n");

  var BADGE_CSS = [
    ":host{all:initial}",
    "button{all:initial;box-sizing:border-box;display:flex;align-items:center;justify-content:center;min-width:22px;height:22px;padding:0 6px;",
    "border-radius:11px;font:700 12px/1 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#fff;cursor:pointer;",
    "box-shadow:0 1px 4px rgba(0,0,0,.25);background:#2e7d32;user-select:none}",
    "button.info{background:#1e88e5}button.warning{background:#e09000}button.high{background:#d32f2f}",
    "button.offline{background:#8a94a0}button.pending{opacity:.75}",
    "button:focus-visible{outline:2px solid #1e88e5;outline-offset:2px}"
  ].join("\n");

  var GUARD_CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif}",
    ".backdrop{position:fixed;inset:0;background:rgba(15,23,42,.45);display:flex;align-items:center;justify-content:center}",
    ".dlg{width:min(520px,92vw);max-height:86vh;overflow:auto;background:#fff;color:#1f2933;border-radius:12px;",
    "box-shadow:0 20px 50px rgba(0,0,0,.3);padding:18px 20px;font-size:14px;line-height:1.5}",
    "h2{font-size:17px;margin:0 0 6px}",
    ".lead{margin:0 0 10px;color:#3e4c59}",
    "ul{margin:0 0 12px;padding:0;list-style:none}",
    "li{padding:8px 10px;border:1px solid #eef1f4;border-left:4px solid #e09000;border-radius:6px;margin-bottom:6px}",
    "li.high{border-left-color:#d32f2f}li.info{border-left-color:#1e88e5}",
    ".cat{font-weight:600}.ev{font-style:italic;color:#52606d}.sug{color:#2e7d32;margin-top:2px}",
    ".note{font-size:12.5px;color:#616e7c;margin:0 0 12px}",
    ".actions{display:flex;gap:8px;justify-content:flex-end}",
    "button{font-size:14px;border-radius:8px;padding:7px 14px;cursor:pointer;border:1px solid #c3ccd5;background:#fff;color:#1f2933}",
    "button[data-action=edit]{background:#1e5bd8;color:#fff;border-color:#1e5bd8}",
    "button[data-action=publish]{color:#b42318;border-color:#f1b8b2}",
    "button:focus-visible{outline:2px solid #1e5bd8;outline-offset:2px}"
  ].join("\n");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

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

  function UI(opts) {
    this.t = opts.t;                 // (key, subs) -> string
    this.onIgnore = opts.onIgnore;   // (finding)
    this.onDisableRule = opts.onDisableRule; // (finding)
    this.overlay = null;
    this.badge = null;
    this.card = null;
    this.guard = null;
    this.markEls = [];
    this.marks = [];                 // [{finding, rects}]
    this.cardTimer = 0;
    this.cardFor = null;
    this.highlightsOn = false;
    this.graveyard = [];             // hidden old card contents, removed when it is safe
  }

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
    // invisible hit areas for hover/click in every case.
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
        if (!m) { m = el("div"); els.push(m); layer.appendChild(m); }
        m.className = "mark " + (hl ? "hl " : "box ") + f.severity;
        m.style.left = r.left + "px";
        m.style.top = r.top + "px";
        m.style.width = r.width + "px";
        m.style.height = r.height + "px";
        m.style.display = "";
        m.setAttribute("data-saring-mark", f.rule_id);
        m.setAttribute("data-category", f.category);
        m.setAttribute("data-severity", f.severity);
        m.setAttribute("data-start", String(f.s));
        m.setAttribute("data-end", String(f.e));
        m.setAttribute("data-text", f.text);
        m._finding = f;
        n++;
      }
    }
    for (var k = n; k < els.length; k++) { els[k].style.display = "none"; els[k]._finding = null; els[k].removeAttribute("data-saring-mark"); }
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

  /* ---- badge ---- */
  UI.prototype.showBadge = function (anchorRect, info, onActivate) {
    if (!this.badge) {
      var b = makeHost("badge", BADGE_CSS);
      b.button = el("button");
      b.button.type = "button";
      b.shadow.appendChild(b.button);
      var self = this;
      b.button.addEventListener("click", function (e) { e.stopPropagation(); if (self.badgeActivate) self.badgeActivate(true); });
      b.button.addEventListener("mouseenter", function () { if (self.badgeActivate) self.badgeActivate(false); });
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
    bb.button.className = sev + (info.pending ? " pending" : "");
    if (!bb.label) { bb.label = document.createTextNode(""); bb.button.appendChild(bb.label); }
    var label = info.offline ? "!" : (info.count > 0 ? String(info.count) : "\u2713");
    if (bb.label.data !== label) bb.label.data = label;
    var title = info.offline ? this.t("badgeOffline") : info.count > 0 ? this.t("badgeFindings", [info.count]) : this.t("badgeClean");
    bb.button.title = title;
    bb.button.setAttribute("aria-label", "Saring: " + title);
    this.positionBadge(anchorRect);
  };
  UI.prototype.positionBadge = function (r) {
    if (!this.badge || !r) return;
    var size = 24;
    var left = r.right + 6;
    if (left + size > window.innerWidth - 2) left = r.right - size - 4;
    var top = r.bottom - size;
    if (top < r.top) top = r.top;
    top = Math.max(2, Math.min(top, window.innerHeight - size - 2));
    left = Math.max(2, left);
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

  UI.prototype.findingBlock = function (f, withActions, cls) {
    var self = this;
    var item = el("div", cls || "item");
    item.setAttribute("data-rule", f.rule_id);
    var head = el("div", "head");
    head.appendChild(el("span", "sev " + f.severity, this.sevName(f.severity)));
    head.appendChild(el("span", "cat", this.catName(f.category)));
    head.appendChild(el("span", "ev", "\u201C" + f.text + "\u201D"));
    item.appendChild(head);
    if (f.message) item.appendChild(el("div", "msg", f.message));
    if (f.suggestion) item.appendChild(el("div", "sug", f.suggestion));
    if (f.basis) item.appendChild(el("div", "basis", this.t("cardBasis") + ": " + f.basis));
    if (withActions) {
      var act = el("div", "actions");
      var ig = el("button", "", this.t("actionIgnore"));
      ig.setAttribute("data-action", "ignore");
      ig.title = this.t("actionIgnoreTitle");
      ig.addEventListener("click", function (e) { e.stopPropagation(); self.hideCard(); self.onIgnore(f); });
      var off = el("button", "", this.t("actionDisableRule"));
      off.setAttribute("data-action", "disable-rule");
      off.title = this.t("actionDisableRuleTitle");
      off.addEventListener("click", function (e) { e.stopPropagation(); self.hideCard(); self.onDisableRule(f); });
      act.appendChild(ig);
      act.appendChild(off);
      item.appendChild(act);
    }
    return item;
  };

  UI.prototype.ensureCard = function () {
    if (this.card) { mount(this.card.host); return this.card; }
    var c = makeHost("card", CARD_CSS);
    c.box = el("div", "card");
    c.box.setAttribute("role", "dialog");
    c.shadow.appendChild(c.box);
    var self = this;
    c.box.addEventListener("mouseenter", function () { clearTimeout(self.cardTimer); });
    c.box.addEventListener("mouseleave", function () { if (!self.cardPinned) self.scheduleCardHide(); });
    c.box.addEventListener("mousedown", function (e) { e.preventDefault(); });
    this.card = c;
    mount(c.host);
    return c;
  };

  /** Show the card near `anchor` (a rect). content: {findings, title, status}. */
  UI.prototype.showCard = function (anchor, content, pinned) {
    clearTimeout(this.cardTimer);
    var c = this.ensureCard();
    this.cardPinned = !!pinned;
    if (c.content) { c.content.style.display = "none"; this.graveyard.push(c.content); }
    if (this.graveyard.length > 40) this.purge();
    var box = el("div");
    c.content = box;
    c.box.appendChild(box);
    var title = el("div", "title");
    title.appendChild(el("span", "", content.title || "Saring"));
    var x = el("button", "x", "\u00D7");
    x.setAttribute("aria-label", this.t("close"));
    x.setAttribute("data-action", "close");
    var self = this;
    x.addEventListener("click", function (e) { e.stopPropagation(); self.hideCard(); });
    title.appendChild(x);
    box.appendChild(title);
    if (content.status) box.appendChild(el("div", "status", content.status));
    (content.findings || []).forEach(function (f) { box.appendChild(self.findingBlock(f, true)); });
    c.host.setAttribute("data-kind", content.kind || "finding");
    c.host.style.display = "";
    // place below the anchor, or above when there is no room
    var w = 340, h = Math.min(c.box.offsetHeight || 200, 420);
    var left = Math.max(4, Math.min(anchor.left, window.innerWidth - w - 8));
    var top = anchor.bottom + 6;
    if (top + h > window.innerHeight - 4) top = Math.max(4, anchor.top - h - 6);
    c.host.style.left = left + "px";
    c.host.style.top = top + "px";
    this.cardFor = content.key || null;
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

  /* ---- guard ---- */
  /** opts: {findings, mode: "warn"|"block", offline, onEdit, onPublish} */
  UI.prototype.showGuard = function (opts) {
    this.hideGuard();
    this.purge();
    var g = makeHost("guard", GUARD_CSS);
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
    dlg.appendChild(el("p", "lead", opts.offline ? this.t("guardOfflineLead") : this.t("guardLead", [opts.findings.length])));
    if (opts.findings.length) {
      var ul = el("ul");
      opts.findings.forEach(function (f) {
        var li = el("li", f.severity);
        li.setAttribute("data-rule", f.rule_id);
        var head = el("div");
        head.appendChild(el("span", "cat", self.catName(f.category) + " \u00B7 " + self.sevName(f.severity) + " "));
        head.appendChild(el("span", "ev", "\u201C" + f.text + "\u201D"));
        li.appendChild(head);
        if (f.message) li.appendChild(el("div", "", f.message));
        if (f.suggestion) li.appendChild(el("div", "sug", f.suggestion));
        ul.appendChild(li);
      });
      dlg.appendChild(ul);
    }
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
    if (pub) pub.addEventListener("click", function (e) { e.stopPropagation(); finish(true); });
    g.shadow.addEventListener("keydown", function (e) {
      e.stopPropagation();
      if (e.key === "Escape") { e.preventDefault(); finish(false); }
    });
    back.addEventListener("click", function (e) { if (e.target === back) finish(false); });
    this.guard = g;
    mount(g.host);
    edit.focus({ preventScroll: true });
  };
  UI.prototype.hideGuard = function () {
    if (this.guard) { this.guard.host.remove(); this.guard = null; }
  };
  UI.prototype.guardOpen = function () { return !!(this.guard && this.guard.host.isConnected); };

  UI.prototype.destroy = function () {
    this.clearMarks();
    this.hideBadge();
    this.hideCard();
    this.hideGuard();
    if (this.overlay) this.overlay.host.remove();
  };

  NS.UI = UI;
  NS.HAS_HIGHLIGHT = HAS_HIGHLIGHT;
})(typeof globalThis !== "undefined" ? globalThis : self);
