/* Saring — background service worker (Chrome/Edge) or background script (Firefox).
 *
 * The only part of the extension that talks to the network, and only to the Saring server
 * (default http://127.0.0.1:8731). Content scripts hand it the text of a compose box; it is
 * never logged or stored here.
 */
/* global importScripts, SaringSettings, SaringI18n, SaringUtil */
"use strict";

if (typeof importScripts === "function" && typeof SaringSettings === "undefined") {
  importScripts("common/util.js", "common/settings.js", "common/i18n.js");
}

var api = SaringSettings.api;
var CHECK_TIMEOUT_MS = 4000;
var SERVER_SETTINGS_TTL_MS = 5 * 60 * 1000;     // the server's recommendation (guard mode) is asked again after this
var SERVER_SETTINGS_RETRY_MS = 5 * 1000;        // … or after this when the last ask failed
var SERVER_SETTINGS_WAIT_MS = 800;              // how long a check waits for a stale recommendation
var MAX_CHARS = 65536;                          // the server's limit per request (code points)
var CHUNK = 60000;                              // a longer text is checked in overlapping parts
var OVERLAP = 500;

var state = {
  serverSettings: null,      // last /v1/settings answer
  serverSettingsAt: 0,       // when it was last asked for
  serverSettingsUrl: null,   // the server address it was asked from
  serverSettingsOk: false,   // whether that ask succeeded
  serverSettingsPending: null,
  health: null,              // last /v1/health answer or {offline:true}
  inflight: new Map()        // key tabId:frameId:editorKey -> AbortController
};

function promisify(fn) {
  return new Promise(function (resolve) {
    try { fn(function (v) { void api.runtime.lastError; resolve(v); }); } catch (e) { resolve(undefined); }
  });
}

function getUser() {
  return SaringSettings.storageGet("local", ["settings"]).then(function (v) { return (v && v.settings) || {}; });
}
/* Managed policy. The browser's first storage.managed read can take seconds after start-up, so
 * the last known policy (cached in storage.local) is used until the fresh one arrives. */
var managed = { value: null, loaded: false, promise: null };
function loadManaged() {
  managed.promise = SaringSettings.storageGet("managed", null).then(function (v) {
    v = v || {};
    var changed = !managed.loaded || JSON.stringify(v) !== JSON.stringify(managed.value);
    managed.value = v;
    managed.loaded = true;
    if (changed) api.storage.local.set({ managedCache: v });
    return v;
  });
  return managed.promise;
}
loadManaged();
function getManaged() {
  if (managed.loaded) return Promise.resolve(managed.value);
  var fallback = new Promise(function (resolve) { setTimeout(resolve, 300); }).then(function () {
    return SaringSettings.storageGet("local", ["managedCache"]).then(function (c) { return (c && c.managedCache) || {}; });
  });
  // when the policy arrives, managedCache changes and every content script reloads its config
  return Promise.race([managed.promise, fallback]);
}

function fetchJson(url, opts, timeoutMs) {
  var ctrl = new AbortController();
  var timer = setTimeout(function () { ctrl.abort(); }, timeoutMs || CHECK_TIMEOUT_MS);
  if (opts && opts.signal) {
    if (opts.signal.aborted) ctrl.abort();
    else opts.signal.addEventListener("abort", function () { ctrl.abort(); });
  }
  var o = Object.assign({}, opts || {}, { signal: ctrl.signal, credentials: "omit", cache: "no-store" });
  return fetch(url, o).then(function (r) {
    return r.json().catch(function () { return null; }).then(function (body) {
      clearTimeout(timer);
      if (!r.ok) {
        var err = new Error((body && body.error && body.error.code) || ("http_" + r.status));
        err.status = r.status;
        err.body = body;
        throw err;
      }
      return body;
    });
  }, function (e) {
    clearTimeout(timer);
    throw e;
  });
}

/** The effective settings. `wait`: a check waits briefly for a stale server recommendation;
 * the settings a tab loads do not (the tab reloads them when the recommendation changes). */
