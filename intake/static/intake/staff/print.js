// Shows the Print button on the referral letter; without JavaScript the browser's own Print works.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
document.querySelectorAll(".letter-hint").forEach((hint) => { hint.hidden = true; });
