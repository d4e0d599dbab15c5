// The unit picker: a type-ahead by name over the unit search.
// Each `[data-picker]` (templates/units/picker.html) becomes an ARIA 1.2
// combobox: typing asks /don-vi/chon for options (accent-insensitive), the
// arrows move through them, Enter or a click picks one; the hidden
// `{name}_pick` field then holds its code. Without this script the text
// field alone is sent and the server resolves a code or an exact name.
"use strict";
(function () {
  function setup(root) {
    const input = root.querySelector("[data-picker-input]");
    const code = root.querySelector("[data-picker-code]");
    const hint = root.querySelector("[data-picker-hint]");
    const list = root.querySelector("[data-picker-list]");
    if (!input || !code || !list || root.dataset.pickerReady) return;
    root.dataset.pickerReady = "1";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    let timer = null;
    let seq = 0;
    let active = -1;
    const status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    root.appendChild(status);

    const options = () => Array.from(list.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(i) {
      const all = options();
      if (all.length === 0) return;
      active = (i + all.length) % all.length;
      all.forEach((o, n) => o.setAttribute("aria-selected", n === active ? "true" : "false"));
      const o = all[active];
      input.setAttribute("aria-activedescendant", o.id);
      o.scrollIntoView({ block: "nearest" });
    }
    function choose(o) {
      input.value = o.dataset.name;
      code.value = o.dataset.code;
      if (hint) {
        const ctx = o.dataset.context;
        const word = root.dataset.wordCode || "mã";
        const label = ctx ? ctx + " · " + word : word.charAt(0).toUpperCase() + word.slice(1);
        hint.textContent = label + " " + o.dataset.code;
      }
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    async function search() {
      const q = input.value.trim();
      const mine = ++seq;
      if (q === "") {
        list.innerHTML = "";
        close();
        return;
      }
      const params = new URLSearchParams({ q: q, id: input.id });
      if (root.dataset.at) params.set("at", root.dataset.at);
      let res;
      try {
        res = await fetch("/don-vi/chon?" + params.toString(), { credentials: "same-origin" });
      } catch (e) {
        return;
      }
      if (mine !== seq || !res.ok) return;
      list.innerHTML = await res.text();
      active = -1;
      input.removeAttribute("aria-activedescendant");
      const n = options().length;
      status.textContent = n === 0 ? root.dataset.wordNone : n + " " + root.dataset.wordUnits;
      open();
    }
    input.addEventListener("input", () => {
      code.value = "";
      if (hint) hint.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (list.hidden) {
          if (options().length === 0) return;
          open();
        }
        highlight(e.key === "ArrowDown" ? active + 1 : active - 1);
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0) {
          e.preventDefault();
          choose(options()[active]);
        }
      } else if (e.key === "Escape") {
        if (!list.hidden) {
          e.preventDefault();
          close();
        }
      }
    });
    // A press on an option keeps the focus in the field, so blur does not close first.
    list.addEventListener("mousedown", (e) => e.preventDefault());
    list.addEventListener("click", (e) => {
      const o = e.target.closest('[role="option"]');
      if (o && o.getAttribute("aria-disabled") !== "true") choose(o);
    });
    input.addEventListener("blur", () => close());
  }

  function all(scope) {
    scope.querySelectorAll("[data-picker]").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => all(document));
  } else {
    all(document);
  }
  document.addEventListener("htmx:afterSwap", (e) => all(e.target));
})();
