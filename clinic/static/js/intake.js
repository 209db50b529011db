// The intake pages: show follow-up questions only when they apply, show a safety question's
// advice as soon as it is answered yes, and take the patient to the first problem after a
// failed send. Every page also works without this script: the server drops answers to
// questions that do not apply, and shows the safety advice on the next page.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // A page shown in answer to a form (one with error messages) becomes a plain visit of its
  // address in the history, so Back to it never asks to "confirm form resubmission".
  if (window.history && window.history.replaceState) {
    window.history.replaceState(window.history.state, "", window.location.href);
  }

  // Focus the error summary so screen readers read it and keyboard users start there.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  var form = document.querySelector("form.intake-form");
  if (!form) return;

  // "None of these" on the safety check: ticking it answers No to every question still
  // unanswered (the server does the same without script). A Yes already chosen stays, and
  // choosing a Yes afterwards unticks the box.
  var none = form.querySelector('input[name$="-none_of_these"]');
  if (none) {
    none.addEventListener("change", function () {
      if (!none.checked) return;
      form.querySelectorAll('input[type="radio"][value="false"]').forEach(function (no) {
        var answered = form.querySelector('input[type="radio"][name="' + no.name + '"]:checked');
        if (!answered) no.checked = true;
      });
      form.dispatchEvent(new Event("change"));
    });
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type === "radio" && target.value === "true" && target.checked) none.checked = false;
    });
  }
  // data-enable-when: questions that apply only then (their inputs are disabled otherwise);
  // data-show-when: advice shown only then (it has no inputs).
  var groups = Array.prototype.slice.call(
    form.querySelectorAll("[data-enable-when], [data-show-when]")
  );
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

  // Either attribute: [{"name": <field name>, "values": [<values that show the group>]}],
  // all of which must hold. Groups only look back, so one pass in page order is enough.
  function update() {
    groups.forEach(function (group) {
      var advice = group.hasAttribute("data-show-when");
      var rules = JSON.parse(group.getAttribute(advice ? "data-show-when" : "data-enable-when"));
      var shown = rules.every(function (rule) {
        return valuesOf(rule.name).some(function (value) {
          return rule.values.indexOf(value) !== -1;
        });
      });
      group.hidden = !shown;
      if (advice) return;
      group.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !shown;
      });
    });
  }

  form.addEventListener("change", update);
  update();
})();
