// The report entry page: autosave, keeping typed values in the browser, qualifiers.
//
// - Typing "hơn 300", "khoảng 2.000", "gần 50" sets the qualifier at once
//   (the server reads the same words when it saves).
// - Every typed field is kept in sessionStorage until it is saved, so a
//   session that ends while typing loses nothing: the page says so, links
//   to the login, and puts the entries back (and saves them) after it.
// - After each autosave, the cells the server could not save are marked
//   (aria-invalid and a message under the cell); the others are cleared.
// - Only a real save (2xx) lets the saved fields leave the store; a refused
//   save (409: the report was sent up meanwhile, 422) shows its message and
//   keeps them. The store is kept per user: another user who logs in in the
//   same tab never gets them back.
// - Offline: the unsaved fields are sent again when the connection is back
//   or the page is shown again.
"use strict";
(function () {
  const PREFIX = "antq-entry:";
  const QUALIFIERS = [
    ["hon ", "more_than"],
    ["tren ", "more_than"],
    ["gan ", "nearly"],
    ["khoang ", "about"],
  ];

  function fold(s) {
    return s
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trimStart();
  }

  function keyOf(input) {
    return input.name.slice(2);
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function storageKey() {
    return PREFIX + location.pathname;
  }

  function readStore() {
    try {
      return JSON.parse(sessionStorage.getItem(storageKey()) || "null");
    } catch (_) {
      return null;
    }
  }

  function fieldsOf(form) {
    const fields = {};
    for (const el of form.elements) {
      if (el.name && /^[vqc]:/.test(el.name)) fields[el.name] = el.value;
    }
    return fields;
  }

  function putStore(record) {
    try {
      sessionStorage.setItem(storageKey(), JSON.stringify(record));
    } catch (_) {
      /* storage full or disabled: the autosave still runs */
    }
  }

  function writeStore(form, reason) {
    const old = readStore();
    // A session that ended stays the reason until the entries are saved.
    const keep = old && old.reason === "expired" && reason === "typing";
    putStore({ user: form.dataset.user || "", reason: keep ? "expired" : reason, fields: fieldsOf(form) });
  }

  function clearStore() {
    try {
      sessionStorage.removeItem(storageKey());
    } catch (_) {
      /* nothing kept */
    }
  }

  // The qualifier control follows the words typed before the number.
  function followQualifier(form, input) {
    const select = byId("q-" + keyOf(input));
    if (!select) return;
    const text = fold(input.value);
    let found = null;
    for (const [word, q] of QUALIFIERS) {
      if (text.startsWith(word)) found = q;
    }
    if (found) {
      select.value = found;
      select.dataset.auto = "1";
    } else if (select.dataset.auto === "1") {
      select.value = "exact";
      delete select.dataset.auto;
    }
    showQualifier(form, select);
  }

  function showQualifier(form, select) {
    const row = select.closest(".entry-row");
    const word = row && row.querySelector(".entry-q-word");
    if (!word) return;
    const label = form.dataset["q-" + select.value] || form.getAttribute("data-q-" + select.value) || "";
    word.textContent = select.value === "exact" ? "" : " · " + label;
  }

  // Mark the cells named by the checks panel; clear every other cell.
  function markCells(form) {
    const panel = byId("validation");
    if (!panel) return;
    const messages = new Map();
    for (const li of panel.querySelectorAll("li.error[data-keys]")) {
      for (const key of li.dataset.keys.split(/\s+/)) {
        if (key && !messages.has(key)) messages.set(key, li.textContent.trim());
      }
    }
    for (const input of form.querySelectorAll("input[name^='v:']")) {
      const key = keyOf(input);
      const msg = messages.get(key);
      const note = byId("e-" + key);
      const row = input.closest(".entry-row");
      if (msg) {
        input.setAttribute("aria-invalid", "true");
        if (note) note.textContent = msg;
        if (row) row.classList.add("invalid");
      } else {
        input.removeAttribute("aria-invalid");
        if (note) note.textContent = "";
        if (row) row.classList.remove("invalid");
      }
    }
  }

  function showSession(form, text, withLink) {
    const box = byId("entry-session");
    if (!box) return;
    box.textContent = text + " ";
    if (withLink) {
      const a = document.createElement("a");
      a.href = form.dataset.login || "/dang-nhap?next=" + encodeURIComponent(location.pathname);
      a.id = "login-again";
      a.textContent = form.dataset.loginAgain || "Đăng nhập lại";
      box.appendChild(a);
    }
    box.hidden = false;
  }

  function hideSession() {
    const box = byId("entry-session");
    if (box && !box.classList.contains("entry-restored")) box.hidden = true;
  }

  // After a login (or a form post the session refused): put the entries back and save them.
  function restore(form) {
    const kept = readStore();
    if (!kept || !kept.fields) return;
    // Typed by someone else in this tab (a shared computer): never theirs to save.
    if (!kept.user || kept.user !== (form.dataset.user || "")) {
      clearStore();
      return;
    }
    const fromLogin = document.referrer.indexOf("/dang-nhap") !== -1;
    if (kept.reason !== "expired" && !fromLogin) {
      clearStore();
      return;
    }
    let changed = 0;
    for (const [name, value] of Object.entries(kept.fields)) {
      const el = form.elements.namedItem(name);
      if (!el || el.value === value) continue;
      el.value = value;
      if (name.startsWith("v:")) changed += 1;
      if (name.startsWith("q:")) showQualifier(form, el);
      if (name.startsWith("c:") || (name.startsWith("q:") && value !== "exact")) {
        const more = el.closest("details");
        if (more) more.open = true;
      }
    }
    writeStore(form, "restored");
    if (changed > 0) {
      const box = byId("entry-session");
      if (box) {
        box.textContent = (form.dataset.restored || "").replace("{n}", String(changed));
        box.className = "flash entry-restored";
        box.setAttribute("role", "status");
        box.hidden = false;
      }
    }
    // Save at once (htmx has set up the form by now).
    setTimeout(function () {
      form.dispatchEvent(new Event("change", { bubbles: true }));
    }, 50);
  }

  function init() {
    const form = byId("entry-form");
    if (!form) return;

    form.addEventListener("input", function (e) {
      const t = e.target;
      if (t.name && t.name.startsWith("v:")) followQualifier(form, t);
      writeStore(form, "typing");
    });
    form.addEventListener("change", function (e) {
      const t = e.target;
      if (t.name && t.name.startsWith("q:")) {
        delete t.dataset.auto;
        showQualifier(form, t);
      }
    });
    // A plain post (Lưu nháp, Enter, Gửi lên cấp trên): keep the entries in
    // case the session has ended and the post leads to the login page.
    form.addEventListener("submit", function () {
      writeStore(form, "submit");
    });

    // What each autosave sent, so that only those values leave the store.
    let sent = null;
    // Why the last autosave failed ("offline" is retried).
    let failed = null;
    document.body.addEventListener("htmx:beforeRequest", function (e) {
      if (e.detail.elt === form) sent = fieldsOf(form);
    });
    // A refused save (409, 422) carries its message: swap it in, not an error.
    document.body.addEventListener("htmx:beforeSwap", function (e) {
      const cfg = e.detail.requestConfig;
      if (!cfg || cfg.elt !== form || !e.detail.xhr) return;
      const status = e.detail.xhr.status;
      if (status === 409 || status === 422) {
        e.detail.shouldSwap = true;
        e.detail.isError = false;
      }
    });
    document.body.addEventListener("htmx:afterRequest", function (e) {
      if (e.detail.elt !== form) return;
      const xhr = e.detail.xhr;
      const status = xhr ? xhr.status : 0;
      if (status < 200 || status >= 300) {
        if (status === 409 || status === 422) {
          failed = "refused";
          writeStore(form, "refused");
        }
        return;
      }
      failed = null;
      hideSession();
      // The cells the server could not save stay in the store.
      let unsaved = [];
      try {
        const doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
        const panel = doc.getElementById("validation");
        unsaved = ((panel && panel.dataset.unsaved) || "").split(/\s+/).filter(Boolean);
      } catch (_) {
        unsaved = [];
      }
      const kept = readStore();
      if (!kept || !kept.fields) return;
      const fields = {};
      for (const [name, value] of Object.entries(kept.fields)) {
        const wasSent = sent && Object.prototype.hasOwnProperty.call(sent, name) && sent[name] === value;
        if (!wasSent || unsaved.indexOf(name.slice(2)) !== -1) fields[name] = value;
      }
      if (Object.keys(fields).length === 0) {
        clearStore();
      } else {
        kept.fields = fields;
        putStore(kept);
      }
    });
    document.body.addEventListener("htmx:afterSwap", function (e) {
      if (e.detail.target && e.detail.target.id === "validation") markCells(form);
    });
    document.body.addEventListener("htmx:afterSettle", function () {
      markCells(form);
    });
    document.body.addEventListener("htmx:responseError", function (e) {
      if (e.detail.elt !== form) return;
      if (e.detail.xhr && e.detail.xhr.status === 401) {
        failed = "expired";
        writeStore(form, "expired");
        showSession(form, form.dataset.expired || "Phiên đăng nhập đã hết.", true);
      } else {
        failed = "offline";
        writeStore(form, "expired");
        showSession(form, form.dataset.offline || "", false);
      }
    });
    document.body.addEventListener("htmx:sendError", function (e) {
      if (e.detail.elt !== form) return;
      failed = "offline";
      writeStore(form, "expired");
      showSession(form, form.dataset.offline || "", false);
    });
    // Back online, or the page shown again: send the unsaved fields again.
    function retry() {
      if (failed !== "offline") return;
      const kept = readStore();
      if (!kept || !kept.fields || Object.keys(kept.fields).length === 0) return;
      form.dispatchEvent(new Event("change", { bubbles: true }));
    }
    window.addEventListener("online", retry);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") retry();
    });

    for (const select of form.querySelectorAll("select[name^='q:']")) showQualifier(form, select);
    restore(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
