/* Saring — "Periksa arsip" report: filters, "sudah saya tangani" checkboxes kept in the
 * browser (localStorage), printing. Inlined into the HTML report; the extension's audit page
 * loads its copy (extension/audit/report.js, kept equal by a test) and calls
 * SaringReport.init(root) on the report it shows. Works offline, no external assets. */
(function () {
  "use strict";
  var RANK = { info: 1, warning: 2, high: 3 };
  var PREFIX = "saring.audit.done.";

  function storage() {
    var mem = {};
    var fallback = { get: function (k) { return mem[k] || null; }, set: function (k, v) { mem[k] = v; }, remove: function (k) { delete mem[k]; } };
    try {
      var ls = window.localStorage;
      ls.setItem(PREFIX + "probe", "1");
      ls.removeItem(PREFIX + "probe");
      return { get: function (k) { return ls.getItem(k); }, set: function (k, v) { ls.setItem(k, v); }, remove: function (k) { ls.removeItem(k); } };
    } catch (e) {
      return fallback; // file:// in some browsers, sandboxed frames: remembered for this visit only
    }
  }

  function format(s, args) {
    return String(s).replace(/\{(\d+)\}/g, function (_, i) { return args[+i]; });
  }

  function init(root) {
    root = root || document.getElementById("saring-report");
    if (!root || root.getAttribute("data-ready") === "1") return null;
    var i18nEl = root.querySelector("script[data-role=i18n]");
    var T = i18nEl ? JSON.parse(i18nEl.textContent) : {};
    var store = storage();
    var items = Array.prototype.slice.call(root.querySelectorAll("article.item"));
    var selects = Array.prototype.slice.call(root.querySelectorAll("[data-filter]"));
    var countEl = root.querySelector("[data-role=count]");

    function value(name) {
      var s = root.querySelector("[data-filter=" + name + "]");
      return s ? s.value : "";
    }
    function apply() {
      var cat = value("category"), sev = value("severity"), plat = value("platform"), year = value("year"), status = value("status");
      var shown = 0, done = 0;
      items.forEach(function (it) {
        var isDone = it.classList.contains("is-done");
        if (isDone) done++;
        var ok = (!cat || (" " + it.getAttribute("data-categories") + " ").indexOf(" " + cat + " ") >= 0) &&
          (!sev || (RANK[it.getAttribute("data-severity")] || 0) >= (RANK[sev] || 0)) &&
          (!plat || it.getAttribute("data-platform") === plat) &&
          (!year || it.getAttribute("data-year") === year) &&
          (!status || (status === "done") === isDone);
        it.hidden = !ok;
        if (ok) shown++;
      });
      if (countEl) countEl.textContent = format(T.shown || "{0}/{1}", [shown, items.length, done]);
      root.setAttribute("data-shown", String(shown));
      root.setAttribute("data-done", String(done));
    }
    items.forEach(function (it) {
      var box = it.querySelector("input[data-role=done]");
      if (!box) return;
      var key = PREFIX + it.getAttribute("data-key");
      box.checked = store.get(key) === "1";
      it.classList.toggle("is-done", box.checked);
      box.addEventListener("change", function () {
        if (box.checked) store.set(key, "1"); else store.remove(key);
        it.classList.toggle("is-done", box.checked);
        apply();
      });
    });
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    var printBtn = root.querySelector("[data-action=print]");
    if (printBtn) printBtn.addEventListener("click", function () { window.print(); });
    var resetBtn = root.querySelector("[data-action=reset]");
    if (resetBtn) resetBtn.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      apply();
    });
    root.setAttribute("data-ready", "1");
    apply();
    return { apply: apply };
  }

  window.SaringReport = { init: init };
  if (document.getElementById("saring-report")) init();
})();
