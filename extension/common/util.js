/* Saring — small helpers shared by the content scripts, the background worker and the
 * extension's pages (popup, options, welcome): message formatting, element creation and
 * origin normalisation. Kept in one place so the five users cannot drift apart. */
(function (root) {
  "use strict";
  if (root.SaringUtil) return;

  /** A message from `table` with $1, $2… replaced by `subs`; the key itself when missing. */
  function format(table, key, subs) {
    var s = table && table[key];
    if (s === undefined || s === null) return key;
    if (subs !== undefined) {
      if (!Array.isArray(subs)) subs = [subs];
      s = s.replace(/\$(\d)/g, function (_, n) { var v = subs[Number(n) - 1]; return v === undefined ? "" : String(v); });
    }
    return s;
  }

  /** A new element; text is set with textContent only (never parsed as HTML). */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  /** "example.go.id", "https://example.go.id/", "https://example.go.id/*" -> "https://example.go.id";
   * null when it is not an http(s) origin. */
  function normalizeOrigin(site) {
    var s = String(site || "").trim().replace(/\/\*$/, "").replace(/\/+$/, "");
    if (!s) return null;
    if (!/^https?:\/\//i.test(s)) s = "https://" + s;
    try {
      var u = new URL(s);
      return /^https?:$/.test(u.protocol) ? u.origin : null;
    } catch (e) { return null; }
  }

  /** Host names a Saring server on this computer may have (no host permission prompt needed). */
  var LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

  root.SaringUtil = { format: format, el: el, normalizeOrigin: normalizeOrigin, LOOPBACK: LOOPBACK };
})(typeof globalThis !== "undefined" ? globalThis : self);
