/* Saring — options page: server address, categories, guard threshold, sites, language,
 * and rules switched off. Every change applies at once, like the popup's switches; values set by
 * the organisation's policy are shown locked. */
(function () {
  "use strict";
  var S = SaringSettings, I = SaringI18n, St = SaringStore, U = SaringUtil, api = S.api;
  var el = St.el;
  var cfg, T;
  function t(k, subs) { return I.format(T, k, subs); }
  function isLocked(key) { return cfg.locked.indexOf(key) >= 0; }
  function managedSets(key) { return !!(cfg.managed && cfg.managed[key] !== undefined); }
  function $(id) { return document.getElementById(id); }

  function say(text) { $("saved").textContent = text; }

  /** Save one change of the user's layer, then show the effective settings again. */
  function apply(mutator) {
    return St.update(mutator).then(function () {
      St.message({ type: "syncSiteScripts" });
      say(t("optApplied"));
      return reload();
    });
  }

  /** Ask the browser for origins (from the user's own click or change); resolves true/false. */
  function askFor(origins) {
    if (!origins.length || !api.permissions) return Promise.resolve(true);
    return new Promise(function (resolve) {
      api.permissions.request({ origins: origins }, function (granted) { void api.runtime.lastError; resolve(!!granted); });
    });
  }

  function labelled(id, text, sw) {
    var lab = el("label", "", text);
    lab.htmlFor = id;
    return [lab, sw];
  }

  function fill() {
    var s = cfg.settings;
    // "Diatur oleh instansi" only when a policy really sets something
    $("managedNote").hidden = !cfg.managed || !Object.keys(cfg.managed).length;
    document.querySelectorAll("[data-lock]").forEach(function (n) {
      var k = n.getAttribute("data-lock");
      n.hidden = !(isLocked(k) && (managedSets(k) || (cfg.managed.lockedSettings || []).indexOf(k) >= 0));
    });
    $("serverUrl").value = s.serverUrl;
    $("serverUrl").disabled = isLocked("serverUrl");
    $("mode").textContent = s.guardMode === "block" ? t("modeBlock") : t("modeWarn");
    var ml = $("modeLock");
    ml.hidden = false;
    ml.textContent = managedSets("guardMode") ? t("locked") : t("optGuardFromServer");
    $("threshold").value = s.threshold;
    $("threshold").disabled = isLocked("threshold");
    $("language").value = s.language;
    $("language").disabled = isLocked("language");
    $("extraSites").value = (s.extraSites || []).join("\n");
    $("extraSites").disabled = isLocked("extraSites");

    var cats = $("categories");
    cats.textContent = "";
    S.CATEGORY_IDS.forEach(function (id) {
      var name = t("cat_" + id);
      labelled("cat-" + id, name, St.switchEl("cat-" + id, s.categories[id] !== false, isLocked("categories"), function (v) {
        apply(function (u) { u.categories = Object.assign({}, cfg.settings.categories, u.categories || {}); u.categories[id] = v; });
      }, name)).forEach(function (n) { cats.appendChild(n); });
    });
    var sites = $("sites");
    sites.textContent = "";
    S.SITES.forEach(function (site) {
      labelled("site-" + site.id, site.name, St.switchEl("site-" + site.id, s.sites[site.id] !== false, isLocked("sites"), function (v) {
        apply(function (u) { u.sites = Object.assign({}, cfg.settings.sites, u.sites || {}); u.sites[site.id] = v; });
      }, site.name)).forEach(function (n) { sites.appendChild(n); });
    });
    var dr = $("disabledRules");
    dr.textContent = "";
    if (!s.disabledRules.length) dr.textContent = t("optNoDisabledRules");
    s.disabledRules.forEach(function (rule) {
      var row = el("div", "row");
      row.appendChild(el("code", "", rule));
      var b = el("button", "", t("optEnableRule"));
      b.disabled = isLocked("disabledRules");
      b.addEventListener("click", function () {
        apply(function (u) { u.disabledRules = (u.disabledRules || []).filter(function (x) { return x !== rule; }); });
      });
      row.appendChild(b);
      dr.appendChild(row);
    });
  }

  function originsOf(text) {
    return text.split(/\n+/).map(U.normalizeOrigin).filter(Boolean);
  }

  function saveServer() {
    if (isLocked("serverUrl")) return;
    var raw = $("serverUrl").value;
    var url = S.normalizeServerUrl(raw);
    var origin;
    try { origin = new URL(url).origin; } catch (e) { say(t("optInvalidUrl")); return; }
    if (url === cfg.settings.serverUrl) return;
    // a server elsewhere than this computer (an office server) needs its own host permission
    var need = S.isLoopbackUrl(url) ? [] : [origin + "/*"];
    askFor(need).then(function (granted) {
      if (!granted) { say(t("optSaveDenied", [origin])); $("serverUrl").value = cfg.settings.serverUrl; return; }
      apply(function (u) { u.serverUrl = url; }).then(testServer);
    });
  }

  function saveExtraSites() {
    if (isLocked("extraSites")) return;
    var extra = originsOf($("extraSites").value);
    var added = extra.filter(function (o) { return (cfg.settings.extraSites || []).map(U.normalizeOrigin).indexOf(o) < 0; });
    askFor(added.map(function (o) { return o + "/*"; })).then(function (granted) {
      if (!granted) { say(t("optSaveDenied", [added.join(", ")])); $("extraSites").value = (cfg.settings.extraSites || []).join("\n"); return; }
      apply(function (u) { u.extraSites = extra; });
    });
  }

  /** The same request the extension makes, so "Terhubung" means the extension is served. */
  function testServer() {
    var url = S.normalizeServerUrl($("serverUrl").value);
    var out = $("testResult");
    out.textContent = t("popupServerChecking");
    St.message({ type: "health", serverUrl: url }).then(function (h) {
      if (h && h.refused) out.textContent = t("cardRefused", [url, h.refused, api.runtime.id]);
      else if (!h || h.offline) out.textContent = t("popupServerOffline") + " — " + t("cardOfflineHelp");
      else out.textContent = t("popupServerOk", [h.version]);
      out.setAttribute("data-result", h && h.refused ? "refused" : (!h || h.offline) ? "offline" : "ok");
    });
  }

  function reload() {
    return St.message({ type: "config" }).then(function (c) {
      cfg = c;
      T = c.messages;
      document.documentElement.lang = c.settings.language;
      I.apply(document, T);
      fill();
    });
  }

  $("serverUrl").addEventListener("change", saveServer);
  $("testServer").addEventListener("click", testServer);
  $("threshold").addEventListener("change", function () { var v = $("threshold").value; apply(function (u) { u.threshold = v; }); });
  $("language").addEventListener("change", function () { var v = $("language").value; apply(function (u) { u.language = v; }); });
  $("extraSites").addEventListener("change", saveExtraSites);
  reload();
})();
