/* Saring — "Periksa arsip" page: the user drops an export archive; it goes to the local Saring
 * server only (POST /v1/audit), which parses and checks it in Python (the same code as
 * `saring audit`) and streams progress; the page then shows the report and offers it as one
 * HTML file. Nothing is stored by the page except the "sudah saya tangani" ticks. */
(function () {
  "use strict";
  // Only the runtime messaging API is used (the background answers {type: "config"} with the
  // effective settings): this page does not depend on the shared page scripts' internals.
  var api = typeof chrome !== "undefined" && chrome.runtime ? chrome :
    (typeof browser !== "undefined" && browser.runtime ? browser : null);
  var T = {
    id: {
      title: "Periksa arsip",
      intro: "Periksa unggahan lama Anda dari arsip unduhan data platform (X, Facebook, Instagram/Threads, TikTok, LinkedIn, YouTube, WhatsApp, atau CSV/JSONL). Saring menunjukkan unggahan yang perlu perhatian agar Anda bisa membereskannya lebih dulu.",
      dropHere: "Tarik arsip ke sini", dropHint: "Berkas .zip dari platform, atau satu berkas ekspor (.json, .js, .csv, .txt)",
      choose: "Pilih berkas…", options: "Pilihan pemeriksaan", since: "Sejak tanggal", until: "Sampai tanggal",
      minSeverity: "Tingkat minimal", sevWarning: "Peringatan ke atas", sevHigh: "Tinggi saja", sevInfo: "Info ke atas",
      author: "Nama Anda di WhatsApp (bila perlu)",
      privacy: "Arsip hanya dikirim ke server Saring di komputer ini, diperiksa, lalu dihapus. Tidak ada yang keluar dari komputer Anda.",
      howto: "Cara mengunduh arsip dari tiap platform",
      howX: "X: Setelan dan privasi → Akun Anda → Unduh arsip data Anda → Minta arsip; unduh ZIP-nya saat siap.",
      howFacebook: "Facebook: Pengaturan → Pusat Akun → Informasi dan izin Anda → Unduh informasi Anda; pilih Postingan serta Komentar, Sepanjang waktu, format JSON.",
      howInstagram: "Instagram dan Threads: Profil → ☰ → Pusat Akun → Unduh informasi Anda; pilih Konten, Komentar dan Threads, format JSON.",
      howTiktok: "TikTok: Profil → ☰ → Pengaturan dan privasi → Akun → Unduh data Anda; format JSON, lalu unduh di tab Unduh data.",
      howLinkedin: "LinkedIn: Saya → Pengaturan & Privasi → Privasi data → Dapatkan salinan data Anda; pilih Posts dan Comments.",
      howYoutube: "YouTube: takeout.google.com → hanya YouTube dan YouTube Music → hanya komentar → file .zip.",
      howWhatsapp: "WhatsApp: buka obrolan → ⋮ → Lainnya → Ekspor chat → Tanpa media; kirim berkasnya ke komputer ini. Hanya pesan Anda yang diperiksa.",
      cancel: "Batal", whoAreYou: "Obrolan ini berisi pesan beberapa orang. Pilih nama Anda; hanya pesan Anda yang diperiksa:",
      download: "Unduh laporan HTML", again: "Periksa arsip lain", downloadHint: "Laporan bisa dibuka tanpa internet dan dicetak.",
      uploading: "Mengunggah ke Saring… {0}%", preparing: "Menyiapkan pemeriksa…",
      checking: "Memeriksa… {0} unggahan, {1} perlu perhatian", checkingPct: "Memeriksa… {2}% · {0} unggahan, {1} perlu perhatian",
      done: "Selesai: {0} unggahan diperiksa, {1} perlu perhatian.",
      offline: "Server Saring tidak dapat dihubungi di {0}. Jalankan Saring (saring serve) lalu coba lagi.",
      tooLarge: "Arsip terlalu besar untuk diunggah.", failed: "Pemeriksaan gagal.", cancelled: "Dibatalkan."
    },
    en: {
      title: "Archive check",
      intro: "Check your old posts from a platform's data download (X, Facebook, Instagram/Threads, TikTok, LinkedIn, YouTube, WhatsApp, or CSV/JSONL). Saring shows the posts that need attention so you can clean them up first.",
      dropHere: "Drop the archive here", dropHint: "The platform's .zip file, or one export file (.json, .js, .csv, .txt)",
      choose: "Choose a file…", options: "Check options", since: "From date", until: "Until date",
      minSeverity: "Minimum severity", sevWarning: "Warning and above", sevHigh: "High only", sevInfo: "Info and above",
      author: "Your name in WhatsApp (if needed)",
      privacy: "The archive is sent only to the Saring server on this computer, checked, then deleted. Nothing leaves your computer.",
      howto: "How to download the archive from each platform",
      howX: "X: Settings and privacy → Your account → Download an archive of your data → Request archive; download the ZIP when it is ready.",
      howFacebook: "Facebook: Settings → Accounts Center → Your information and permissions → Download your information; pick Posts and Comments, All time, JSON format.",
      howInstagram: "Instagram and Threads: Profile → ☰ → Accounts Center → Download your information; pick Content, Comments and Threads, JSON format.",
      howTiktok: "TikTok: Profile → ☰ → Settings and privacy → Account → Download your data; JSON format, then download it from the Download data tab.",
      howLinkedin: "LinkedIn: Me → Settings & Privacy → Data privacy → Get a copy of your data; pick Posts and Comments.",
      howYoutube: "YouTube: takeout.google.com → only YouTube and YouTube Music → only comments → .zip file.",
      howWhatsapp: "WhatsApp: open the chat → ⋮ → More → Export chat → Without media; send the file to this computer. Only your own messages are checked.",
      cancel: "Cancel", whoAreYou: "This chat holds several people's messages. Pick your name; only your messages are checked:",
      download: "Download HTML report", again: "Check another archive", downloadHint: "The report opens offline and prints.",
      uploading: "Uploading to Saring… {0}%", preparing: "Preparing the checker…",
      checking: "Checking… {0} posts, {1} need attention", checkingPct: "Checking… {2}% · {0} posts, {1} need attention",
      done: "Done: {0} posts checked, {1} need attention.",
      offline: "The Saring server cannot be reached at {0}. Start Saring (saring serve) and try again.",
      tooLarge: "The archive is too large to upload.", failed: "The check failed.", cancelled: "Cancelled."
    }
  };
  var lang = "id", serverUrl = "http://127.0.0.1:8731";
  var currentFile = null, xhr = null, lastHtml = null;
  var $ = function (id) { return document.getElementById(id); };
  function L(k, args) {
    var s = (T[lang] && T[lang][k]) || T.id[k] || k;
    return String(s).replace(/\{(\d+)\}/g, function (_, i) { return args ? args[+i] : ""; });
  }
  function fmtNum(n) { return Number(n || 0).toLocaleString(lang === "en" ? "en-US" : "id-ID"); }
  function setState(s) { document.body.setAttribute("data-state", s); }
  function show(id, on) { $(id).hidden = !on; }
  function applyText() {
    document.documentElement.lang = lang;
    document.title = L("title") + " — Saring";
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (el) { el.textContent = L(el.getAttribute("data-t")); });
  }
  function error(msg) {
    $("error").textContent = msg;
    show("error", true);
    show("progress", false);
    show("upload", true);
    setState("error");
  }

  function start(file, author) {
    currentFile = file;
    lastHtml = null;
    show("error", false); show("authors", false); show("result", false); show("upload", false); show("progress", true);
    $("report").textContent = "";
    $("fileName").textContent = file.name + " · " + (file.size / 1048576).toFixed(1) + " MB";
    $("bar").value = 0;
    $("status").textContent = L("uploading", [0]);
    setState("uploading");
    var q = ["filename=" + encodeURIComponent(file.name), "locale=" + lang, "min_severity=" + encodeURIComponent($("minSeverity").value)];
    if ($("since").value) q.push("since=" + $("since").value);
    if ($("until").value) q.push("until=" + $("until").value);
    var who = author || $("author").value.trim();
    if (who) q.push("author=" + encodeURIComponent(who));
    var req = new XMLHttpRequest();
    xhr = req;
    var seen = 0, finished = false;
    req.open("POST", serverUrl + "/v1/audit?" + q.join("&"));
    req.setRequestHeader("Content-Type", "application/octet-stream");
    req.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      $("bar").value = (e.loaded / e.total) * 0.3;
      $("status").textContent = L("uploading", [Math.round((e.loaded / e.total) * 100)]);
    };
    function consume() {
      if (req.status !== 200) return;
      var text = req.responseText;
      var nl;
      while ((nl = text.indexOf("\n", seen)) >= 0) {
        var line = text.slice(seen, nl);
        seen = nl + 1;
        if (!line.trim()) continue;
        var msg;
        try { msg = JSON.parse(line); } catch (e) { continue; }
        if (handle(msg)) finished = true;
      }
    }
    req.onprogress = consume;
    req.onload = function () {
      if (xhr !== req) return;
      if (req.status !== 200) {
        var body = null;
        try { body = JSON.parse(req.responseText); } catch (e) { body = null; }
        var m = body && body.error && body.error.message;
        return error(m || (req.status === 413 ? L("tooLarge") : L("failed") + " (HTTP " + req.status + ")"));
      }
      consume();
      if (!finished) error(L("failed"));
    };
    req.onerror = function () { if (xhr === req) error(L("offline", [serverUrl])); };
    req.send(file);
  }

  function handle(msg) {
    if (msg.type === "progress") {
      setState("checking");
      if (msg.phase === "prepare") { $("status").textContent = L("preparing"); $("bar").value = 0.3; return false; }
      var f = typeof msg.fraction === "number" ? msg.fraction : null;
      if (f !== null) $("bar").value = 0.3 + 0.7 * f; else $("bar").removeAttribute("value");
      $("status").textContent = f !== null ? L("checkingPct", [fmtNum(msg.scanned), fmtNum(msg.flagged), Math.round(f * 100)])
        : L("checking", [fmtNum(msg.scanned), fmtNum(msg.flagged)]);
      return false;
    }
    if (msg.type === "error") {
      if (msg.error && msg.error.code === "author_required" && Array.isArray(msg.authors)) { askAuthor(msg.authors); return true; }
      error((msg.error && msg.error.message) || L("failed"));
      return true;
    }
    if (msg.type === "done") { showResult(msg); return true; }
    return false;
  }

  function askAuthor(authors) {
    show("progress", false);
    show("authors", true);
    setState("author");
    var box = $("authorList");
    box.textContent = "";
    authors.forEach(function (name) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = name;
      b.setAttribute("data-author", name);
      b.addEventListener("click", function () { $("author").value = name; start(currentFile, name); });
      box.appendChild(b);
    });
  }

  function showResult(msg) {
    lastHtml = msg.html;
    var r = msg.result;
    $("bar").value = 1;
    $("status").textContent = L("done", [fmtNum(r.posts_scanned), fmtNum(r.posts_flagged)]);
    // The report is the server's own HTML (every user text escaped there); only its <main>
    // is taken, and its behaviour comes from this extension's report.js, not from the file.
    var doc = new DOMParser().parseFromString(msg.html, "text/html");
    var main = doc.getElementById("saring-report");
    var holder = $("report");
    holder.textContent = "";
    if (main) {
      var node = document.importNode(main, true);
      holder.appendChild(node);
      window.SaringReport.init(node);
    }
    show("progress", false);
    show("result", true);
    document.body.setAttribute("data-scanned", String(r.posts_scanned));
    document.body.setAttribute("data-flagged", String(r.posts_flagged));
    setState("done");
  }

  function download() {
    if (!lastHtml) return;
    var blob = new Blob([lastHtml], { type: "text/html;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    var base = (currentFile && currentFile.name || "arsip").replace(/\.[^.]+$/, "").replace(/[^\w.-]+/g, "-");
    a.href = url;
    a.download = "laporan-saring-" + base + ".html";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function wire() {
    var drop = $("drop");
    ["dragenter", "dragover"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      drop.addEventListener(ev, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) start(f);
    });
    // a file dropped next to the box must not make the browser open it instead
    window.addEventListener("dragover", function (e) { e.preventDefault(); });
    window.addEventListener("drop", function (e) { e.preventDefault(); });
    drop.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file").click(); } });
    drop.addEventListener("click", function (e) { if (e.target === drop || e.target.tagName === "P") $("file").click(); });
    $("file").addEventListener("change", function () { var f = $("file").files[0]; if (f) start(f); $("file").value = ""; });
    $("cancel").addEventListener("click", function () {
      if (xhr) { var r = xhr; xhr = null; r.abort(); }
      show("progress", false); show("upload", true);
      $("error").textContent = L("cancelled"); show("error", true);
      setState("idle");
    });
    $("download").addEventListener("click", download);
    $("again").addEventListener("click", function () {
      show("result", false); show("upload", true); show("error", false); $("report").textContent = ""; setState("idle");
    });
  }

  function boot(cfg) {
    if (cfg && cfg.settings) {
      lang = cfg.settings.language === "en" ? "en" : "id";
      if (cfg.settings.serverUrl) serverUrl = String(cfg.settings.serverUrl).replace(/\/+$/, "");
    }
    applyText();
    $("server").textContent = serverUrl.replace(/^https?:\/\//, "");
    wire();
    document.body.setAttribute("data-ready", "1");
  }
  var booted = false;
  function once(c) { if (!booted) { booted = true; boot(c); } }
  setTimeout(function () { once(null); }, 1500);  // no answer: defaults (the server's usual address)
  try {
    api.runtime.sendMessage({ type: "config" }, function (c) { void api.runtime.lastError; once(c || null); });
  } catch (e) {
    once(null);
  }
})();
