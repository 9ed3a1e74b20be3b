/* Saring — reading a compose box's text and mapping offsets back to the screen.
 *
 * Only reads the page: text nodes are walked, never changed. Offsets are UTF-16 code units
 * (JavaScript string indices), matching the server's start_utf16/end_utf16.
 */
(function (root) {
  "use strict";
  var NS = root.SaringCS = root.SaringCS || {};

  var BLOCK = {
    P: 1, DIV: 1, LI: 1, UL: 1, OL: 1, H1: 1, H2: 1, H3: 1, H4: 1, H5: 1, H6: 1,
    BLOCKQUOTE: 1, PRE: 1, TR: 1, TABLE: 1, SECTION: 1, ARTICLE: 1, HEADER: 1, FOOTER: 1, FIGURE: 1
  };
  var SKIP = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, NOSCRIPT: 1 };

  /** Text of a contenteditable root plus the text-node segments that make it up.
   * Blocks are separated by "\n"; <br> is "\n". */
  function readEditable(rootEl) {
    var parts = [];
    var segs = [];          // {node, start, len}
    var len = 0;
    var pendingNL = false;
    var lastChar = "";

    function push(s) {
      parts.push(s);
      len += s.length;
      lastChar = s.charAt(s.length - 1);
    }
    function flushNL() {
      if (pendingNL && len > 0 && lastChar !== "\n") push("\n");
      pendingNL = false;
    }
    function walk(node) {
      for (var c = node.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) {
          var d = c.data;
          if (!d.length) continue;
          flushNL();
          segs.push({ node: c, start: len, len: d.length });
          push(d);
        } else if (c.nodeType === 1) {
          var tag = c.tagName;
          if (SKIP[tag] || (c.hasAttribute && c.hasAttribute("data-saring"))) continue;
          if (tag === "BR") {
            // a line break, or the placeholder that keeps an empty block one line high
            flushNL();
            push("\n");
            continue;
          }
          if (tag === "IMG") {
            var alt = c.getAttribute("alt");
            if (alt) { flushNL(); push(alt); }   // emoji drawn as images (some platforms)
            continue;
          }
          var block = BLOCK[tag] === 1;
          if (block) { if (len > 0) pendingNL = true; }
          walk(c);
          if (block) pendingNL = true;
        }
      }
    }
    walk(rootEl);
    return { text: parts.join(""), segs: segs };
  }

  // Binary search: the segment holding offset `off`. `isEnd` prefers the segment ending there.
  function pointAt(segs, off, isEnd) {
    var lo = 0, hi = segs.length - 1, best = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (segs[mid].start <= off) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return segs.length ? { node: segs[0].node, offset: 0 } : null;
    var s = segs[best];
    if (isEnd && off === s.start && best > 0) { s = segs[best - 1]; return { node: s.node, offset: s.len }; }
    var o = Math.min(off - s.start, s.len);
    if (!isEnd && o === s.len && best + 1 < segs.length) { s = segs[best + 1]; return { node: s.node, offset: 0 }; }
    return { node: s.node, offset: o };
  }

  /** A DOM Range over [start, end) of a readEditable() result, or null. */
  function rangeFor(read, start, end) {
    if (!read.segs.length || end <= start) return null;
    var a = pointAt(read.segs, start, false), b = pointAt(read.segs, end, true);
    if (!a || !b) return null;
    var r = document.createRange();
    try {
      r.setStart(a.node, a.offset);
      r.setEnd(b.node, b.offset);
    } catch (e) { return null; }
    return r;
  }

  /* ---- textarea: a mirror element with the same box and font ---- */
  var MIRROR_PROPS = [
    "boxSizing", "width", "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth",
    "borderTopStyle", "borderRightStyle", "borderBottomStyle", "borderLeftStyle",
    "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
    "fontStyle", "fontVariant", "fontWeight", "fontStretch", "fontSize", "fontSizeAdjust", "lineHeight", "fontFamily",
    "fontFeatureSettings", "fontKerning", "textAlign", "textTransform", "textIndent", "letterSpacing", "wordSpacing",
    "tabSize", "MozTabSize", "direction", "writingMode", "whiteSpace", "wordBreak", "overflowWrap", "hyphens"
  ];

  function Mirror(container) {
    this.el = document.createElement("div");
    this.el.setAttribute("aria-hidden", "true");
    this.el.style.cssText = "position:absolute;top:0;left:-99999px;visibility:hidden;overflow:hidden;pointer-events:none;";
    this.text = document.createTextNode("");
    this.el.appendChild(this.text);
    container.appendChild(this.el);
    this.styleKey = "";
  }
  Mirror.prototype.sync = function (ta, text, upto) {
    // Reading ~40 computed properties is the costly part: do it only when the box changed size
    // or every few seconds (a class change may restyle the field), not on every keystroke.
    var w = ta.clientWidth, h = ta.clientHeight, now = performance.now();
    if (w !== this.w || h !== this.h || ta !== this.ta || now - this.styledAt > 2000) {
      this.w = w; this.h = h; this.ta = ta; this.styledAt = now;
      var cs = getComputedStyle(ta);
      var key = "";
      for (var i = 0; i < MIRROR_PROPS.length; i++) key += cs[MIRROR_PROPS[i]] + "|";
      key += w;
      this.bl = parseFloat(cs.borderLeftWidth) || 0;
      this.bt = parseFloat(cs.borderTopWidth) || 0;
      if (key !== this.styleKey) {
        this.styleKey = key;
        var st = this.el.style;
        for (var j = 0; j < MIRROR_PROPS.length; j++) st[MIRROR_PROPS[j]] = cs[MIRROR_PROPS[j]];
        st.whiteSpace = "pre-wrap";
        st.overflowWrap = cs.overflowWrap === "normal" && cs.wordWrap !== "break-word" ? "break-word" : cs.overflowWrap;
        st.boxSizing = "content-box";
        var pl = parseFloat(cs.paddingLeft) || 0, pr = parseFloat(cs.paddingRight) || 0;
        st.width = Math.max(0, w - pl - pr) + "px";
        st.height = "auto";
      }
    }
    // Only the text up to the last finding (and the rest of its line, which decides where that
    // line wraps) is copied: text after it cannot move it. Typing further on, after a long
    // paste, then leaves the mirror as it is, and the browser has nothing to lay out again.
    var v = text === undefined ? ta.value : text;
    if (upto !== undefined && upto < v.length) {
      var nl = v.indexOf("\n", upto);
      var cut = nl < 0 ? v.length : nl;
      if (cut - upto > 400) cut = upto + 400;
      v = v.slice(0, cut);
    }
    if (this.text.data !== v) this.text.data = v;
  };
  /** Viewport rects of [start,end) in textarea `ta` (call sync() first). */
  Mirror.prototype.rects = function (ta, start, end, tr) {
    var n = this.text, len = n.data.length;
    if (end > len) end = len;
    if (start >= end) return [];
    var r = document.createRange();
    r.setStart(n, start);
    r.setEnd(n, end);
    var mr = this.el.getBoundingClientRect();
    tr = tr || ta.getBoundingClientRect();
    // the mirror has the same borders and padding as the field
    var dx = tr.left - mr.left - ta.scrollLeft;
    var dy = tr.top - mr.top - ta.scrollTop;
    var out = [];
    var list = r.getClientRects();
    for (var i = 0; i < list.length; i++) {
      var q = list[i];
      if (q.width < 0.5) continue;
      out.push({ left: q.left + dx, top: q.top + dy, width: q.width, height: q.height });
    }
    return out;
  };

  /** Changed region between two strings: length of common prefix and suffix. */
  function diff(a, b) {
    var n = Math.min(a.length, b.length), p = 0;
    while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
    var s = 0;
    while (s < n - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
    return { prefix: p, suffix: s, delta: b.length - a.length, oldLen: a.length };
  }

  /** Move finding offsets from `oldText` to `newText`; findings touched by the edit are dropped. */
  function shiftFindings(findings, oldText, newText) {
    if (oldText === newText) return findings;
    var d = diff(oldText, newText);
    var changedEnd = d.oldLen - d.suffix; // end of the changed region in the old text
    var out = [];
    for (var i = 0; i < findings.length; i++) {
      var f = findings[i];
      if (f.e <= d.prefix) out.push(f);
      else if (f.s >= changedEnd) out.push(Object.assign({}, f, { s: f.s + d.delta, e: f.e + d.delta }));
    }
    return out;
  }

  NS.text = {
    readEditable: readEditable,
    rangeFor: rangeFor,
    Mirror: Mirror,
    diff: diff,
    shiftFindings: shiftFindings
  };
})(typeof globalThis !== "undefined" ? globalThis : self);
