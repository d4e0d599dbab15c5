// Suggestions while typing in "Tìm kiếm văn bản": fills the search box's
// <datalist> from /api/v1/public/search/suggest. The form works without it.
(function () {
  var input = document.querySelector('input[data-suggest]');
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.getAttribute('list'));
  var timer = null;
  var last = '';
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) return;
      last = q;
      fetch(input.getAttribute('data-suggest') + '?q=' + encodeURIComponent(q), {
        headers: { Accept: 'application/json' }
      })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (d) {
          while (list.firstChild) list.removeChild(list.firstChild);
          (d.items || []).forEach(function (s) {
            var o = document.createElement('option');
            o.value = s.title;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
