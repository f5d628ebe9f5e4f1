// Exports are built while the browser waits, which can take a few seconds. A form or link
// marked data-download says "Preparing the file…" in its status element (an aria-live
// region, data-download-status names it) until the server answers: the export view sends
// back the token it was given as a cookie (config.downloads), and this script watches for
// it. Without JavaScript the download works the same, with no status.
(() => {
  const COOKIE = "download_token";
  const WAIT_MS = 500;
  const GIVE_UP_MS = 180000;

  const newToken = () => {
    const bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };

  const cookieHas = (token) =>
    document.cookie.split(";").some((part) => part.trim() === `${COOKIE}=${token}`);

  const clearCookie = () => {
    document.cookie = `${COOKIE}=; Max-Age=0; Path=/; SameSite=Strict`;
  };

  const start = (element) => {
    const token = newToken();
    const status = document.getElementById(element.dataset.downloadStatus || "");
    element.setAttribute("aria-busy", "true");
    element.dataset.busy = "1";
    if (status) status.textContent = element.dataset.download;
    const began = Date.now();
    const timer = window.setInterval(() => {
      const ready = cookieHas(token);
      if (!ready && Date.now() - began < GIVE_UP_MS) return;
      window.clearInterval(timer);
      element.removeAttribute("aria-busy");
      delete element.dataset.busy;
      if (status) status.textContent = ready ? element.dataset.downloadReady || "" : "";
      if (ready) clearCookie();
    }, WAIT_MS);
    return token;
  };

  document.querySelectorAll("form[data-download]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.busy === "1") {
        event.preventDefault();
        return;
      }
      let field = form.querySelector(`input[name=${COOKIE}]`);
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.name = COOKIE;
        form.appendChild(field);
      }
      field.value = start(form);
    });
  });

  document.querySelectorAll("a[data-download]").forEach((link) => {
    link.addEventListener("click", (event) => {
      // A new tab or window (ctrl-, shift-, middle click) is the browser's business.
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      if (link.dataset.busy === "1") return;
      const url = new URL(link.href, window.location.href);
      url.searchParams.set(COOKIE, start(link));
      window.location.assign(url.toString());
    });
  });
})();
