/* Saring — UI strings in the language chosen in the settings (Indonesian by default),
 * read from _locales/<lang>/messages.json, so the choice does not depend on the browser's
 * own language. Used by the background worker (which hands the table to content scripts),
 * the popup, the options page and the welcome page. */
(function (root) {
  "use strict";
  if (root.SaringI18n) return;
  var api = root.chrome && root.chrome.runtime ? root.chrome : root.browser;
  var cache = {};

  function load(lang) {
    lang = lang === "en" ? "en" : "id";
    if (cache[lang]) return Promise.resolve(cache[lang]);
    return fetch(api.runtime.getURL("_locales/" + lang + "/messages.json"))
      .then(function (r) { return r.json(); })
      .then(function (json) {
        var table = {};
        Object.keys(json).forEach(function (k) { table[k] = json[k].message; });
        cache[lang] = table;
        return table;
      });
  }

  var format = root.SaringUtil.format;

  /** Fill elements carrying data-i18n (textContent), data-i18n-title and data-i18n-placeholder. */
  function apply(doc, table) {
    doc.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = format(table, el.getAttribute("data-i18n")); });
    doc.querySelectorAll("[data-i18n-title]").forEach(function (el) { el.title = format(table, el.getAttribute("data-i18n-title")); });
    doc.querySelectorAll("[data-i18n-placeholder]").forEach(function (el) { el.placeholder = format(table, el.getAttribute("data-i18n-placeholder")); });
  }

  root.SaringI18n = { load: load, format: format, apply: apply };
})(typeof globalThis !== "undefined" ? globalThis : self);
