// county-records site: sorting and filtering of the index table. The table reads fine without this script;
// it only adds controls. No code from elsewhere, nothing fetched.
(function () {
  "use strict";
  var table = document.getElementById("records");
  var tools = document.getElementById("records-tools");
  if (!table || !tools) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("records-filter");
  var province = document.getElementById("records-province");
  var withFigures = document.getElementById("records-with-figures");
  var count = document.getElementById("records-count");
  tools.hidden = false;

  function cellValue(row, column, numeric) {
    var cell = row.cells[column];
    var value = cell.getAttribute("data-value");
    if (value === null) { value = cell.textContent.trim(); }
    return numeric ? parseFloat(value) || 0 : value.toLowerCase();
  }

  function apply() {
    var words = filter.value.trim().toLowerCase();
    var chosen = province.value;
    var shown = 0;
    rows.forEach(function (row) {
      var visible = (!words || row.textContent.toLowerCase().indexOf(words) !== -1) &&
        (!chosen || row.cells[1].textContent.trim() === chosen) &&
        (!withFigures.checked || row.getAttribute("data-figures") !== "0");
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " records shown";
  }

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (header, column) {
    var kind = header.getAttribute("data-sort");
    if (!kind) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (header.firstChild) { button.appendChild(header.firstChild); }
    header.appendChild(button);
    header.setAttribute("aria-sort", "none");
    button.addEventListener("click", function () {
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { if (other.hasAttribute("aria-sort")) { other.setAttribute("aria-sort", "none"); } });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = kind === "number";
      rows.sort(function (a, b) {
        var x = cellValue(a, column, numeric), y = cellValue(b, column, numeric);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  filter.addEventListener("input", apply);
  province.addEventListener("change", apply);
  withFigures.addEventListener("change", apply);
  apply();
})();
