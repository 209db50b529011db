// The intake pages: show follow-up questions only when they apply, and take the patient
// to the first problem after a failed send. Every page also works without this script:
// the server drops answers to questions that do not apply.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // Focus the error summary so screen readers read it and keyboard users start there.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  var form = document.querySelector("form.intake-form");
  if (!form) return;
  var groups = Array.prototype.slice.call(form.querySelectorAll("[data-enable-when]"));
  if (!groups.length) return;

  function valuesOf(name) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name !== name || input.disabled) return;
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.value);
      } else {
        values.push(input.value);
      }
    });
    return values;
  }

  // data-enable-when: [{"name": <field name>, "values": [<values that show the group>]}],
  // all of which must hold. Groups only look back, so one pass in page order is enough.
  function update() {
    groups.forEach(function (group) {
      var rules = JSON.parse(group.getAttribute("data-enable-when"));
      var shown = rules.every(function (rule) {
        return valuesOf(rule.name).some(function (value) {
          return rule.values.indexOf(value) !== -1;
        });
      });
      group.hidden = !shown;
      group.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !shown;
      });
    });
  }

  form.addEventListener("change", update);
  update();
})();