function effective(wait) {
  return Promise.all([getUser(), getManaged()]).then(function (res) {
    var user = res[0], managed = res[1];
    // The server's recommendation (IT's block mode among others) must reach every tab: it is
    // asked again when it is stale or comes from another address, and a check waits for it.
    var url = SaringSettings.compute(user, managed, null).settings.serverUrl;
    var ttl = state.serverSettingsOk ? SERVER_SETTINGS_TTL_MS : SERVER_SETTINGS_RETRY_MS;
    var stale = url !== state.serverSettingsUrl || Date.now() - state.serverSettingsAt >= ttl;
    var pending = stale ? refreshServerSettings(user, managed) : state.serverSettingsPending;
    if (!pending || !wait) return SaringSettings.compute(user, managed, state.serverSettings);
    return Promise.race([pending, new Promise(function (r) { setTimeout(r, SERVER_SETTINGS_WAIT_MS); })]).then(function () {
      return SaringSettings.compute(user, managed, state.serverSettings);
    });
  });
}

function refreshServerSettings(user, managed) {
  var url = SaringSettings.compute(user, managed, null).settings.serverUrl;
  // one request per address at a time; an answer from an address no longer set is dropped
  if (state.serverSettingsPending && state.serverSettingsUrl === url) return state.serverSettingsPending;
  state.serverSettingsAt = Date.now();
  state.serverSettingsUrl = url;
  var p = fetchJson(url + "/v1/settings", { method: "GET" }, 2500).then(function (s) {
    if (state.serverSettingsUrl !== url) return state.serverSettings;
    state.serverSettingsOk = true;
    var changed = JSON.stringify(s) !== JSON.stringify(state.serverSettings);
    state.serverSettings = s;
    // every tab reloads its settings when this changes (content scripts watch serverSettings)
    if (changed) api.storage.local.set({ serverSettings: s });
    return s;
  }, function () {
    if (state.serverSettingsUrl === url) state.serverSettingsOk = false;
    return state.serverSettings;
  }).finally(function () {
    if (state.serverSettingsPending === p) state.serverSettingsPending = null;
  });
  state.serverSettingsPending = p;
  return p;
}

// Restore the cached recommendation when the worker starts again.
SaringSettings.storageGet("local", ["serverSettings"]).then(function (v) {
  if (v && v.serverSettings && !state.serverSettings) state.serverSettings = v.serverSettings;
});

function config() {
  return effective().then(function (eff) {
    return SaringI18n.load(eff.settings.language).then(function (messages) {
      eff.messages = messages;
      eff.version = api.runtime.getManifest().version;
      return eff;
    });
  });
}

/** What a failed request says about the server: refused (403, e.g. this extension's id is not
 * allowed), unreachable, or a client error. */
function failure(e, serverUrl) {
  if (e && e.status === 403) return { refused: e.message || "forbidden", server: serverUrl };
  if (e && e.status && e.status < 500) return { ok: false, error: e.message };
  return { offline: true, error: String(e && e.message || e) };
}

function health(serverUrl) {
  return fetchJson(serverUrl + "/v1/health", { method: "GET" }, 2500).then(function (h) {
    if (!h || h.status !== "ok") return { offline: true, error: "not_saring", server: serverUrl };
    // Chromium may send a GET from the extension without an Origin header, so a server that
    // refuses this extension still answers it; the check itself (a POST) tells the truth.
    return fetchJson(serverUrl + "/v1/check", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "." })
    }, 2500).then(function () {
      state.health = h;
      return h;
    });
  }).catch(function (e) {
    var f = failure(e, serverUrl);
    if (!f.refused) f = { offline: true, error: f.error, server: serverUrl };
    state.health = f;
    return f;
  });
}

/** Split a text longer than the server's limit into overlapping parts (UTF-16 offsets), cut at
 * white space and never inside a surrogate pair. */
