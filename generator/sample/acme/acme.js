// Acme CRM behaviour: navigation bar, forms, table selection, context menu, dialog and toasts.
// Everything runs locally from file:// pages; nothing is sent anywhere.
"use strict";

const NAV = [["Leads", "leads.html"], ["Orders", "orders.html"], ["Customers", "customers.html"],
  ["Quality", "quality.html"], ["Deliveries", "deliveries.html"]];

function $(selector, root = document) { return root.querySelector(selector); }
function $$(selector, root = document) { return Array.from(root.querySelectorAll(selector)); }

function renderTopbar() {
  const bar = $(".topbar");
  if (!bar) return;
  const brand = `<a class="brand" href="${bar.dataset.signedOut ? "signin.html" : "home.html"}">Acme CRM</a>`;
  if (bar.dataset.signedOut) { bar.innerHTML = brand; return; }
  const current = document.body.dataset.page;
  const links = NAV.map(([text, href]) =>
    `<a href="${href}"${href.startsWith(current + ".") ? ' class="active"' : ""}>${text}</a>`).join("");
  bar.innerHTML = `${brand}<nav class="nav">${links}</nav><div class="user">Jordan Smith</div>`;
}

function toast(text) {
  let box = $(".toast");
  if (!box) { box = document.createElement("div"); box.className = "toast"; document.body.append(box); }
  box.textContent = text;
  box.classList.add("show");
}

function markDone(button, text) {
  button.classList.add("done");
  button.textContent = text;
}

function setupForms() {
  for (const form of $$("form[data-toast]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      toast(form.dataset.toast);
      const button = $("button[type=submit]", form);
      if (button && form.dataset.done) markDone(button, form.dataset.done);
    });
  }
}

function setupSignIn() {
  const form = $("#signin-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if ($("#username").value && $("#password").value) location.href = "home.html";
    else $(".error").textContent = "Enter your username and password.";
  });
}

function setupRows() {
  for (const row of $$("tbody tr[data-id]")) {
    row.addEventListener("click", () => selectRow(row));
    row.addEventListener("contextmenu", () => selectRow(row));
    if (row.dataset.href) row.addEventListener("dblclick", () => { location.href = row.dataset.href; });
  }
}

function selectRow(row) {
  for (const other of $$("tbody tr.selected")) other.classList.remove("selected");
  row.classList.add("selected");
  const panel = $("#schedule");
  if (panel) showSchedule(panel, row);
}

function setupSearch() {
  const form = $("#search-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = $("#search").value.trim().toLowerCase();
    for (const row of $$("tbody tr[data-id]")) row.hidden = !row.textContent.toLowerCase().includes(query);
    $("#search-result").textContent = `Showing orders matching "${$("#search").value.trim()}"`;
  });
}

function setupOrderMenu() {
  const menu = $("#order-menu");
  if (!menu) return;
  let row = null;
  document.addEventListener("contextmenu", (event) => {
    row = event.target.closest("tbody tr[data-id]");
    if (!row) return;
    event.preventDefault();
    menu.style.left = `${event.clientX + 2}px`;
    menu.style.top = `${event.clientY + 2}px`;
    menu.classList.add("open");
  });
  document.addEventListener("click", () => menu.classList.remove("open"));
  $("#menu-delete").addEventListener("click", () => confirmDelete(row));
}

function confirmDelete(row) {
  const dialog = $("#delete-dialog");
  $("#delete-text").textContent = `Order ${row.dataset.id} for ${row.cells[1].textContent} will be removed. ` +
    "This cannot be undone.";
  dialog.showModal();
  $("#delete-cancel").onclick = () => dialog.close();
  $("#delete-confirm").onclick = () => {
    dialog.close();
    row.remove();
    toast(`Order ${row.dataset.id} deleted`);
  };
}

function setupQuality() {
  const approve = $("#approve");
  if (!approve) return;
  const boxes = $$("#checklist input[type=checkbox]");
  const update = () => { approve.disabled = !boxes.every((box) => box.checked); };
  for (const box of boxes) box.addEventListener("change", update);
  update();
  approve.addEventListener("click", () => {
    const status = $("#batch-status");
    status.textContent = "Approved";
    status.className = "badge ok";
    markDone(approve, "Approved");
    toast("Batch SO-1041 approved");
  });
}

function showSchedule(panel, row) {
  panel.hidden = false;
  $("#schedule-empty").hidden = true;
  $("#schedule-title").textContent = `Schedule ${row.dataset.id}`;
  $("#schedule-what").textContent = `${row.cells[1].textContent} · ${row.cells[2].textContent}`;
  $("#ready").onclick = () => {
    row.cells[3].innerHTML = '<span class="badge ok">Ready</span>';
    markDone($("#ready"), "Ready for delivery");
    toast(`Delivery ${row.dataset.id} is ready`);
  };
}

document.addEventListener("submit", (event) => event.preventDefault());  // no page ever posts
renderTopbar();
setupForms();
setupSignIn();
setupRows();
setupSearch();
setupOrderMenu();
setupQuality();
