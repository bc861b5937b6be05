// The dataset page's behaviour: the claims behind a highlighted span, and filtering and sorting the
// claims table. Plain DOM, no library, works from the file system.
(function () {
  "use strict";
  var panel = document.getElementById("span-panel");
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.span"));
  var pinned = null;

  function claimRow(id) { return document.getElementById("claim-" + id); }

  function highlight(ids) {
    marks.forEach(function (m) {
      var mine = m.getAttribute("data-claims").split(" ");
      m.classList.toggle("active", ids.some(function (id) { return mine.indexOf(id) >= 0; }));
    });
  }

  function show(ids, head) {
    panel.querySelector(".panel-head").textContent = head;
    var list = panel.querySelector(".panel-claims");
    list.textContent = "";
    ids.forEach(function (id) {
      var row = claimRow(id);
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#claim-" + id;
      a.className = "panel-claim";
      a.setAttribute("data-claim", id);
      a.textContent = row ? row.getAttribute("data-label") : id;
      li.appendChild(a);
      if (row && row.getAttribute("data-hedged") === "true") {
        li.appendChild(document.createTextNode(" (hedged)"));
      }
      list.appendChild(li);
    });
    panel.hidden = false;
  }

  function showMark(m) {
    var ids = m.getAttribute("data-claims").split(" ");
    show(ids, "This passage supports " + ids.length + (ids.length === 1 ? " claim:" : " claims:"));
  }

  marks.forEach(function (m) {
    m.addEventListener("mouseenter", function () { if (!pinned) { showMark(m); } });
    m.addEventListener("focus", function () { showMark(m); });
    m.addEventListener("click", function () {
      pinned = m;
      showMark(m);
      highlight(m.getAttribute("data-claims").split(" "));
    });
    m.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); m.click(); }
    });
  });

  panel.querySelector(".panel-close").addEventListener("click", function () {
    panel.hidden = true;
    pinned = null;
    highlight([]);
  });

  // "show in text" (#q-ID): light up every piece of that claim's span.
  function fromHash() {
    var hash = decodeURIComponent(location.hash || "");
    if (hash.indexOf("#q-") === 0) {
      var id = hash.slice(3);
      highlight([id]);
      pinned = null;
      show([id], "The claim resting on the highlighted words:");
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();

  // Claims table: filter by text and by hedge, sort by a column.
  var table = document.getElementById("claims-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("claim-filter");
  var onlyHedged = document.getElementById("only-hedged");
  var count = document.getElementById("claim-count");

  function applyFilter() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
        (!onlyHedged.checked || row.getAttribute("data-hedged") === "true");
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " claims";
  }
  filter.addEventListener("input", applyFilter);
  onlyHedged.addEventListener("change", applyFilter);

  Array.prototype.forEach.call(table.querySelectorAll("button.sort"), function (button) {
    button.addEventListener("click", function () {
      var col = Number(button.getAttribute("data-col"));
      var dir = button.getAttribute("data-dir") === "asc" ? "desc" : "asc";
      Array.prototype.forEach.call(table.querySelectorAll("button.sort"), function (b) { b.removeAttribute("data-dir"); });
      button.setAttribute("data-dir", dir);
      function key(row) {
        var cell = row.cells[col];
        return (cell.getAttribute("data-sort") || cell.textContent).trim().toLowerCase();
      }
      rows.sort(function (a, b) {
        var ka = key(a), kb = key(b);
        var c = ka < kb ? -1 : ka > kb ? 1 : Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
        return dir === "asc" ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
