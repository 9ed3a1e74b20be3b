/* Saring — read and write the user's own settings layer (storage.local "settings"). */
(function (root) {
  "use strict";
  if (root.SaringStore) return;
  var S = root.SaringSettings, api = S.api;

  function message(msg) {
    return new Promise(function (resolve) {
      api.runtime.sendMessage(msg, function (r) { void api.runtime.lastError; resolve(r); });
    });
  }
  function update(mutator) {
    return S.storageGet("local", ["settings"]).then(function (v) {
      var s = (v && v.settings) || {};
      mutator(s);
      return new Promise(function (resolve) { api.storage.local.set({ settings: s }, resolve); });
    });
  }
  var el = root.SaringUtil.el;
  /** A switch (a checkbox styled as one) with an accessible name. */
  function switchEl(id, checked, disabled, onChange, name) {
    var lab = el("label", "switch");
    var inp = el("input");
    inp.type = "checkbox";
    if (id) inp.id = id;
    inp.checked = !!checked;
    inp.disabled = !!disabled;
    inp.setAttribute("role", "switch");
    if (name) inp.setAttribute("aria-label", name);
    inp.addEventListener("change", function () { onChange(inp.checked); });
    lab.appendChild(inp);
    lab.appendChild(el("span"));
    return lab;
  }
  root.SaringStore = { message: message, update: update, el: el, switchEl: switchEl };
})(typeof globalThis !== "undefined" ? globalThis : self);