function partsOf(text) {
  if (text.length <= MAX_CHARS) return [{ start: 0, text: text }];
  var parts = [], start = 0;
  while (start < text.length) {
    var end = Math.min(text.length, start + CHUNK);
    if (end < text.length) {
      var ws = text.lastIndexOf(" ", end);
      if (ws > start + CHUNK - 2000) end = ws;
      if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
    }
    parts.push({ start: start, text: text.slice(start, end) });
    if (end >= text.length) break;
    var next = end - OVERLAP;
    var ws2 = text.indexOf(" ", next);
    if (ws2 > 0 && ws2 < end) next = ws2 + 1;
    if (/[\uDC00-\uDFFF]/.test(text.charAt(next))) next++;
    start = next;
  }
  return parts;
}

function codePoints(s) {
  var n = 0;
  for (var i = 0; i < s.length; i++) { var c = s.charCodeAt(i); if (c < 0xDC00 || c > 0xDFFF) n++; }
  return n;
}

/** Findings of every part, moved to offsets in the whole text; the same finding seen in two
 * overlapping parts is kept once. */
function mergeParts(text, parts, results) {
  var out = [], seen = {};
  parts.forEach(function (p, i) {
    var cp = codePoints(text.slice(0, p.start));
    (results[i].findings || []).forEach(function (f) {
      var g = Object.assign({}, f);
      var su = typeof f.start_utf16 === "number" ? f.start_utf16 : f.start;
      var eu = typeof f.end_utf16 === "number" ? f.end_utf16 : f.end;
      g.start_utf16 = su + p.start;
      g.end_utf16 = eu + p.start;
      g.start = f.start + cp;
      g.end = f.end + cp;
      var key = g.rule_id + ":" + g.start_utf16 + ":" + g.end_utf16;
      if (seen[key]) return;
      seen[key] = true;
      out.push(g);
    });
  });
  out.sort(function (a, b) { return a.start_utf16 - b.start_utf16 || a.end_utf16 - b.end_utf16; });
  var last = results[results.length - 1] || {};
  return { findings: out, version: last.version, partial: parts.length > 1 };
}

function check(msg, sender) {
  var key = (sender.tab ? sender.tab.id : "x") + ":" + (sender.frameId || 0) + ":" + (msg.editorKey || "");
  var prev = state.inflight.get(key);
  if (prev) prev.abort();          // a newer text supersedes the request in flight
  var ctrl = new AbortController();
  state.inflight.set(key, ctrl);
  return effective(true).then(function (eff) {
    var s = eff.settings;
    var text = String(msg.text || "");
    var parts = partsOf(text);
    var t0 = Date.now();
    var results = [];
    // one part after the other: the server is a small local process
    var chain = Promise.resolve();
    parts.forEach(function (p) {
      chain = chain.then(function () {
        return fetchJson(s.serverUrl + "/v1/check", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            text: p.text,
            platform: msg.platform || "web",
            categories: SaringSettings.enabledCategories(s),
            locale: s.language
          }),
          signal: ctrl.signal
        }, msg.timeoutMs || CHECK_TIMEOUT_MS).then(function (r) { results.push(r); });
      });
    });
    return chain.then(function () {
      var result = parts.length === 1 ? results[0] : mergeParts(text, parts, results);
      return { ok: true, result: result, partial: !!msg.split, guardMode: s.guardMode, rtt: Date.now() - t0 };
    }, function (e) {
      if (ctrl.signal.aborted && state.inflight.get(key) !== ctrl) return { superseded: true };
      return failure(e, s.serverUrl);
    });
  }).finally(function () {
    if (state.inflight.get(key) === ctrl) state.inflight.delete(key);
  });
}

function getJsonFromServer(path) {
  return effective().then(function (eff) {
    return fetchJson(eff.settings.serverUrl + path, { method: "GET" }, 2500);
  });
}

