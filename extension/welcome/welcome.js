/* Saring — first-run page: says truthfully what leaves the page, and checks at once that the
 * Saring server answers (and what to do when it does not). */
(function () {
  "use strict";
  var I = SaringI18n, St = SaringStore, api = SaringSettings.api;
  St.message({ type: "config" }).then(function (c) {
    var T = c.messages, url = c.settings.serverUrl;
    document.documentElement.lang = c.settings.language;
    I.apply(document, T);
    document.getElementById("privacy1").textContent = I.format(T, "privacy1", [url]);
    document.getElementById("ok").addEventListener("click", function () { window.close(); });
    var out = document.getElementById("serverCheck");
    var retry = document.getElementById("retry");
    function run() {
      out.textContent = I.format(T, "welcomeCheck");
      out.setAttribute("data-result", "checking");
      retry.hidden = true;
      St.message({ type: "health" }).then(function (h) {
        var result = h && h.refused ? "refused" : (!h || h.offline) ? "offline" : "ok";
        out.setAttribute("data-result", result);
        if (result === "ok") out.textContent = I.format(T, "welcomeServerOk", [url, h.version]);
        else if (result === "refused") out.textContent = I.format(T, "welcomeServerRefused", [url, h.refused, api.runtime.id]);
        else out.textContent = I.format(T, "welcomeServerOffline", [url]);
        retry.hidden = result === "ok";
      });
    }
    retry.addEventListener("click", run);
    run();
  });
})();
