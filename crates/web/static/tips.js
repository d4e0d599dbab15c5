// Tip pages: the proof of work before a tip or a receipt is sent (SHA-256
// of token + ":" + nonce with enough leading zero bits, see
// crates/core/src/tips/pow.rs), and the receipt's copy button. Without
// JavaScript the forms still work: the server makes them wait instead.
(function () {
  "use strict";

  function zeroBits(bytes) {
    var n = 0;
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      if (b === 0) { n += 8; continue; }
      for (var m = 0x80; m && !(b & m); m >>= 1) n++;
      break;
    }
    return n;
  }

  async function solve(token, difficulty, progress) {
    var enc = new TextEncoder();
    for (var nonce = 0; ; nonce++) {
      var digest = await crypto.subtle.digest("SHA-256", enc.encode(token + ":" + nonce));
      if (zeroBits(new Uint8Array(digest)) >= difficulty) return nonce;
      if (nonce % 20000 === 0 && nonce > 0) progress(nonce);
    }
  }

  function setup(form) {
    var token = form.querySelector("[data-pow-token]");
    var nonce = form.querySelector("[data-pow-nonce]");
    var status = form.querySelector("[data-pow-progress]");
    var wait = form.querySelector("[data-pow-wait]");
    if (!token || !nonce || !window.crypto || !crypto.subtle || !window.fetch) return;
    if (wait) wait.hidden = true;
    var busy = false;
    form.addEventListener("submit", async function (ev) {
      if (form.dataset.powDone === "1") return;
      ev.preventDefault();
      if (busy) return;
      busy = true;
      var buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      if (status) status.textContent = "Đang chuẩn bị gửi…";
      try {
        var res = await fetch("/api/v1/public/tips/challenge", { cache: "no-store", credentials: "omit" });
        if (!res.ok) throw new Error("challenge");
        var c = await res.json();
        var n = await solve(c.token, c.difficulty, function (tried) {
          if (status) status.textContent = "Đang chuẩn bị gửi… (" + tried.toLocaleString("vi-VN") + " phép thử)";
        });
        token.value = c.token;
        nonce.value = String(n);
        form.dataset.powDone = "1";
        if (status) status.textContent = "Đang gửi…";
        form.submit();
      } catch (e) {
        busy = false;
        buttons.forEach(function (b) { b.disabled = false; });
        if (status) status.textContent = "Không chuẩn bị được việc gửi tự động: xin chờ ít giây rồi bấm gửi lại.";
        form.dataset.powDone = "1";
        if (wait) wait.hidden = false;
      }
    });
  }

  function copy(button) {
    button.hidden = false;
    var done = document.getElementById("tip-copied");
    button.addEventListener("click", async function () {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        if (done) done.textContent = "Đã sao chép mã.";
      } catch (e) {
        var r = document.createRange();
        r.selectNodeContents(document.getElementById("tip-receipt"));
        var s = window.getSelection();
        s.removeAllRanges();
        s.addRange(r);
        if (done) done.textContent = "Mã đã được chọn: bấm giữ để sao chép.";
      }
    });
  }

  // Pictures checked when chosen (the server checks again): too many or
  // too large are said at once, and the choice is cleared.
  function pictures(input) {
    var max = Number(input.dataset.maxFiles), maxMb = Number(input.dataset.maxMb);
    var say = document.getElementById(input.id + "-check");
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      var big = files.filter(function (f) { return f.size > maxMb * 1024 * 1024; });
      var msg = "";
      if (files.length > max) msg = "Chỉ gửi được tối đa " + max + " ảnh mỗi lần: xin chọn lại.";
      else if (big.length) msg = "Ảnh \u201c" + big[0].name + "\u201d lớn hơn " + maxMb + " MB: xin chọn ảnh nhỏ hơn.";
      if (msg) input.value = "";
      if (say) say.textContent = msg;
    });
  }

  function init() {
    document.querySelectorAll("form[data-pow]").forEach(setup);
    document.querySelectorAll("input[type=file][data-max-files]").forEach(pictures);
    var b = document.getElementById("tip-copy");
    if (b) copy(b);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
