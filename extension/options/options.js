/* Saring — options page: server address, categories, guard threshold, sites, language,
 * and rules switched off. Values set by the organisation's policy are shown locked. */
(function () {
  "use strict";
  var S = SaringSettings, I = SaringI18n, St = SaringStore, api = S.api;
  var el = St.el;
  var cfg, T;
  var draft = {};
  function t(k, subs) { return I.format(T, k, subs); }
  function isLocked(key) { return cfg.locked.indexOf(key) >= 0; }
  function $(id) { return document.getElementById(id); }

  function fill() {
    var s = cfg.settings;
    $("managedNote").hidden = !cfg.managed || !Object.keys(cfg.managed).length;
    document.querySelectorAll("[data-lock]").forEach(function (n) { n.hidden = !isLocked(n.getAttribute("data-lock")); });
    $("serverUrl").value = s.serverUrl;
    $("serverUrl").disabled = isLocked("serverUrl");
    $("testServer").disabled = false;
    $("mode").textContent = s.guardMode === "block" ? t("modeBlock") : t("modeWarn");
    $("threshold").value = s.threshold;
    $("threshold").disabled = isLocked("threshold");
    $("language").value = s.language;
    $("language").disabled = isLocked("language");
    $("extraSites").value = (s.extraSites || []).join("\n");
    $("extraSites").disabled = isLocked("extraSites");

    var cats = $("categories");
    cats.textContent = "";
    draft.categories = Object.assign({}, s.categories);
    S.CATEGORY_IDS.forEach(function (id) {
      cats.appendChild(el("span", "", t("cat_" + id)));
      cats.appendChild(St.switchEl("cat-" + id, s.categories[id] !== false, isLocked("categories"), function (v) { draft.categories[id] = v; }));
    });
    var sites = $("sites");
    sites.textContent = "";
    draft.sites = Object.assign({}, s.sites);
    S.SITES.forEach(function (site) {
      sites.appendChild(el("span", "", site.name));
      sites.appendChild(St.switchEl("site-" + site.id, s.sites[site.id] !== false, isLocked("sites"), function (v) { draft.sites[site.id] = v; }));
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
        St.update(function (u) { u.disabledRules = (u.disabledRules || []).filter(function (x) { return x !== rule; }); }).then(reload);
      });
      row.appendChild(b);
      dr.appendChild(row);
    });
  }

  function originsOf(list) {
    return list.map(function (s) {
      s = s.trim().replace(/\/\*$/, "").replace(/\/+$/, "");
      if (!s) return null;
      if (!/^https?:\/\//.test(s)) s = "https://" + s;
      try { return new URL(s).origin; } catch (e) { return null; }
    }).filter(Boolean);
  }

  function save() {
    var extra = originsOf($("extraSites").value.split(/\n+/));
    var doSave = function () {
      St.update(function (u) {
        if (!isLocked("serverUrl")) u.serverUrl = S.normalizeServerUrl($("serverUrl").value);
        if (!isLocked("threshold")) u.threshold = $("threshold").value;
        if (!isLocked("language")) u.language = $("language").value;
        if (!isLocked("categories")) u.categories = draft.categories;
        if (!isLocked("sites")) u.sites = draft.sites;
        if (!isLocked("extraSites")) u.extraSites = extra;
      }).then(function () {
        St.message({ type: "syncSiteScripts" });
        St.message({ type: "refreshServerSettings" });
        $("saved").textContent = t("optSaved");
        setTimeout(reload, 300);
      });
    };
    var ask = isLocked("extraSites") ? [] : extra.map(function (o) { return o + "/*"; });
    // a server elsewhere than this computer (an office server) needs its own host permission
    try {
      var srv = new URL(S.normalizeServerUrl($("serverUrl").value));
      if (!isLocked("serverUrl") && ["127.0.0.1", "localhost", "[::1]"].indexOf(srv.hostname) < 0) ask.push(srv.origin + "/*");
    } catch (e) { /* not a URL: saved as typed, the test button will tell */ }
    if (ask.length && api.permissions) {
      // must be called from the click itself; the browser asks once for these origins
      api.permissions.request({ origins: ask }, function () { void api.runtime.lastError; doSave(); });
    } else {
      doSave();
    }
  }

  function testServer() {
    var url = S.normalizeServerUrl($("serverUrl").value);
    var out = $("testResult");
    out.textContent = t("popupServerChecking");
    fetch(url + "/v1/health", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (h) {
      out.textContent = t("popupServerOk", [h.version]);
    }, function () { out.textContent = t("popupServerOffline"); });
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

  $("save").addEventListener("click", save);
  $("testServer").addEventListener("click", testServer);
  reload();
})();
