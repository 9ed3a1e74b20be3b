/* Saring — toolbar popup: server status and version, findings of the active compose box,
 * switches for this site and for categories, and a small weekly chart (counts only). */
(function () {
  "use strict";
  var S = SaringSettings, I = SaringI18n, St = SaringStore, api = S.api;
  var el = St.el;
  var cfg, T;
  function t(k, subs) { return I.format(T, k, subs); }
  function isLocked(key) { return cfg.locked.indexOf(key) >= 0; }

  function activeTab() {
    // popup.html#tab=<id> shows another tab (used when the popup is opened as a page, e.g. in tests)
    var m = /tab=(\d+)/.exec(location.hash);
    if (m) return new Promise(function (resolve) { api.tabs.get(Number(m[1]), function (t) { void api.runtime.lastError; resolve(t); }); });
    return new Promise(function (resolve) {
      api.tabs.query({ active: true, currentWindow: true }, function (tabs) { void api.runtime.lastError; resolve(tabs && tabs[0]); });
    });
  }
  function pageState(tab) {
    return new Promise(function (resolve) {
      if (!tab) return resolve(null);
      try {
        api.tabs.sendMessage(tab.id, { type: "pageState" }, function (r) { void api.runtime.lastError; resolve(r || null); });
      } catch (e) { resolve(null); }
    });
  }

  function renderServer() {
    St.message({ type: "health" }).then(function (h) {
      var dot = document.getElementById("serverDot");
      var st = document.getElementById("serverStatus");
      if (h && h.refused) {
        dot.className = "dot off";
        st.textContent = t("popupServerRefused", [h.refused]);
        document.body.setAttribute("data-server", "refused");
        return;
      }
      if (!h || h.offline) {
        dot.className = "dot off";
        st.textContent = t("popupServerOffline");
        document.body.setAttribute("data-server", "offline");
        return;
      }
      dot.className = "dot ok";
      st.textContent = t("popupServerOk", [h.version]);
      document.body.setAttribute("data-server", "ok");
      if (h.version && h.version !== cfg.version) {
        var w = document.getElementById("versionWarn");
        w.textContent = t("popupVersionMismatch", [cfg.version, h.version]);
        w.hidden = false;
      }
    });
  }

  function renderSite(tab, state) {
    var url = null;
    // without the platforms' host permissions the tab's address is known through its page state
    var href = (tab && tab.url) || (state && state.origin) || null;
    try { url = href ? new URL(href) : null; } catch (e) { url = null; }
    var nameEl = document.getElementById("siteName");
    var sw = document.getElementById("siteSwitch");
    var un = document.getElementById("siteUnsupported");
    if (!url || !/^https?:$/.test(url.protocol)) {
      nameEl.textContent = "";
      sw.closest(".row").hidden = true;
      un.hidden = false;
      un.textContent = t("popupSiteUnsupported");
      return;
    }
    var site = S.siteForHost(url.hostname);
    nameEl.textContent = site ? site.name : url.hostname;
    var on = S.isEnabledFor(cfg.settings, url);
    sw.checked = on;
    var key = site ? "sites" : "extraSites";
    sw.disabled = isLocked(key);
    document.getElementById("siteLock").hidden = !isLocked(key);
    sw.addEventListener("change", function () {
      var v = sw.checked;
      if (site) {
        St.update(function (s) { s.sites = Object.assign({}, s.sites || {}); s.sites[site.id] = v; });
        return;
      }
      var origin = url.origin;
      if (v) {
        // the browser asks the user for this one origin
        api.permissions.request({ origins: [origin + "/*"] }, function (granted) {
          void api.runtime.lastError;
          if (!granted) { sw.checked = false; return; }
          St.update(function (s) {
            var list = Array.isArray(s.extraSites) ? s.extraSites : [];
            if (list.indexOf(origin) < 0) list.push(origin);
            s.extraSites = list;
          }).then(function () {
            St.message({ type: "syncSiteScripts" });
            if (api.scripting && tab) {
              var cs = api.runtime.getManifest().content_scripts[0];
              api.scripting.insertCSS({ target: { tabId: tab.id }, files: cs.css }, function () { void api.runtime.lastError; });
              api.scripting.executeScript({ target: { tabId: tab.id }, files: cs.js }, function () { void api.runtime.lastError; });
            }
          });
        });
      } else {
        St.update(function (s) {
          s.extraSites = (Array.isArray(s.extraSites) ? s.extraSites : []).filter(function (x) { return x !== origin; });
        }).then(function () { St.message({ type: "syncSiteScripts" }); });
      }
    });
  }

  function renderFindings(state) {
    var box = document.getElementById("findings");
    box.textContent = "";
    if (!state || !state.hasEditor) { box.textContent = t("popupNoEditor"); return; }
    if (state.refused) { box.textContent = t("popupServerRefused", [state.refused]); return; }
    if (state.offline) { box.textContent = t("cardOffline"); return; }
    if (!state.findings.length) { box.textContent = t("popupNoFindings"); return; }
    box.className = "small";
    state.findings.forEach(function (f) {
      var d = el("div", "finding " + f.severity);
      var head = el("div");
      head.appendChild(el("span", "sev " + f.severity, t("sev_" + f.severity)));
      head.appendChild(document.createTextNode(" " + t("cat_" + f.category) + " \u2014 \u201C" + f.text + "\u201D"));
      d.appendChild(head);
      if (f.message) d.appendChild(el("div", "", f.message));
      if (f.suggestion) d.appendChild(el("div", "muted", f.suggestion));
      box.appendChild(d);
    });
  }

  function renderCategories(names) {
    var box = document.getElementById("categories");
    box.textContent = "";
    var locked = isLocked("categories");
    document.getElementById("catLock").hidden = !locked;
    S.CATEGORY_IDS.forEach(function (id) {
      var row = el("div", "row");
      var name = (names && names[id]) || t("cat_" + id);
      var lab = el("label", "", name);
      lab.htmlFor = "cat-" + id;
      row.appendChild(lab);
      row.appendChild(St.switchEl("cat-" + id, cfg.settings.categories[id] !== false, locked, function (v) {
        St.update(function (s) { s.categories = Object.assign({}, s.categories || {}); s.categories[id] = v; });
      }, name));
      box.appendChild(row);
    });
  }

  function renderStats() {
    var box = document.getElementById("stats");
    St.message({ type: "stats" }).then(function (st) {
      if (!st || st.ok === false || !Array.isArray(st.weeks)) { box.textContent = t("popupServerOffline"); return; }
      if (st.enabled === false) { box.textContent = t("popupStatsOff"); return; }
      var weeks = st.weeks.slice(-8);
      if (!weeks.length) { box.textContent = t("popupStatsNone"); return; }
      var totals = weeks.map(function (w) {
        var n = 0;
        Object.keys(w.counts || {}).forEach(function (k) { n += Number(w.counts[k]) || 0; });
        return n;
      });
      var max = Math.max.apply(null, totals.concat([1]));
      box.textContent = "";
      var chart = el("div", "chart");
      weeks.forEach(function (w, i) {
        var bar = el("div", "bar");
        bar.title = Object.keys(w.counts || {}).map(function (k) { return t("cat_" + k) + ": " + w.counts[k]; }).join("\n");
        bar.appendChild(el("em", "", String(totals[i])));
        var b = el("i");
        b.style.height = Math.round((totals[i] / max) * 48) + "px";
        bar.appendChild(b);
        bar.appendChild(el("b", "", String(w.week).replace(/^\d{4}-/, "")));
        chart.appendChild(bar);
      });
      box.appendChild(chart);
    });
  }

  St.message({ type: "config" }).then(function (c) {
    cfg = c;
    T = c.messages;
    document.documentElement.lang = c.settings.language;
    I.apply(document, T);
    document.getElementById("extVersion").textContent = "v" + c.version;
    document.getElementById("serverUrl").textContent = c.settings.serverUrl.replace(/^https?:\/\//, "");
    document.getElementById("mode").textContent = c.settings.guardMode === "block" ? t("modeBlock") : t("modeWarn");
    document.getElementById("modeLock").hidden = !(c.managed && c.managed.guardMode);
    document.getElementById("openOptions").addEventListener("click", function () { api.runtime.openOptionsPage(); });
    var paused = S.pausedUntil(c.settings);
    if (paused) {
      document.getElementById("pausedBox").hidden = false;
      document.getElementById("pausedText").textContent = t("popupPaused", [new Date(paused).toLocaleTimeString(c.settings.language === "en" ? "en-GB" : "id-ID", { hour: "2-digit", minute: "2-digit" })]);
      document.getElementById("resume").addEventListener("click", function () {
        St.update(function (s) { s.pausedUntil = 0; }).then(function () { document.getElementById("pausedBox").hidden = true; });
      });
    }
    renderServer();
    renderStats();
    St.message({ type: "categories", locale: c.settings.language }).then(function (list) {
      var names = {};
      if (Array.isArray(list)) list.forEach(function (x) { names[x.id] = x.name; });
      renderCategories(names);
    });
    activeTab().then(function (tab) {
      return pageState(tab).then(function (state) { renderSite(tab, state); renderFindings(state); });
    });
  });
})();
