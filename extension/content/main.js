/* Saring — content script core.
 *
 * Watches the compose box the user is typing in, asks the background worker (and through it the
 * local server) for findings after a short pause, draws them, and guards the platform's publish
 * button and send shortcut. The text is only handed to the background worker; it is never logged.
 */
(function (root) {
  "use strict";
  var NS = root.SaringCS;
  if (!NS || NS.started) return;
  NS.started = true;

  var S = root.SaringSettings;
  var U = root.SaringUtil;
  var api = S.api;
  var A = NS.adapters;
  var T = NS.text;
  var site = S.siteForHost(location.hostname);
  var adapter = A.forSite(site ? site.id : null);
  var RANK = S.SEVERITY_RANK;
  var GUARD_CHECK_TIMEOUT_MS = 1500;
  // After the server was unreachable it may be starting up (Saring starts at logon; its first
  // check warms the analyzer) and the extension first asks it for its settings again: the check
  // before publishing then waits longer before it gives up.  A server that is still down
  // refuses the connection at once, so this costs nothing when it is really off.
  var GUARD_CHECK_AFTER_OFFLINE_MS = 3000;
  var MAX_TEXT = 8 * 65536;          // longer posts are checked in part (head and tail), and say so
  var RETRY_MIN_MS = 1000, RETRY_MAX_MS = 30000;

  var cfg = null;
  var enabled = false;
  var messages = {};
  var ui = null;
  var states = new Map();  // editor root element -> state
  var active = null;
  var observer = null;
  var resizeObs = null;
  var rafId = 0;
  var seqKey = 0;
  var bypass = false;      // true while we replay the user's own publish action
  var guardBusy = false;
  var contextDead = false;
  var lastUserKeyAt = -1e9;  // the user's last Enter/Space: a page's own click right after it is theirs
  var pauseTimer = 0;

  /* Per-handler timing, off unless scripts/bench_extension.py switches it on in this isolated
   * world (SaringCS.enablePerf()); nothing is recorded in a user's tab. */
  var perf = null;
  function rec(kind, t0) {
    if (!perf) return;
    var s = perf.samples;
    if (s.length >= perf.max) s.splice(0, s.length >> 1);
    s.push([kind, t0, performance.now() - t0]);
  }
  NS.enablePerf = function () {
    if (!perf) perf = { samples: [], max: 50000, shown: [], lastChangeAt: 0 };
    root.__saringPerf = perf;
    return true;
  };

  function t(key, subs) { return U.format(messages, key, subs); }

  function send(msg) {
    return new Promise(function (resolve) {
      if (contextDead) return resolve(null);
      try {
        api.runtime.sendMessage(msg, function (resp) {
          if (api.runtime.lastError) return resolve(null);
          resolve(resp);
        });
      } catch (e) {
        contextDead = true; // the extension was reloaded or removed
        resolve(null);
      }
    });
  }

  /* ---- configuration ---- */
  var configTries = 0;
  function loadConfig() {
    return send({ type: "config" }).then(function (c) {
      if (!c || !c.settings) {
        // the background worker may be starting: try again a few times
        if (!contextDead && configTries++ < 8) setTimeout(loadConfig, 150 * configTries);
        return;
      }
      configTries = 0;
      var prev = cfg && cfg.settings;
      cfg = c;
      messages = c.messages || {};
      var was = enabled;
      enabled = S.isEnabledFor(c.settings, location);
      clearTimeout(pauseTimer);
      var paused = S.pausedUntil(c.settings);
      if (paused) pauseTimer = setTimeout(loadConfig, Math.min(paused - Date.now() + 50, 2147483000));
      if (!enabled) {
        deactivateAll();
        return;
      }
      if (!ui) {
        ui = new NS.UI({ t: t, on: {
          ignore: ignoreFinding, disableRule: disableRule, fix: applyFix, retry: retryNow,
          pauseSite: pauseSite, pauseHour: pauseHour, closeCard: returnFocus
        } });
      }
      var s = c.settings;
      var recheck = prev && (prev.serverUrl !== s.serverUrl || prev.language !== s.language ||
        JSON.stringify(prev.categories) !== JSON.stringify(s.categories));
      states.forEach(function (st) {
        st.dirty = true;
        if (recheck) { st.sentText = null; st.resultText = null; st.result = []; st.offline = false; st.refused = null; }
      });
      if (recheck && active) runCheck(active);
      if (!was) {
        var ae = deepActive();
        var r = A.editableRoot(ae);
        if (r) activate(r);
      }
      if (active) { active.dirty = true; scheduleLayout(); }
    });
  }

  function deepActive() {
    var a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a;
  }

  function blockMode() { return !!(cfg && cfg.settings.guardMode === "block"); }
  function guardRank() { return RANK[(cfg && cfg.settings.threshold) || "high"] || 3; }
  /** In IT's block mode a finding that stops publishing cannot be dismissed from the page. */
  function undismissable(f) { return blockMode() && (RANK[f.severity] || 0) >= guardRank(); }

  /* ---- editor state ---- */
  function getState(el) {
    var st = states.get(el);
    if (st) return st;
    if (states.size > 50) states.forEach(function (s, k) { if (!k.isConnected) states.delete(k); });
    st = {
      el: el,
      isTA: el.tagName === "TEXTAREA",
      key: "e" + (++seqKey),
      seq: 0,
      sentText: null,      // last text sent to the server
      resultText: null,    // text the current result belongs to
      result: [],          // findings for resultText, with s/e = UTF-16 offsets
      offline: false,      // the server could not be reached (or refused us) for resultText
      refused: null,       // the server's refusal code (403), when that is why
      partial: false,      // the text was too long to check in full
      pending: null,       // promise while a request is in flight
      slow: false,         // a request has been in flight for a while: "sedang memeriksa…"
      timer: 0,
      retryTimer: 0,
      retryDelay: 0,
      dirty: true,
      announced: "",
      view: { text: "", read: null, items: [], visible: [] },
      ignored: new Set(),
      allowOnceUntil: 0
    };
    states.set(el, st);
    return st;
  }

  function readNow(st) {
    if (st.isTA) return { text: st.el.value, read: null };
    var r = T.readEditable(st.el);
    return { text: r.text, read: r };
  }

  function normalize(findings) {
    return (findings || []).map(function (f) {
      var s = typeof f.start_utf16 === "number" ? f.start_utf16 : f.start;
      var e = typeof f.end_utf16 === "number" ? f.end_utf16 : f.end;
      return Object.assign({}, f, { s: s, e: e });
    });
  }

  function ignoreKey(f) { return f.rule_id + "\u0000" + f.text; }

  /** Findings of the last result, moved to `text`, without ignored ones and switched-off rules. */
  function visibleFindings(st, text) {
    if (st.resultText === null) return [];
    var list = T.shiftFindings(st.result, st.resultText, text);
    var disabled = (cfg && cfg.settings.disabledRules) || [];
    var cats = (cfg && cfg.settings.categories) || {};
    return list.filter(function (f) {
      if (cats[f.category] === false || text.slice(f.s, f.e) !== f.text) return false;
      if (undismissable(f)) return true;
      return disabled.indexOf(f.rule_id) < 0 && !st.ignored.has(ignoreKey(f));
    });
  }

  function maxSeverity(list) {
    var best = "none";
    list.forEach(function (f) { if ((RANK[f.severity] || 0) > RANK[best]) best = f.severity; });
    return best;
  }

  /* ---- checking ---- */
  function check(st, text, timeoutMs) {
    var seq = ++st.seq;
    var split = text.length > MAX_TEXT ? MAX_TEXT / 2 : 0;
    st.sentText = text;
    clearTimeout(st.retryTimer);
    st.retryTimer = 0;
    var p = send({
      type: "check",
      text: split ? text.slice(0, split) + text.slice(text.length - split) : text,
      split: split,
      length: text.length,
      platform: adapter.id,
      editorKey: st.key,
      timeoutMs: timeoutMs
    }).then(function (resp) {
      if (seq !== st.seq) return; // superseded by a newer text
      if (resp && resp.superseded) return;
      st.pending = null;
      st.slow = false;
      st.refused = null;
      if (resp && resp.ok) {
        // the mode the check ran under (IT's block mode reaches the tab with its first answer)
        if (resp.guardMode && cfg && cfg.settings.guardMode !== resp.guardMode) cfg.settings.guardMode = resp.guardMode;
        st.result = normalize(resp.result && resp.result.findings);
        if (split) {
          // only the head and the tail were sent: move the tail's findings to their place
          var shift = text.length - 2 * split;
          st.result = st.result.filter(function (f) { return f.e <= split || f.s >= split; }).map(function (f) {
            return f.s >= split ? Object.assign({}, f, { s: f.s + shift, e: f.e + shift }) : f;
          });
        }
        st.offline = false;
        st.partial = !!resp.partial || text.length > MAX_TEXT;
        st.retryDelay = 0;
      } else {
        st.result = [];
        st.partial = false;
        st.offline = !resp || !!resp.offline || !!resp.refused;
        if (resp && resp.refused) st.refused = { code: resp.refused, server: resp.server };
        if (!st.offline) st.sentText = null; // a client error: try again on the next change
        else scheduleRetry(st);
      }
      st.resultText = text;
      st.dirty = true;
      if (st === active) {
        layout(); // draw at once
        announce(st);
        if (perf) {
          perf.shown.push({ changeAt: perf.lastChangeAt, shownAt: performance.now(), count: st.view.visible.length });
          if (perf.shown.length > 1000) perf.shown.splice(0, 500);
        }
      }
    });
    st.pending = p;
    setTimeout(function () {
      if (st.pending === p) { st.slow = true; if (st === active) scheduleLayout(); }
    }, 300);
    return p;
  }

  /** The server could not be reached: try the same text again, less and less often. */
  function scheduleRetry(st) {
    clearTimeout(st.retryTimer);
    st.retryDelay = Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, st.retryDelay * 2));
    st.retryTimer = setTimeout(function () {
      st.retryTimer = 0;
      if (!enabled || !st.offline || st.pending || !st.el.isConnected || document.hidden && st !== active) return;
      var cur = readNow(st).text;
      if (cur.trim()) check(st, cur);
    }, st.retryDelay);
  }

  function retryNow() {
    var st = active;
    if (!st) return;
    st.retryDelay = 0;
    var cur = readNow(st).text;
    if (cur.trim()) { check(st, cur); scheduleLayout(); }
    else send({ type: "health" }).then(function (h) { healthResult(st, h); });
  }

  function healthResult(st, h) {
    var off = !h || !!h.offline || !!h.refused;
    st.offline = off;
    st.refused = h && h.refused ? { code: h.refused, server: h.server } : null;
    if (st.resultText === null || off) { st.resultText = readNow(st).text; st.sentText = null; }
    st.dirty = true;
    if (off) scheduleRetry(st);
    scheduleLayout();
    if (st === active) announce(st);
  }

  function runCheck(st) {
    st.timer = 0;
    if (!enabled) return Promise.resolve();
    var cur = readNow(st).text;
    if (!cur.trim()) {
      st.seq++;
      st.sentText = cur;
      st.resultText = cur;
      st.result = [];
      st.pending = null;
      st.slow = false;
      st.dirty = true;
      if (st === active) scheduleLayout();
      return Promise.resolve();
    }
    if (cur === st.sentText && !st.offline) return st.pending || Promise.resolve(); // unchanged: not re-sent
    return check(st, cur);
  }

  function onChange(st) {
    var t0 = performance.now();
    if (perf) perf.lastChangeAt = t0;
    st.dirty = true;
    if (st.timer) clearTimeout(st.timer);
    st.timer = setTimeout(runCheck, (cfg && cfg.settings.debounceMs) || 400, st);
    if (st === active) scheduleLayout();
    rec("change", t0);
  }

  /** Tell screen readers about new findings, once per change of count or highest severity. */
  function announce(st) {
    if (!ui || st !== active) return;
    var vis = st.view.visible;
    var msg = st.offline ? t("liveOffline") : vis.length ? t("liveFindings", [vis.length, t("sev_" + maxSeverity(vis))]) : t("liveClean");
    if (msg === st.announced) return;
    if (!st.announced && !vis.length && !st.offline) { st.announced = msg; return; } // nothing to say yet
    st.announced = msg;
    ui.announce(msg);
  }

  /* ---- the page's colours: our card and guard follow a dark page ---- */
  function parseColor(c) {
    var m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c || "");
    return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : null;
  }
  function pageTheme(el) {
    for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
      var c = parseColor(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0.5) {
        var lum = (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255;
        return lum < 0.4 ? "dark" : "light";
      }
    }
    return root.matchMedia && root.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  /* ---- activation ---- */
  function activate(el) {
    if (!enabled || !ui) return;
    var st = getState(el);
    if (active === st) return;
    deactivate();
    active = st;
    st.dirty = true;
    ui.setTheme(pageTheme(el));
    if (!st.isTA) {
      observer = observer || new MutationObserver(onMutations);
      observer.observe(el, { characterData: true, childList: true, subtree: true });
    }
    if (typeof ResizeObserver === "function") {
      resizeObs = resizeObs || new ResizeObserver(function () { scheduleLayout(); });
      resizeObs.observe(el);
    }
    var text = readNow(st).text;
    if (text.trim() && (text !== st.sentText || st.offline)) runCheck(st);
    else if (!text.trim() && st.resultText === null) {
      // tell at once when the server cannot be reached
      send({ type: "health" }).then(function (h) {
        if (h && (h.offline || h.refused) && st.resultText === null) healthResult(st, h);
      });
    }
    scheduleLayout();
  }

  function deactivate() {
    if (observer) observer.disconnect();
    if (resizeObs) resizeObs.disconnect();
    if (ui) { ui.clearMarks(); ui.hideBadge(); ui.hideCard(); ui.purge(); }
    active = null;
  }

  function deactivateAll() {
    deactivate();
    if (ui) ui.destroy();
    states.forEach(function (st) { clearTimeout(st.timer); clearTimeout(st.retryTimer); });
    states.clear();
  }

  function onMutations() {
    var t0 = performance.now();
    if (active) onChange(active);
    rec("mutation", t0);
  }

  /* ---- drawing ---- */
  function scheduleLayout() {
    if (!rafId) rafId = requestAnimationFrame(layout);
  }

  function rectsOfRange(r) {
    var out = [], list = r.getClientRects();
    for (var i = 0; i < list.length; i++) {
      var q = list[i];
      if (q.width < 0.5 || q.height < 0.5) continue;
      out.push({ left: q.left, top: q.top, width: q.width, height: q.height });
    }
    return out;
  }

  function refreshView(st) {
    var now = readNow(st);
    var visible = visibleFindings(st, now.text);
    st.view = {
      text: now.text,
      read: now.read,
      visible: visible,
      items: visible.map(function (f) {
        return { finding: f, range: st.isTA ? null : T.rangeFor(now.read, f.s, f.e), rects: [] };
      })
    };
    st.dirty = false;
  }

  function layout() {
    if (rafId) { cancelAnimationFrame(rafId); rafId = 0; }
    var st = active;
    if (!st || !ui) return;
    var t0 = performance.now();
    if (!st.el.isConnected) { deactivate(); rec("layout", t0); return; }
    if (st.dirty) refreshView(st);
    var rect = st.el.getBoundingClientRect();
    var items = st.view.items;
    if (items.length) {
      if (st.isTA) {
        var m = ui.mirror();
        var upto = 0;
        items.forEach(function (it) { if (it.finding.e > upto) upto = it.finding.e; });
        m.sync(st.el, st.view.text, upto);
        items.forEach(function (it) { it.rects = m.rects(st.el, it.finding.s, it.finding.e, rect); });
      } else {
        items.forEach(function (it) { it.rects = it.range ? rectsOfRange(it.range) : []; });
      }
    }
    var clip = {
      left: Math.max(0, rect.left), top: Math.max(0, rect.top),
      right: Math.min(window.innerWidth, rect.right), bottom: Math.min(window.innerHeight, rect.bottom)
    };
    ui.drawMarks(items, !st.isTA, clip);
    var vis = st.view.visible;
    ui.showBadge(rect, {
      count: vis.length,
      severity: maxSeverity(vis),
      offline: st.offline,
      refused: !!st.refused,
      partial: st.partial,
      pending: !!st.pending,
      slow: st.slow && !st.offline  // a retry in the background is not "sedang memeriksa"
    }, onBadge);
    rec("layout", t0);
  }

  /* ---- card ---- */
  function cardStatus(st) {
    var vis = st.view.visible;
    if (!st.offline && (st.slow || (st.pending && !vis.length))) return { status: t("cardPending") };
    if (st.refused) {
      return { status: t("cardRefused", [st.refused.server || cfg.settings.serverUrl, st.refused.code, api.runtime.id]), retry: true };
    }
    if (st.offline) return { status: t("cardOffline"), help: t("cardOfflineHelp"), retry: true };
    if (!vis.length) return { status: t("cardClean") };
    return {};
  }

  function pauseOptions() {
    if (blockMode() || !cfg) return null;
    var locked = cfg.locked || [];
    return { site: locked.indexOf(site ? "sites" : "extraSites") < 0, hour: locked.indexOf("pausedUntil") < 0 };
  }

  function openCard(index, pinned, focus, anchor) {
    var st = active;
    if (!st || !ui) return;
    if (st.dirty) refreshView(st);
    var vis = st.view.visible;
    var s = cardStatus(st);
    var partial = st.partial ? t("cardPartial", [(MAX_TEXT / 2).toLocaleString("id-ID")]) : null;
    ui.showCard(anchor || (ui.badge ? ui.badge.host.getBoundingClientRect() : st.el.getBoundingClientRect()), {
      findings: vis, index: index || 0, status: s.status, help: s.help, retry: s.retry, partial: partial,
      pause: pauseOptions(), locked: undismissable, kind: "badge", key: "badge"
    }, pinned, focus);
  }

  function onBadge(pinned, byKeyboard) {
    if (!active || !ui || !ui.badge) return;
    if (!pinned && ui.cardVisible() && ui.cardFor === "badge") { clearTimeout(ui.cardTimer); return; }
    if (pinned) saveFocus();
    openCard(0, pinned, byKeyboard);
  }

  function showCardFor(hit, pinned) {
    var st = active;
    var r = hit.el.getBoundingClientRect();
    var key = "f:" + hit.finding.s + ":" + hit.finding.e;
    if (!pinned && ui.cardVisible() && ui.cardFor === key) { clearTimeout(ui.cardTimer); return; }
    var vis = st.view.visible, idx = vis.indexOf(hit.finding);
    ui.showCard(r, {
      findings: vis, index: Math.max(0, idx), pause: null, locked: undismissable, kind: "finding", key: key
    }, pinned, false);
  }

  var savedFocus = null;
  function saveFocus() {
    if (!active) return;
    if (ui && ui.cardHasFocus()) return;
    savedFocus = { st: active, sel: saveSelection(active) };
  }
  /** Back to the compose box, where the caret was, after the card is closed from the keyboard. */
  function returnFocus() {
    var s = savedFocus;
    savedFocus = null;
    if (s && s.st.el.isConnected) restoreSelection(s.st, s.sel);
  }

  var hoverPending = null;
  function onMouseMove(e) {
    if (!ui || !active || !ui.marks.length && !ui.cardVisible()) return;
    if (hoverPending) { hoverPending = e; return; }
    hoverPending = e;
    requestAnimationFrame(function () {
      var ev = hoverPending;
      hoverPending = null;
      var t0 = performance.now();
      if (ui.card && ev.target === ui.card.host) return;
      if (ui.badge && ev.target === ui.badge.host) return;
      var hit = ui.hitTest(ev.clientX, ev.clientY);
      if (hit) showCardFor(hit, false);
      else if (ui.cardVisible() && !ui.cardPinned) ui.scheduleCardHide();
      rec("hover", t0);
    });
  }

  function ignoreFinding(f) {
    if (!active || undismissable(f)) return;
    active.ignored.add(ignoreKey(f));
    active.dirty = true;
    layout();
    returnFocus();
  }

  function updateUserSettings(mutator) {
    return S.storageGet("local", ["settings"]).then(function (v) {
      var s = (v && v.settings) || {};
      mutator(s);
      return new Promise(function (resolve) { api.storage.local.set({ settings: s }, resolve); });
    });
  }

  function disableRule(f) {
    if (undismissable(f)) return;
    if (cfg && cfg.settings.disabledRules.indexOf(f.rule_id) < 0) cfg.settings.disabledRules.push(f.rule_id);
    if (active) { active.dirty = true; layout(); }
    returnFocus();
    updateUserSettings(function (s) {
      var list = Array.isArray(s.disabledRules) ? s.disabledRules : [];
      if (list.indexOf(f.rule_id) < 0) list.push(f.rule_id);
      s.disabledRules = list;
    });
  }

  function pauseSite() {
    if (blockMode()) return;
    updateUserSettings(function (s) {
      if (site) { s.sites = Object.assign({}, s.sites || {}); s.sites[site.id] = false; }
      else s.extraSites = (Array.isArray(s.extraSites) ? s.extraSites : []).filter(function (x) { return U.normalizeOrigin(x) !== location.origin; });
    });
  }
  function pauseHour() {
    if (blockMode()) return;
    updateUserSettings(function (s) { s.pausedUntil = Date.now() + 3600 * 1000; });
  }

  /* ---- one-click fixes ---- */
  /** Replace a finding's words with `rep`, on the user's click only. The change goes through the
   * editor's own input path — the selection is set on the words and the browser's insertText
   * command fires the trusted beforeinput/input events that Lexical, Draft.js, Quill and a
   * textarea handle themselves — so the editor keeps its model and Ctrl+Z undoes the fix. The
   * text is read back afterwards; if the editor did something else, the user is told. */
  function applyFix(f, rep) {
    var st = active;
    if (!st || !st.el.isConnected) return;
    var now = readNow(st);
    if (now.text.slice(f.s, f.e) !== f.text) return;
    var s = f.s, e = f.e, text = now.text;
    if (rep === "") {
      // dropping words: take one neighbouring space with them, so no double space is left
      if (text.charAt(e) === " " && (s === 0 || /\s/.test(text.charAt(s - 1)))) e++;
      else if (text.charAt(s - 1) === " " && (e === text.length || /[\s.,!?;:]/.test(text.charAt(e)))) s--;
    }
    var expected = text.slice(0, s) + rep + text.slice(e);
    try {
      st.el.focus({ preventScroll: true });
      if (st.isTA) {
        st.el.setSelectionRange(s, e);
      } else {
        var range = T.rangeFor(now.read, s, e);
        if (!range) return;
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
      // the browser's own editing command: trusted beforeinput + input, native undo step
      document.execCommand(rep === "" ? "delete" : "insertText", false, rep);
    } catch (err) { /* verified below */ }
    setTimeout(function () {
      var after = readNow(st).text;
      st.dirty = true;
      scheduleLayout();
      if (after !== expected && ui) {
        ui.showCard(st.el.getBoundingClientRect(), { findings: [], status: t("actionFixFailed"), kind: "fix-failed", key: "fix-failed" }, true, false);
      }
    }, 0);
  }

  /* ---- the guard before publishing ---- */
  function guardFindings(st, text) {
    var min = guardRank();
    return visibleFindings(st, text).filter(function (f) { return (RANK[f.severity] || 0) >= min; });
  }

  /** "pass", "guard", or "check" (the result is older than the text, or was offline). */
  function decide(st, text) {
    if (!text.trim()) return "pass";
    if (performance.now() < st.allowOnceUntil) return "pass";
    if (st.resultText === text && !st.pending && !st.offline) return guardFindings(st, text).length ? "guard" : "pass";
    return "check";
  }
  /** After the check before publishing: "pass", "guard" or "offline-block". */
  function decideChecked(st, text) {
    if (st.resultText === text && !st.pending) {
      if (st.offline) return blockMode() ? "offline-block" : "pass";
      return guardFindings(st, text).length ? "guard" : "pass";
    }
    st.offline = true; // too slow: as when the server is down
    st.dirty = true;
    return blockMode() ? "offline-block" : "pass";
  }

  function saveSelection(st) {
    if (st.isTA) return { start: st.el.selectionStart, end: st.el.selectionEnd, dir: st.el.selectionDirection };
    var sel = window.getSelection();
    if (sel && sel.rangeCount && st.el.contains(sel.anchorNode)) return { range: sel.getRangeAt(0).cloneRange() };
    return null;
  }
  function restoreSelection(st, saved) {
    try {
      st.el.focus({ preventScroll: true });
      if (!saved) return;
      if (st.isTA) { st.el.setSelectionRange(saved.start, saved.end, saved.dir); return; }
      var sel = window.getSelection();
      var cur = sel.rangeCount ? sel.getRangeAt(0) : null;
      if (cur && saved.range && cur.compareBoundaryPoints(Range.START_TO_START, saved.range) === 0 &&
          cur.compareBoundaryPoints(Range.END_TO_END, saved.range) === 0) return;
      if (saved.range && st.el.contains(saved.range.startContainer)) { sel.removeAllRanges(); sel.addRange(saved.range); }
    } catch (e) { /* the editor went away */ }
  }

  /** Resolves when the newest check of `text` has answered. A check of the same text sent
   * meanwhile (focus coming back to the editor, the retry timer) supersedes the one waited on:
   * its answer is waited for, not taken as "too slow". "offline" once more is asked again once
   * (`retried` false): a retry sent while the server was down, or a connection the browser kept
   * from then, fails only the first request after the server is back; a server still down
   * refuses again at once. */
  function settle(st, text, wait, retried) {
    if (st.pending && st.sentText === text) return st.pending.then(function () { return settle(st, text, wait, retried); });
    if (st.resultText !== text) return check(st, text, wait).then(function () { return settle(st, text, wait, retried); });
    if (st.offline && !retried) return check(st, text, wait).then(function () { return settle(st, text, wait, true); });
    return Promise.resolve();
  }

  /** Stop the user's action now; ask, then replay it once if they go on. */
  function intercept(st, replay, returnTo) {
    guardBusy = true;
    var saved = saveSelection(st);
    var text = readNow(st).text;
    var d = decide(st, text);
    var wasOffline = st.offline;
    var wait = wasOffline ? GUARD_CHECK_AFTER_OFFLINE_MS : GUARD_CHECK_TIMEOUT_MS;
    var ready = d === "check" ? Promise.race([
      settle(st, text, wait, !wasOffline),
      // after "offline" the budget holds the second attempt too
      new Promise(function (r) { setTimeout(r, (wasOffline ? 2 * wait : wait) + 200); })
    ]) : Promise.resolve();
    if (d === "check" && st === active) scheduleLayout();
    ready.then(function () {
      try { decideAndAsk(); } catch (e) {
        // never leave the user's action stuck: fail open (or closed in block mode)
        guardBusy = false;
        if (!blockMode()) doReplay(st, replay);
      }
    });
    function back() {
      if (returnTo && returnTo.isConnected) { try { returnTo.focus({ preventScroll: true }); } catch (e) { /* gone */ } }
      else restoreSelection(st, saved);
    }
    function decideAndAsk() {
      if (d === "check") d = decideChecked(st, text);
      if (d === "pass") {
        guardBusy = false;
        back();
        doReplay(st, replay);
        return;
      }
      if (active !== st) activate(st.el);
      scheduleLayout();
      ui.setTheme(pageTheme(st.el));
      ui.hideCard();
      ui.showGuard({
        findings: d === "offline-block" ? [] : guardFindings(st, text),
        offline: d === "offline-block",
        refused: !!st.refused,
        partial: st.partial,
        mode: cfg.settings.guardMode,
        onEdit: function () { guardBusy = false; restoreSelection(st, saved); },
        onPublish: function () {
          guardBusy = false;
          back();
          doReplay(st, replay);
        }
      });
    }
  }

  function doReplay(st, replay) {
    st.allowOnceUntil = performance.now() + 1000;
    bypass = true;
    try { replay(); } finally { bypass = false; }
    setTimeout(function () { st.allowOnceUntil = 0; }, 1000);
  }

  function stopEvent(e) {
    e.preventDefault();
    e.stopImmediatePropagation();
  }

  function targetOf(e) {
    var p = e.composedPath ? e.composedPath() : null;
    return (p && p[0]) || e.target;
  }

  function keyInit(e) {
    return {
      key: e.key, code: e.code, keyCode: e.keyCode, which: e.which || e.keyCode, charCode: 0, location: e.location,
      ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, altKey: e.altKey, repeat: false,
      bubbles: true, cancelable: true, composed: true, view: window
    };
  }

  function isShortcut(e) { return e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === "KeyS"; }

  function onKeyDown(e) {
    if (bypass || !enabled || !e.isTrusted) return;
    var t0 = performance.now();
    try {
      if (ui && ui.guardOpen()) {
        // the guard is modal: keys go to it, never to the page behind it
        if (!ui.inGuard(e)) { stopEvent(e); ui.focusGuard(); }
        return;
      }
      if (guardBusy) {
        // a check before publishing is under way: no second publish meanwhile (typing goes on)
        if (e.key === "Enter" || (e.key === " " && A.publishButton(adapter, targetOf(e)))) stopEvent(e);
        return;
      }
      if (ui && isShortcut(e) && active) {
        stopEvent(e);
        saveFocus();
        openCard(0, true, true);
        return;
      }
      if (ui && e.key === "Escape" && ui.cardVisible()) {
        var hadFocus = ui.cardHasFocus();
        stopEvent(e); // the card closes; the page's own dialog (the composer) stays open
        ui.hideCard();
        if (hadFocus) returnFocus();
        return;
      }
      if (e.isComposing || e.keyCode === 229) return;
      if (e.key !== "Enter" && e.key !== " ") return;
      var tgt = targetOf(e);
      var plain = !e.ctrlKey && !e.metaKey && !e.altKey;
      if (plain) lastUserKeyAt = t0;
      // a publish control the page activates from its own key handler (a div role=button)
      var btn = plain ? A.publishButton(adapter, tgt) : null;
      if (btn && !A.nativelyActivated(btn)) {
        var bed = A.editorForButton(adapter, btn, candidates());
        if (!bed) return;
        var bst = getState(bed);
        if (decide(bst, readNow(bst).text) === "pass") return;
        stopEvent(e);
        var binit = keyInit(e);
        intercept(bst, function () {
          var node = tgt.isConnected ? tgt : btn;
          node.dispatchEvent(new KeyboardEvent("keydown", binit));
          node.dispatchEvent(new KeyboardEvent("keyup", binit));
        }, btn);
        return;
      }
      if (e.key !== "Enter") return;
      var edRoot = A.editableRoot(tgt);
      if (!edRoot || !adapter.sendKey(e, edRoot)) return;
      var st = getState(edRoot);
      var text = readNow(st).text;
      if (decide(st, text) === "pass") return;
      stopEvent(e);
      var init = keyInit(e);
      init.keyCode = 13; init.which = 13;
      intercept(st, function () {
        var ev = new KeyboardEvent("keydown", init);
        (tgt.isConnected ? tgt : edRoot).dispatchEvent(ev);
      });
    } finally {
      rec("keydown", t0);
    }
  }

  function candidates() {
    var list = [];
    states.forEach(function (st, el) { if (el.isConnected) list.push(el); });
    var ae = A.editableRoot(deepActive());
    if (ae && list.indexOf(ae) < 0) list.push(ae);
    return list;
  }

  function onClick(e) {
    if (bypass || !enabled || !ui) return;
    var tgt = targetOf(e);
    // the user's own click, or the page's click right after the user pressed Enter/Space
    var byUser = e.isTrusted || performance.now() - lastUserKeyAt < 1000;
    if (byUser && e.button === 0 && !ui.guardOpen()) {
      var btn = A.publishButton(adapter, tgt);
      if (guardBusy) {
        if (btn) stopEvent(e);
        return;
      }
      if (btn) {
        var ed = A.editorForButton(adapter, btn, candidates());
        if (ed) {
          var st = getState(ed);
          var text = readNow(st).text;
          if (decide(st, text) !== "pass") {
            stopEvent(e);
            var init = {
              bubbles: true, cancelable: true, composed: true, view: window, detail: e.detail || 1,
              clientX: e.clientX, clientY: e.clientY, screenX: e.screenX, screenY: e.screenY, button: 0, buttons: 0,
              ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, altKey: e.altKey
            };
            intercept(st, function () {
              var node = tgt.isConnected ? tgt : btn;
              node.dispatchEvent(new MouseEvent("click", init));
            }, e.detail === 0 ? btn : null);
            return;
          }
        }
      }
    }
    if (!e.isTrusted) return;
    // a click on an underline opens its card; elsewhere closes a pinned card
    if (ui.marks.length) {
      var hit = ui.hitTest(e.clientX, e.clientY);
      if (hit) { showCardFor(hit, true); return; }
    }
    if (ui.cardVisible() && !(ui.card && e.target === ui.card.host) && !(ui.badge && e.target === ui.badge.host)) ui.hideCard();
  }

  function onSubmit(e) {
    if (bypass || !enabled || !ui) return;
    var form = e.target;
    if (!form || form.tagName !== "FORM") return;
    var st = null;
    states.forEach(function (s, el) { if (!st && el.isConnected && form.contains(el)) st = s; });
    if (!st) return;
    var text = readNow(st).text;
    if (decide(st, text) === "pass") return;
    stopEvent(e);
    var submitter = e.submitter || null;
    intercept(st, function () {
      if (form.requestSubmit) form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      else form.submit();
    });
  }

  function onFocusIn(e) {
    if (!enabled) return;
    if (ui && ui.guardOpen() && !ui.inGuard(e)) { ui.focusGuard(); return; }
    var r = A.editableRoot(targetOf(e));
    if (r) activate(r);
  }

  function onInput(e) {
    if (!enabled) return;
    var t0 = performance.now();
    var r = A.editableRoot(targetOf(e));
    if (r) {
      if (!active || active.el !== r) activate(r);
      if (active && active.el === r && (active.isTA || !observer)) onChange(active);
    }
    rec("input", t0);
  }

  function onScroll() {
    if (!active) return;
    if (ui && ui.cardVisible() && !ui.cardPinned) ui.hideCard();
    scheduleLayout();
  }

  // Registered at document_start, before the page's own scripts, so the guard sees the user's
  // publish action first.
  window.addEventListener("keydown", onKeyDown, true);
  window.addEventListener("click", onClick, true);
  window.addEventListener("submit", onSubmit, true);
  document.addEventListener("focusin", onFocusIn, true);
  document.addEventListener("input", onInput, { capture: true, passive: true });
  document.addEventListener("mousemove", onMouseMove, { capture: true, passive: true });
  window.addEventListener("scroll", onScroll, { capture: true, passive: true });
  window.addEventListener("resize", scheduleLayout, { passive: true });

  api.storage.onChanged.addListener(function (changes, area) {
    if (area === "managed" || (area === "local" && (changes.settings || changes.managedCache || changes.serverSettings))) loadConfig();
  });

  api.runtime.onMessage.addListener(function (msg, sender, sendResponse) {
    if (!msg || msg.type !== "pageState") return false;
    var st = active;
    var vis = st ? st.view.visible : [];
    sendResponse({
      enabled: enabled,
      site: site ? site.id : null,
      host: location.hostname,
      origin: location.origin,
      hasEditor: !!st,
      offline: st ? st.offline : false,
      refused: st && st.refused ? st.refused.code : null,
      pending: st ? !!st.pending : false,
      findings: vis.map(function (f) {
        return { category: f.category, severity: f.severity, text: f.text, message: f.message, suggestion: f.suggestion, basis: f.basis };
      })
    });
    return false;
  });

  loadConfig();
})(typeof globalThis !== "undefined" ? globalThis : self);
