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
  var api = S.api;
  var A = NS.adapters;
  var T = NS.text;
  var site = S.siteForHost(location.hostname);
  var adapter = A.forSite(site ? site.id : null);
  var RANK = S.SEVERITY_RANK;
  var GUARD_CHECK_TIMEOUT_MS = 1500;
  var MAX_CHARS = 65536;

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

  /* ---- main-thread cost, kept in this isolated world only (read by scripts/bench_extension.py) ---- */
  var perf = { samples: [], max: 50000, shown: [], lastChangeAt: 0 };
  function rec(kind, t0) {
    var s = perf.samples;
    if (s.length >= perf.max) s.splice(0, s.length >> 1);
    s.push([kind, t0, performance.now() - t0]);
  }
  root.__saringPerf = perf;

  function t(key, subs) {
    var s = messages[key];
    if (s === undefined) return key;
    if (subs !== undefined) {
      if (!Array.isArray(subs)) subs = [subs];
      s = s.replace(/\$(\d)/g, function (_, n) { var v = subs[Number(n) - 1]; return v === undefined ? "" : String(v); });
    }
    return s;
  }

  function send(msg) {
    return new Promise(function (resolve) {
      if (contextDead) return resolve(null);
      try {
        api.runtime.sendMessage(msg, function (resp) {
          if (api.runtime.lastError) { perf.lastError = String(api.runtime.lastError.message); return resolve(null); }
          resolve(resp);
        });
      } catch (e) {
        perf.lastError = String(e && e.message || e);
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
      if (!enabled) {
        deactivateAll();
        return;
      }
      if (!ui) ui = new NS.UI({ t: t, onIgnore: ignoreFinding, onDisableRule: disableRule });
      var s = c.settings;
      var recheck = prev && (prev.serverUrl !== s.serverUrl || prev.language !== s.language ||
        JSON.stringify(prev.categories) !== JSON.stringify(s.categories));
      states.forEach(function (st) {
        st.dirty = true;
        if (recheck) { st.sentText = null; st.resultText = null; st.result = []; st.offline = false; }
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
      offline: false,
      pending: null,       // promise while a request is in flight
      timer: 0,
      dirty: true,
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
      return disabled.indexOf(f.rule_id) < 0 && cats[f.category] !== false && !st.ignored.has(ignoreKey(f)) && text.slice(f.s, f.e) === f.text;
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
    st.sentText = text;
    var p = send({
      type: "check",
      text: text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text,
      platform: adapter.id,
      editorKey: st.key,
      timeoutMs: timeoutMs
    }).then(function (resp) {
      if (seq !== st.seq) return; // superseded by a newer text
      if (resp && resp.superseded) return;
      if (resp && resp.ok) {
        st.result = normalize(resp.result && resp.result.findings);
        st.offline = false;
      } else {
        st.result = [];
        st.offline = !resp || !!resp.offline;
        if (!st.offline) st.sentText = null; // a client error: try again on the next change
      }
      st.resultText = text;
      st.pending = null;
      st.dirty = true;
      if (st === active) {
        layout(); // draw at once
        perf.shown.push({ changeAt: perf.lastChangeAt, shownAt: performance.now(), count: st.view.visible.length });
        if (perf.shown.length > 1000) perf.shown.splice(0, 500);
      }
    });
    st.pending = p;
    return p;
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
      st.dirty = true;
      if (st === active) scheduleLayout();
      return Promise.resolve();
    }
    if (cur === st.sentText) return st.pending || Promise.resolve(); // unchanged: not re-sent
    return check(st, cur);
  }

  function onChange(st) {
    var t0 = performance.now();
    perf.lastChangeAt = t0;
    st.dirty = true;
    if (st.timer) clearTimeout(st.timer);
    st.timer = setTimeout(runCheck, (cfg && cfg.settings.debounceMs) || 400, st);
    if (st === active) scheduleLayout();
    rec("change", t0);
  }

  /* ---- activation ---- */
  function activate(el) {
    if (!enabled || !ui) return;
    var st = getState(el);
    if (active === st) return;
    deactivate();
    active = st;
    st.dirty = true;
    if (!st.isTA) {
      observer = observer || new MutationObserver(onMutations);
      observer.observe(el, { characterData: true, childList: true, subtree: true });
    }
    if (typeof ResizeObserver === "function") {
      resizeObs = resizeObs || new ResizeObserver(function () { scheduleLayout(); });
      resizeObs.observe(el);
    }
    var text = readNow(st).text;
    if (text.trim() && text !== st.sentText) runCheck(st);
    else if (!text.trim() && st.resultText === null) {
      // tell at once when the server cannot be reached
      send({ type: "health" }).then(function (h) {
        if (h && h.offline && st.resultText === null) { st.offline = true; st.resultText = ""; st.sentText = null; st.dirty = true; scheduleLayout(); }
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
    states.forEach(function (st) { if (st.timer) clearTimeout(st.timer); });
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
        m.sync(st.el);
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
      pending: !!st.pending
    }, onBadge);
    rec("layout", t0);
  }

  /* ---- card ---- */
  function onBadge(pinned) {
    var st = active;
    if (!st || !ui || !ui.badge) return;
    var r = ui.badge.host.getBoundingClientRect();
    var vis = st.view.visible;
    var status = st.offline ? t("cardOffline") : vis.length ? null : t("cardClean");
    ui.showCard(r, { title: "Saring", status: status, findings: vis, kind: "badge", key: "badge" }, pinned);
  }

  function showCardFor(hit, pinned) {
    var r = hit.el.getBoundingClientRect();
    var key = hit.finding.rule_id + ":" + hit.finding.s;
    if (!pinned && ui.cardVisible() && ui.cardFor === key) { clearTimeout(ui.cardTimer); return; }
    ui.showCard(r, { title: "Saring", findings: [hit.finding], kind: "finding", key: key }, pinned);
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
    if (!active) return;
    active.ignored.add(ignoreKey(f));
    active.dirty = true;
    layout();
  }

  function disableRule(f) {
    if (cfg && cfg.settings.disabledRules.indexOf(f.rule_id) < 0) cfg.settings.disabledRules.push(f.rule_id);
    if (active) { active.dirty = true; layout(); }
    S.storageGet("local", ["settings"]).then(function (v) {
      var s = (v && v.settings) || {};
      var list = Array.isArray(s.disabledRules) ? s.disabledRules : [];
      if (list.indexOf(f.rule_id) < 0) list.push(f.rule_id);
      s.disabledRules = list;
      api.storage.local.set({ settings: s });
    });
  }

  /* ---- the guard before publishing ---- */
  function guardFindings(st, text) {
    var min = RANK[(cfg && cfg.settings.threshold) || "high"] || 3;
    return visibleFindings(st, text).filter(function (f) { return (RANK[f.severity] || 0) >= min; });
  }

  /** "pass", "guard", "offline-block" or "check" (the result is older than the text). */
  function decide(st, text) {
    if (!text.trim()) return "pass";
    if (performance.now() < st.allowOnceUntil) return "pass";
    if (st.resultText === text && !st.pending) {
      if (st.offline) return cfg.settings.guardMode === "block" ? "offline-block" : "pass";
      return guardFindings(st, text).length ? "guard" : "pass";
    }
    return "check";
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

  /** Stop the user's action now; ask, then replay it once if they go on. */
  function intercept(st, replay) {
    guardBusy = true;
    var saved = saveSelection(st);
    var text = readNow(st).text;
    var d = decide(st, text);
    var ready = d === "check" ? Promise.race([
      (st.sentText === text && st.pending) ? st.pending : check(st, text, GUARD_CHECK_TIMEOUT_MS),
      new Promise(function (r) { setTimeout(r, GUARD_CHECK_TIMEOUT_MS + 200); })
    ]) : Promise.resolve();
    ready.then(function () {
      try { decideAndAsk(); } catch (e) {
        // never leave the user's action stuck: fail open (or closed in block mode)
        guardBusy = false;
        if (cfg.settings.guardMode !== "block") doReplay(st, replay);
      }
    });
    function decideAndAsk() {
      if (d === "check") {
        d = decide(st, text);
        if (d === "check") { st.offline = true; d = cfg.settings.guardMode === "block" ? "offline-block" : "pass"; } // too slow: as when down
      }
      if (d === "pass") {
        guardBusy = false;
        restoreSelection(st, saved);
        doReplay(st, replay);
        return;
      }
      if (active !== st) activate(st.el);
      ui.showGuard({
        findings: d === "offline-block" ? [] : guardFindings(st, text),
        offline: d === "offline-block",
        mode: cfg.settings.guardMode,
        onEdit: function () { guardBusy = false; restoreSelection(st, saved); },
        onPublish: function () {
          guardBusy = false;
          restoreSelection(st, saved);
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

  function onKeyDown(e) {
    if (bypass || !enabled || !e.isTrusted) return;
    var t0 = performance.now();
    try {
      if (guardBusy && !ui.guardOpen()) {
        if (e.key === "Enter") stopEvent(e); // a check before publishing is under way
        return;
      }
      if (e.isComposing || e.keyCode === 229) return;
      if (e.key !== "Enter") return;
      var tgt = targetOf(e);
      var edRoot = A.editableRoot(tgt);
      if (!edRoot || !adapter.sendKey(e, edRoot)) return;
      var st = getState(edRoot);
      var text = readNow(st).text;
      if (decide(st, text) === "pass") return;
      stopEvent(e);
      var init = {
        key: e.key, code: e.code, keyCode: 13, which: 13, charCode: 0, location: e.location,
        ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, altKey: e.altKey,
        bubbles: true, cancelable: true, composed: true, view: window
      };
      intercept(st, function () {
        var ev = new KeyboardEvent("keydown", init);
        (tgt.isConnected ? tgt : edRoot).dispatchEvent(ev);
      });
    } finally {
      rec("keydown", t0);
    }
  }

  function candidatesFor(button) {
    var list = [];
    states.forEach(function (st, el) { if (el.isConnected) list.push(el); });
    var ae = A.editableRoot(deepActive());
    if (ae && list.indexOf(ae) < 0) list.push(ae);
    return list;
  }

  function onClick(e) {
    if (bypass || !enabled || !ui) return;
    var tgt = targetOf(e);
    if (e.isTrusted && e.button === 0) {
      if (guardBusy && !ui.guardOpen()) {
        if (A.publishButton(adapter, tgt)) stopEvent(e);
        return;
      }
      var btn = A.publishButton(adapter, tgt);
      if (btn) {
        var ed = A.editorForButton(btn, candidatesFor(btn));
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
            });
            return;
          }
        }
      }
    }
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
    if (area === "managed" || (area === "local" && (changes.settings || changes.managedCache))) loadConfig();
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
      pending: st ? !!st.pending : false,
      findings: vis.map(function (f) {
        return { category: f.category, rule_id: f.rule_id, severity: f.severity, text: f.text, message: f.message, suggestion: f.suggestion, basis: f.basis };
      })
    });
    return false;
  });

  loadConfig();

  NS.debug = { states: states, get active() { return active; }, get enabled() { return enabled; }, get config() { return cfg; }, perf: perf, layout: layout };
})(typeof globalThis !== "undefined" ? globalThis : self);
