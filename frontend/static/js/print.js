// A "Print" button (data-print) opens the browser's print dialog. Without JavaScript the
// button stays hidden (it has the hidden attribute until this script shows it) and the
// browser's own print command works the same, since the page is laid out for printing.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
