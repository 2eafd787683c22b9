// Shared behaviour of the corpus pages: a toast that says what happened, and small helpers.
function toast(text) {
  const t = document.querySelector(".toast");
  t.textContent = text;
  t.classList.add("show");
  document.body.dataset.toasts = String(Number(document.body.dataset.toasts || 0) + 1);
}
function on(selector, event, handler) {
  document.querySelector(selector).addEventListener(event, handler);
}
function submitted(form, text) {
  on(form, "submit", (e) => { e.preventDefault(); toast(text); });
}
