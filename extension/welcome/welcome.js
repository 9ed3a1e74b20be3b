/* Saring — first-run privacy note: says truthfully what leaves the page. */
(function () {
  "use strict";
  var I = SaringI18n, St = SaringStore;
  St.message({ type: "config" }).then(function (c) {
    document.documentElement.lang = c.settings.language;
    I.apply(document, c.messages);
    document.getElementById("privacy1").textContent = I.format(c.messages, "privacy1", [c.settings.serverUrl]);
    document.getElementById("ok").addEventListener("click", function () { window.close(); });
  });
})();
