/* Saring — background service worker (Chrome/Edge) or background script (Firefox).
 *
 * The only part of the extension that talks to the network, and only to the Saring server
 * (default http://127.0.0.1:8731). Content scripts hand it the text of a compose box; it is
 * never logged or stored here.
 */
/* global importScripts, SaringSettings, SaringI18n */
"use strict";

if (typeof importScripts === "function" && typeof SaringSettings === "undefined") {
  importScripts("common/settings.js", "common/i18n.js");
}

var api = SaringSettings.api;
var CHECK_TIMEOUT_MS = 4000;
var SERVER_SETTINGS_TTL_MS = 5 * 60 * 1000;

var state = {
  serverSettings: null,      // last /v1/settings answer
  serverSettingsAt: 0,
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

function effective() {
  return Promise.all([getUser(), getManaged()]).then(function (res) {
    var user = res[0], managed = res[1];
    // refresh the server's recommendation now and then, without waiting for it
    var fresh = Date.now() - state.serverSettingsAt < SERVER_SETTINGS_TTL_MS;
    if (!fresh) refreshServerSettings(user, managed);
    return SaringSettings.compute(user, managed, state.serverSettings);
  });
}

function refreshServerSettings(user, managed) {
  state.serverSettingsAt = Date.now();
  var eff = SaringSettings.compute(user, managed, null).settings;
  return fetchJson(eff.serverUrl + "/v1/settings", { method: "GET" }, 2500).then(function (s) {
    var changed = JSON.stringify(s) !== JSON.stringify(state.serverSettings);
    state.serverSettings = s;
    if (changed) api.storage.local.set({ serverSettings: s });
    return s;
  }, function () {
    return state.serverSettings;
  });
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

function health(serverUrl) {
  return fetchJson(serverUrl + "/v1/health", { method: "GET" }, 2500).then(function (h) {
    state.health = h;
    return h;
  }, function (e) {
    state.health = { offline: true, error: String(e && e.message || e) };
    return state.health;
  });
}

function check(msg, sender) {
  var key = (sender.tab ? sender.tab.id : "x") + ":" + (sender.frameId || 0) + ":" + (msg.editorKey || "");
  var prev = state.inflight.get(key);
  if (prev) prev.abort();          // a newer text supersedes the request in flight
  var ctrl = new AbortController();
  state.inflight.set(key, ctrl);
  return effective().then(function (eff) {
    var s = eff.settings;
    var body = {
      text: msg.text,
      platform: msg.platform || "web",
      categories: SaringSettings.enabledCategories(s),
      locale: s.language
    };
    var t0 = Date.now();
    return fetchJson(s.serverUrl + "/v1/check", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: ctrl.signal
    }, msg.timeoutMs || CHECK_TIMEOUT_MS).then(function (result) {
      return { ok: true, result: result, rtt: Date.now() - t0 };
    }, function (e) {
      if (ctrl.signal.aborted && state.inflight.get(key) !== ctrl) return { superseded: true };
      if (e && e.status && e.status < 500 && e.status !== 403) return { ok: false, error: e.message };
      return { offline: true, error: String(e && e.message || e) };
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
      p = effective().then(function (eff) { return health(eff.settings.serverUrl); });
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
  site = String(site).trim().replace(/\/\*$/, "").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(site)) site = "https://" + site;
  return site + "/*";
}
function syncSiteScripts() {
  if (!api.scripting || !api.scripting.registerContentScripts) return Promise.resolve(null);
  return effective().then(function (eff) {
    var patterns = (eff.settings.extraSites || []).map(originPattern);
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
    if (area === "managed" || (changes.settings && changes.settings.newValue &&
        changes.settings.oldValue && changes.settings.newValue.serverUrl !== changes.settings.oldValue.serverUrl)) {
      state.serverSettingsAt = 0;
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