api.runtime.onMessage.addListener(function (msg, sender, sendResponse) {
  if (!msg || typeof msg !== "object") return false;
  var p = null;
  switch (msg.type) {
    case "config": p = config(); break;
    case "check": p = check(msg, sender); break;
    case "health":
      // Options may test an address before it is saved
      p = msg.serverUrl ? health(SaringSettings.normalizeServerUrl(msg.serverUrl)) :
        effective().then(function (eff) { return health(eff.settings.serverUrl); });
      break;
    case "categories":
      p = getJsonFromServer("/v1/categories?locale=" + encodeURIComponent(msg.locale || "id"));
      break;
    case "stats": p = getJsonFromServer("/v1/stats"); break;
    case "refreshServerSettings":
      p = Promise.all([getUser(), getManaged()]).then(function (r) { return refreshServerSettings(r[0], r[1]); });
      break;
    case "syncSiteScripts": p = syncSiteScripts(); break;
    default: return false;
  }
  p.then(function (v) { sendResponse(v === undefined ? null : v); },
    function (e) { sendResponse({ ok: false, error: String(e && e.message || e) }); });
  return true; // answer asynchronously
});

/* Sites other than the eight platforms: content scripts are registered at run time for the
 * origins the user or IT listed and for which the browser granted the host permission. */
var EXTRA_SCRIPT_ID = "saring-extra-sites";
function originPattern(site) {
  var o = SaringUtil.normalizeOrigin(site);
  return o ? o + "/*" : null;
}
function syncSiteScripts() {
  if (!api.scripting || !api.scripting.registerContentScripts) return Promise.resolve(null);
  return effective().then(function (eff) {
    var patterns = (eff.settings.extraSites || []).map(originPattern).filter(Boolean);
    return promisify(function (cb) { api.permissions.getAll(cb); }).then(function (perms) {
      var granted = (perms && perms.origins) || [];
      var allowed = patterns.filter(function (p) {
        return granted.indexOf(p) >= 0 || granted.indexOf("https://*/*") >= 0 || granted.indexOf("<all_urls>") >= 0;
      });
      return promisify(function (cb) { api.scripting.unregisterContentScripts({ ids: [EXTRA_SCRIPT_ID] }, cb); }).then(function () {
        if (!allowed.length) return { registered: [] };
        var manifest = api.runtime.getManifest();
        var cs = manifest.content_scripts[0];
        return promisify(function (cb) {
          api.scripting.registerContentScripts([{
            id: EXTRA_SCRIPT_ID, matches: allowed, js: cs.js, css: cs.css, runAt: "document_start", allFrames: false
          }], cb);
        }).then(function () { return { registered: allowed }; });
      });
    });
  });
}

api.storage.onChanged.addListener(function (changes, area) {
  if (area === "managed") loadManaged();
  if (area === "managed" || (area === "local" && changes.settings)) {
    syncSiteScripts();
    // a new server address (also the first one set) asks that server for its recommendation
    var oldUrl = changes.settings && changes.settings.oldValue && changes.settings.oldValue.serverUrl;
    var newUrl = changes.settings && changes.settings.newValue && changes.settings.newValue.serverUrl;
    if (area === "managed" || (changes.settings && oldUrl !== newUrl)) {
      state.serverSettingsAt = 0;
      state.serverSettingsOk = false;
      Promise.all([getUser(), getManaged()]).then(function (r) { refreshServerSettings(r[0], r[1]); });
    }
  }
});
if (api.permissions && api.permissions.onAdded) api.permissions.onAdded.addListener(function () { syncSiteScripts(); });

api.runtime.onInstalled.addListener(function (details) {
  syncSiteScripts();
  if (details.reason !== "install") return;
  SaringSettings.storageGet("local", ["firstRunShown"]).then(function (v) {
    if (v.firstRunShown) return;
    api.storage.local.set({ firstRunShown: true });
    getManaged().then(function (m) {
      if (m && m.suppressWelcome) return;
      api.tabs.create({ url: api.runtime.getURL("welcome/welcome.html") });
    });
  });
});
