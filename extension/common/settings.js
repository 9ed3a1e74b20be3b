/* Saring — shared settings model (background, content scripts, popup, options).
 *
 * Effective settings are built in layers, later layers win:
 *   DEFAULTS  <  server recommendation (/v1/settings)  <  user (storage.local)  <  managed policy
 * Keys listed in managed `lockedSettings`, and every key the policy sets, ignore the user layer
 * and are shown as locked in the UI.
 */
(function (root) {
  "use strict";
  if (root.SaringSettings) return;

  // The chrome.* namespace with callbacks works in Chrome, Edge and Firefox alike.
  var api = root.chrome && root.chrome.runtime ? root.chrome : root.browser;

  var CATEGORY_IDS = [
    "flexing",
    "political_neutrality",
    "personal_data",
    "hate_abuse",
    "confidential_info",
    "misinformation",
    "gratification",
    "facility_misuse"
  ];

  // Platforms with an adapter; `hosts` are matched against location.hostname.
  var SITES = [
    { id: "facebook", name: "Facebook", hosts: ["facebook.com"] },
    { id: "instagram", name: "Instagram", hosts: ["www.instagram.com"] },
    { id: "x", name: "X", hosts: ["x.com", "twitter.com", "mobile.twitter.com"] },
    { id: "linkedin", name: "LinkedIn", hosts: ["www.linkedin.com"] },
    { id: "tiktok", name: "TikTok", hosts: ["www.tiktok.com"] },
    { id: "threads", name: "Threads", hosts: ["www.threads.net", "www.threads.com"] },
    { id: "youtube", name: "YouTube", hosts: ["www.youtube.com", "m.youtube.com", "studio.youtube.com"] },
    { id: "whatsapp", name: "WhatsApp Web", hosts: ["web.whatsapp.com"] }
  ];

  var SEVERITY_RANK = { none: 0, info: 1, warning: 2, high: 3 };

  function defaultCategories() {
    var c = {};
    CATEGORY_IDS.forEach(function (id) { c[id] = true; });
    return c;
  }
  function defaultSites() {
    var s = {};
    SITES.forEach(function (site) { s[site.id] = true; });
    return s;
  }

  var DEFAULTS = {
    serverUrl: "http://127.0.0.1:8731",
    guardMode: "warn",          // "warn" | "block" (block: no "Tetap kirim")
    threshold: "high",          // lowest severity that makes the guard ask
    categories: defaultCategories(),
    sites: defaultSites(),
    extraSites: [],             // other origins the user or IT enabled, e.g. "https://intranet.example.go.id"
    disabledRules: [],          // rule ids switched off with "Matikan aturan ini"
    language: "id",             // UI and message language: "id" | "en"
    pausedUntil: 0,             // "Jeda 1 jam": Saring is off everywhere until this time (ms since epoch)
    debounceMs: 400
  };

  // Keys the user may set (guardMode is IT's: managed policy or the server's recommendation).
  var USER_KEYS = ["serverUrl", "threshold", "categories", "sites", "extraSites", "disabledRules", "language", "pausedUntil"];
  var MANAGED_KEYS = ["serverUrl", "guardMode", "threshold", "categories", "sites", "extraSites", "language"];

  function clone(v) { return v === undefined ? v : JSON.parse(JSON.stringify(v)); }

  function siteForHost(hostname) {
    hostname = String(hostname || "").toLowerCase();
    for (var i = 0; i < SITES.length; i++) {
      var hs = SITES[i].hosts;
      for (var j = 0; j < hs.length; j++) {
        if (hostname === hs[j] || hostname.endsWith("." + hs[j])) return SITES[i];
      }
    }
    return null;
  }

  function normalizeServerUrl(url) {
    url = String(url || "").trim().replace(/\/+$/, "");
    if (!/^https?:\/\//i.test(url)) url = "http://" + url;
    return url;
  }
  /** Is this server address on this computer (no host permission needed)? */
  function isLoopbackUrl(url) {
    try { return root.SaringUtil.LOOPBACK.indexOf(new URL(normalizeServerUrl(url)).hostname) >= 0; } catch (e) { return false; }
  }

  function validSeverity(s) { return s === "info" || s === "warning" || s === "high"; }

  function mergeBoolMap(base, over) {
    var out = clone(base) || {};
    if (over && typeof over === "object" && !Array.isArray(over)) {
      Object.keys(over).forEach(function (k) {
        if (k in out && typeof over[k] === "boolean") out[k] = over[k];
      });
    } else if (Array.isArray(over)) {
      // an array of enabled ids is accepted as well
      Object.keys(out).forEach(function (k) { out[k] = over.indexOf(k) >= 0; });
    }
    return out;
  }

  function applyLayer(eff, layer, allowed) {
    if (!layer) return;
    allowed.forEach(function (k) {
      if (layer[k] === undefined || layer[k] === null) return;
      var v = layer[k];
      switch (k) {
        case "categories":
        case "sites":
          eff[k] = mergeBoolMap(eff[k], v);
          break;
        case "serverUrl":
          if (typeof v === "string" && v.trim()) eff[k] = normalizeServerUrl(v);
          break;
        case "guardMode":
          if (v === "warn" || v === "block") eff[k] = v;
          break;
        case "threshold":
          if (validSeverity(v)) eff[k] = v;
          break;
        case "language":
          if (v === "id" || v === "en") eff[k] = v;
          break;
        case "pausedUntil":
          if (typeof v === "number" && isFinite(v)) eff[k] = v;
          break;
        case "extraSites":
        case "disabledRules":
          if (Array.isArray(v)) eff[k] = v.filter(function (x) { return typeof x === "string"; });
          break;
        default:
          eff[k] = clone(v);
      }
    });
  }

  /** Build the effective settings.
   * @param user     storage.local "settings" object (may be empty)
   * @param managed  storage.managed object (may be empty)
   * @param server   /v1/settings answer (may be null)
   * @returns {settings, locked: [keys], managedKeys: [keys]}
   */
  function compute(user, managed, server) {
    var eff = clone(DEFAULTS);
    if (server) {
      var rec = {};
      if (server.guard_mode) rec.guardMode = server.guard_mode;
      if (server.categories) rec.categories = server.categories;
      applyLayer(eff, rec, ["guardMode", "categories"]);
    }
    managed = managed || {};
    var locked = {};
    (Array.isArray(managed.lockedSettings) ? managed.lockedSettings : []).forEach(function (k) { locked[k] = true; });
    MANAGED_KEYS.forEach(function (k) { if (managed[k] !== undefined) locked[k] = true; });
    locked.guardMode = true; // never a user setting
    var userAllowed = USER_KEYS.filter(function (k) { return !locked[k]; });
    applyLayer(eff, user || {}, userAllowed);
    // disabledRules is always personal, but IT may lock it (then the user list is ignored)
    applyLayer(eff, managed, MANAGED_KEYS);
    return { settings: eff, locked: Object.keys(locked), managed: clone(managed) };
  }

  function enabledCategories(settings) {
    return CATEGORY_IDS.filter(function (id) { return settings.categories[id] !== false; });
  }

  /** The end of a pause ("Jeda 1 jam") still running, or 0. Block mode cannot be paused. */
  function pausedUntil(settings) {
    var until = settings.pausedUntil || 0;
    return settings.guardMode !== "block" && until > Date.now() ? until : 0;
  }

  /** Is Saring on for this hostname/origin? */
  function isEnabledFor(settings, loc) {
    if (pausedUntil(settings)) return false;
    var site = siteForHost(loc.hostname);
    if (site) return settings.sites[site.id] !== false;
    var origin = loc.origin || (loc.protocol + "//" + loc.host);
    return (settings.extraSites || []).some(function (s) {
      return root.SaringUtil.normalizeOrigin(s) === origin || s === loc.hostname;
    });
  }

  function storageGet(area, keys) {
    return new Promise(function (resolve) {
      try {
        var a = api.storage && api.storage[area];
        if (!a) return resolve({});
        var r = a.get(keys, function (v) {
          if (api.runtime.lastError) return resolve({});
          resolve(v || {});
        });
        if (r && typeof r.then === "function") r.then(function (v) { resolve(v || {}); }, function () { resolve({}); });
      } catch (e) { resolve({}); }
    });
  }

  root.SaringSettings = {
    api: api,
    CATEGORY_IDS: CATEGORY_IDS,
    SITES: SITES,
    SEVERITY_RANK: SEVERITY_RANK,
    DEFAULTS: DEFAULTS,
    USER_KEYS: USER_KEYS,
    MANAGED_KEYS: MANAGED_KEYS,
    compute: compute,
    siteForHost: siteForHost,
    enabledCategories: enabledCategories,
    isEnabledFor: isEnabledFor,
    pausedUntil: pausedUntil,
    normalizeServerUrl: normalizeServerUrl,
    isLoopbackUrl: isLoopbackUrl,
    storageGet: storageGet,
    clone: clone
  };
})(typeof globalThis !== "undefined" ? globalThis : self);
