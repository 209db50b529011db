// The knee diagram: tapping, clicking or pressing Enter or Space on a region ticks the matching
// box in <fieldset id="pain-location">. The checkboxes stay the real form input, so the page
// works the same without this script; the diagram only mirrors them.
(function () {
  "use strict";

  var diagram = document.querySelector("[data-knee-diagram]");
  var fieldset = document.getElementById("pain-location");
  if (!diagram || !fieldset) return;

  var boxes = {};
  fieldset.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
    boxes[box.value] = box;
  });
  var regions = Array.prototype.slice.call(diagram.querySelectorAll("[data-code]"));
  // A region without a checkbox could not be sent: keep the plain list rather than mislead.
  if (!regions.length || !regions.every(function (region) { return boxes[region.dataset.code]; })) {
    return;
  }
  var whole = diagram.querySelector("[data-knee-whole]");
  var chosen = diagram.querySelector("[data-knee-chosen]");
  // The page's language: the template gives the words (data-words-*), English without them.
  var words = diagram.dataset;

  function render() {
    var names = [];
    regions.forEach(function (region) {
      var checked = boxes[region.dataset.code].checked;
      region.setAttribute("aria-checked", checked ? "true" : "false");
      region.classList.toggle("is-selected", checked);
      if (checked) names.push(region.getAttribute("aria-label"));
    });
    diagram.classList.toggle("is-whole", Boolean(whole && whole.classList.contains("is-selected")));
    chosen.textContent = names.length
      ? (words.wordsChosen || "You chose:") + " " + names.join("; ") + "."
      : words.wordsNothing || "Nothing chosen yet.";
  }

  function toggle(region) {
    var box = boxes[region.dataset.code];
    box.checked = !box.checked;
    // Let other scripts on the page (error clearing, enable conditions) see the change.
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.dispatchEvent(new Event("change", { bubbles: true }));
    render();
  }

  regions.forEach(function (region) {
    region.addEventListener("click", function () { toggle(region); });
    region.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
        event.preventDefault(); // Space would otherwise scroll the page
        toggle(region);
      }
    });
  });
  fieldset.addEventListener("change", render);
  // The browser may restore ticked boxes when the patient comes back with the Back button.
  window.addEventListener("pageshow", render);

  // The drawing mirrors the knee chosen in "Which knee hurts?" (a left knee until then, and
  // for both knees).
  var drawing = diagram.querySelector(".knee-diagram__drawing");
  var sideText = diagram.querySelector("[data-knee-side]");
  var form = fieldset.form || document;
  function showSide() {
    var chosen = form.querySelector('input[type="radio"][name$="-side"]:checked');
    var right = Boolean(chosen && chosen.value === "right");
    drawing.classList.toggle("is-right", right);
    if (sideText) sideText.textContent = right ? words.wordsRight || "right" : words.wordsLeft || "left";
  }
  form.addEventListener("change", showSide);
  window.addEventListener("pageshow", showSide);

  render();
  showSide();
  diagram.hidden = false;
  // The drawing is now the one list of places; the boxes it ticks are still sent.
  fieldset.classList.add("has-knee-diagram");
})();
