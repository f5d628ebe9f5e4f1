// A wide table on a narrow screen scrolls sideways inside its .table-wrap. Someone who uses
// only the keyboard can scroll it only if the box can take the focus, and a table of bare
// figures has no link to focus (WCAG 2.1.1; axe's scrollable-region-focusable). So a box
// that does overflow becomes focusable (a named region when its table has a caption); one
// that fits stays out of the tab order. Without JavaScript the table still scrolls with a mouse or a finger.
(() => {
  let counter = 0;

  // The table's caption names the region; the section's heading already names the section
  // around it, and two landmarks with one name would only confuse.
  const nameOf = (box) => {
    const caption = box.querySelector("caption");
    if (!caption) return null;
    if (!caption.id) {
      counter += 1;
      caption.id = `scroll-region-name-${counter}`;
    }
    return caption.id;
  };

  const update = () => {
    document.querySelectorAll(".table-wrap").forEach((box) => {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        const labelledBy = nameOf(box);
        if (labelledBy) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-labelledby", labelledBy);
        }
        box.dataset.scrollRegion = "1";
      } else if (!scrolls && box.dataset.scrollRegion) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-labelledby");
        delete box.dataset.scrollRegion;
      }
    });
  };

  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();
