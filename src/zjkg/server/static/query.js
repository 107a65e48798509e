// The query page: pick a canned example into the editor; Ctrl+Enter runs the query.
// The form works without this script too: the server renders the results table.
"use strict";
(function () {
  var form = document.getElementById("query-form");
  var editor = document.getElementById("query");
  var examples = document.getElementById("examples");
  var data = document.getElementById("example-data");
  if (!form || !editor) { return; }
  var texts = data ? JSON.parse(data.textContent) : {};
  if (examples) {
    examples.addEventListener("change", function () {
      var text = texts[examples.value];
      if (typeof text === "string") { editor.value = text; editor.focus(); }
    });
  }
  editor.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      form.submit();
    }
  });
})();
