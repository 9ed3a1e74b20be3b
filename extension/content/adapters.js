/* Saring — platform adapters.
 *
 * One small adapter per platform: which elements are its compose boxes, which are its
 * publish/send buttons, and which key sends. Markup changes often on these sites, so every
 * adapter falls back to the generic rules: any <textarea> or contenteditable is a compose box,
 * and a button whose label reads like "Post"/"Kirim"/"Send"/… that belongs to that box (same
 * form, dialog or post, close by, no other box in between) is its publish button.
 * Adapters only read the page; they never change it.
 */
(function (root) {
  "use strict";
  var NS = root.SaringCS = root.SaringCS || {};

  var PUBLISH_WORDS = /^(post|posting|posted|kirim|kirimkan|send|share|bagikan|tweet|post all|posting semua|reply|balas|comment|komentar|komentari|unggah|publish|terbitkan|tweet all)$/i;
  var BUTTON_SEL = 'button, [role="button"], input[type="submit"]';

  function isMod(e) { return e.ctrlKey || e.metaKey; }
  function isEnter(e) { return e.key === "Enter" || e.keyCode === 13; }
  function plainEnter(e) { return isEnter(e) && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey; }
  function modEnter(e) { return isEnter(e) && isMod(e) && !e.shiftKey && !e.altKey; }

  function label(el) {
    var s = el.getAttribute("aria-label") || el.getAttribute("value") || el.textContent || "";
    return s.replace(/\s+/g, " ").trim();
  }

  function ariaOf(editor) {
    return ((editor.getAttribute("aria-label") || "") + " " + (editor.getAttribute("aria-placeholder") || "") +
      " " + (editor.getAttribute("placeholder") || "")).toLowerCase();
  }
  var COMMENT_OR_CHAT = /comment|komentar|balas|reply|message|pesan|chat|tulis pesan|ketik pesan|type a message/;

  var ADAPTERS = {
    facebook: {
      editors: ['[data-lexical-editor="true"]', 'div[role="textbox"][contenteditable="true"]', "textarea"],
      publish: ['[aria-label="Post"]', '[aria-label="Posting"]', '[aria-label="Kirim"]', '[aria-label="Send"]',
        '[aria-label="Press enter to send"]',
        '[aria-label="Tekan enter untuk mengirim"]', '[data-testid="react-composer-post-button"]'],
      // Comment boxes and Messenger send with Enter; the post composer does not.
      sendKey: function (e, editor) { return plainEnter(e) && COMMENT_OR_CHAT.test(ariaOf(editor)); }
    },
    instagram: {
      editors: ['textarea', '[contenteditable="true"][role="textbox"]', '[data-lexical-editor="true"]'],
      publish: ['[role="button"]', 'button[type="submit"]'],
      publishLabel: /^(post|posting|kirim|send|share|bagikan)$/i,
      sendKey: function (e, editor) { return plainEnter(e) && (editor.tagName === "TEXTAREA" || COMMENT_OR_CHAT.test(ariaOf(editor))); }
    },
    x: {
      editors: ['[data-testid^="tweetTextarea_"] [contenteditable="true"]', '.public-DraftEditor-content',
        '[data-testid="dmComposerTextInput"]'],
      publish: ['[data-testid="tweetButtonInline"]', '[data-testid="tweetButton"]', '[data-testid="dmComposerSendButton"]'],
      sendKey: function (e, editor) {
        if (editor.closest && editor.closest('[data-testid="dmComposerTextInput"]')) return plainEnter(e);
        return modEnter(e);
      }
    },
    linkedin: {
      editors: ['.ql-editor[contenteditable="true"]', '.msg-form__contenteditable', '[contenteditable="true"][role="textbox"]'],
      publish: ['.share-actions__primary-action', '.comments-comment-box__submit-button',
        '.comments-comment-box__submit-button--cr', '.msg-form__send-button', '[data-test-share-button]'],
      sendKey: function (e) { return modEnter(e); }
    },
    tiktok: {
      editors: ['[data-e2e="comment-input"] [contenteditable="true"]', '.public-DraftEditor-content', '[contenteditable="true"]'],
      publish: ['[data-e2e="comment-post"]', '[data-e2e="comment-reply-post"]'],
      sendKey: function (e) { return plainEnter(e); }
    },
    threads: {
      editors: ['[data-lexical-editor="true"]', '[contenteditable="true"][role="textbox"]'],
      publish: ['[role="button"]', 'button'],
      publishLabel: /^(post|posting|kirim|balas|reply)$/i,
      sendKey: function (e) { return modEnter(e); }
    },
    youtube: {
      editors: ['#contenteditable-root[contenteditable]', 'ytd-commentbox [contenteditable]', '#contenteditable-textarea', 'textarea'],
      publish: ['#submit-button', 'ytd-commentbox #submit-button button', 'ytd-backstage-post-dialog-renderer #submit-button',
        '[aria-label="Comment"]', '[aria-label="Komentar"]', '[aria-label="Post"]', '[aria-label="Posting"]'],
      sendKey: function () { return false; }
    },
    whatsapp: {
      editors: ['footer [contenteditable="true"]', '#main [contenteditable="true"][role="textbox"]', '[contenteditable="true"][data-tab]'],
      publish: ['button[aria-label="Send"]', 'button[aria-label="Kirim"]', '[data-icon="send"]', '[data-icon="wds-ic-send-filled"]',
        '[data-testid="send"]', '[aria-label="Send"]', '[aria-label="Kirim"]'],
      sendKey: function (e) { return plainEnter(e); }
    }
  };

  var GENERIC = { editors: ["textarea", "[contenteditable]"], publish: [], sendKey: function () { return false; } };

  function forSite(siteId) {
    var a = ADAPTERS[siteId] || GENERIC;
    a.id = siteId || "web";
    a.publishSelector = a.publish.join(", ");
    return a;
  }

  /** The editable root for an element that received focus or input, or null. */
  function editableRoot(el) {
    if (!el || el.nodeType !== 1) return null;
    if (el.closest && el.closest("[data-saring]")) return null;
    if (el.tagName === "TEXTAREA") {
      if (el.readOnly || el.disabled) return null;
      return el;
    }
    if (!el.isContentEditable) return null;
    var r = el;
    while (r.parentElement && r.parentElement.isContentEditable) r = r.parentElement;
    if (r.getAttribute("data-saring-ignore") !== null) return null; // a page may opt a field out
    return r;
  }

  /** Is `target` inside something this adapter treats as a publish button? Returns the button. */
  function publishButton(adapter, target) {
    if (!target || !target.closest) return null;
    if (target.closest("[data-saring]")) return null;
    var btn = null;
    if (adapter.publishSelector) {
      var cand = target.closest(adapter.publishSelector);
      if (cand) {
        if (adapter.publishLabel) {
          if (adapter.publishLabel.test(label(cand))) btn = cand;
        } else {
          btn = cand;
        }
      }
    }
    if (!btn) {
      var b = target.closest(BUTTON_SEL);
      if (b && b.getAttribute("aria-disabled") !== "true" && !b.disabled) {
        var l = label(b);
        if (l.length <= 24 && PUBLISH_WORDS.test(l)) btn = b;
      }
    }
    if (btn && (btn.disabled || btn.getAttribute("aria-disabled") === "true")) return null;
    return btn;
  }

  function depth(n) { var d = 0; while (n) { d++; n = n.parentNode; } return d; }
  function commonAncestor(a, b) {
    var r = document.createRange();
    try { r.setStartBefore(a); r.setEndAfter(b); } catch (e) { return null; }
    if (r.collapsed) { try { r.setStartBefore(b); r.setEndAfter(a); } catch (e2) { return null; } }
    return r.commonAncestorContainer;
  }

  /** Buttons a browser activates itself on Enter/Space (with a trusted click). */
  function nativelyActivated(btn) {
    return btn.tagName === "BUTTON" || (btn.tagName === "INPUT" && /^(submit|button)$/i.test(btn.type));
  }

  // Containers that hold one compose box with its own buttons, and posts in a feed.
  var COMPOSE_CONTAINER = 'form, dialog, [role="dialog"], [role="form"]';
  var POST_CONTAINER = 'article, [role="article"]';
  var EDITABLE_SEL = 'textarea, [contenteditable=""], [contenteditable="true"], [contenteditable="plaintext-only"]';
  var MAX_LEVELS = 8;

  /** Does `button` belong to compose box `ed`? Not when it sits in a post, a dialog or a form
   * that does not hold the box, nor (for buttons found by their label) when it is far from the
   * box or shares its container with another compose box. `ca` is their common ancestor. */
  function belongs(adapter, ed, button, ca) {
    if (!ca || ca === document || ca === document.documentElement || ca === document.body) return false;
    var post = button.closest(POST_CONTAINER);
    if (post && !post.contains(ed)) return false;
    var box = ed.closest(COMPOSE_CONTAINER);
    if (box && !box.contains(button)) return false;
    if (adapter.publishSelector && !adapter.publishLabel && button.matches(adapter.publishSelector)) return true;
    var levels = 0;
    for (var n = ed; n && n !== ca; n = n.parentNode) levels++;
    if (levels > MAX_LEVELS) return false;
    var others = ca.querySelectorAll(EDITABLE_SEL);
    for (var i = 0; i < others.length; i++) {
      var r = editableRoot(others[i]);
      if (r && r !== ed) return false;
    }
    return true;
  }

  /** The compose box a publish button belongs to: among the boxes it belongs to, the one
   * sharing the deepest ancestor with it; null when it belongs to none. */
  function editorForButton(adapter, button, candidates) {
    var best = null, bestDepth = -1;
    candidates.forEach(function (ed) {
      if (!ed.isConnected) return;
      var ca = commonAncestor(ed, button);
      if (!belongs(adapter, ed, button, ca)) return;
      var d = depth(ca);
      if (d > bestDepth) { best = ed; bestDepth = d; }
    });
    return best;
  }

  NS.adapters = {
    forSite: forSite,
    editableRoot: editableRoot,
    publishButton: publishButton,
    editorForButton: editorForButton,
    nativelyActivated: nativelyActivated,
    plainEnter: plainEnter,
    modEnter: modEnter
  };
})(typeof globalThis !== "undefined" ? globalThis : self);
