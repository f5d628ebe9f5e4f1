// Platform console: a form marked data-busy-text says what is happening while the server
// works (onboarding takes a few seconds) and refuses a second submit. Without JavaScript
// the form still works; a repeated onboarding changes nothing anyway.
document.querySelectorAll("form[data-busy-text]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (form.dataset.busy === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    const status = form.querySelector("[data-busy-status]");
    if (status) status.textContent = form.dataset.busyText;
    form.querySelectorAll("[type=submit]").forEach((button) => {
      button.setAttribute("aria-disabled", "true");
    });
  });
});
