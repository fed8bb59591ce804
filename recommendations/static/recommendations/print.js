// The overview page's "Print" link (a script file: the page's policy allows no inline script).
document.querySelectorAll("[data-print]").forEach((link) => {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    window.print();
  });
});
