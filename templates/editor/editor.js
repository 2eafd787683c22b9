// vsop edit: each change is one JSON POST to /api/change (or /api/undo); after it the page is fetched again
// from the server, which renders it (escaped) from guide.yml. No framework, nothing fetched from elsewhere.
"use strict";

(function () {
  const token = document.body.dataset.token;
  const status = document.getElementById("status");

  function say(text, error) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(error));
  }

  async function post(path, change) {
    say("Saving...");
    let answer;
    try {
      const response = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Vsop-Token": token },
        body: JSON.stringify(change),
      });
      answer = await response.json();
      if (!response.ok) {
        say(answer.error || "The change was refused (" + response.status + ").", true);
        return;
      }
    } catch (err) {
      say("The editor cannot be reached: is vsop edit still running? (" + err + ")", true);
      return;
    }
    await refresh();
    document.body.dataset.changes = String(Number(document.body.dataset.changes) + 1);
    say("Saved.");
  }

  async function refresh() {
    const response = await fetch("/?token=" + encodeURIComponent(token));
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const open = Array.from(document.querySelectorAll("details[open]"), (d) => d.closest("[data-step]"));
    document.getElementById("guide").replaceWith(document.adoptNode(fresh.getElementById("guide")));
    document.getElementById("undo").disabled = fresh.getElementById("undo").disabled;
    document.title = fresh.title;
    for (const step of open) {
      const again = step && document.getElementById(step.id);
      const details = again && again.querySelector("details");
      if (details) details.open = true;
    }
  }

  function stepOf(element) {
    const item = element.closest("[data-step]");
    return item ? item.dataset.step : null;
  }

  function boxes(text) {
    return text ? text.split(";").map((b) => b.split(",").map(Number)) : [];
  }

  // Buttons -------------------------------------------------------------------------------------------

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || button.disabled) return;
    if (button.dataset.tool !== undefined) {
      chooseTool(button.closest(".step").querySelector(".shot"), button.dataset.tool);
      return;
    }
    const op = button.dataset.op;
    const step = stepOf(button);
    if (op === "undo") post("/api/undo", {});
    else if (op === "delete" || op === "restore") post("/api/change", { op: op, step: step });
    else if (op === "move") post("/api/change", { op: "move", step: step, by: Number(button.dataset.by) });
    else if (op === "merge") post("/api/change", { op: "merge", step: step, with: button.dataset.with });
    else if (op === "note") {
      const box = button.closest(".note-edit");
      const text = box.querySelector(".note-text").value;
      post("/api/change", { op: "note", step: step, note: text.trim() ? text : null, kind: box.querySelector(".note-kind").value });
    } else if (op === "blur") post("/api/change", { op: "blur", step: step, boxes: [] });
    else if (op === "crop" || op === "box") post("/api/change", { op: op, step: step, box: null });
  });

  // Fields: saved when they lose focus after a change ------------------------------------------------

  document.addEventListener("change", (event) => {
    const field = event.target;
    const op = field.dataset.op;
    if (op === "text") post("/api/change", { op: "text", step: stepOf(field), text: field.value });
    else if (op === "stage") post("/api/change", { op: "stage", stage: field.value || null });
    else if (op === "guide") {
      const name = field.dataset.field;
      let value = field.value;
      if (name === "prerequisites") value = value.split("\n").filter((line) => line.trim());
      if (name === "purpose" && !value.trim()) value = null;
      post("/api/change", { op: "guide", [name]: value });
    }
  });

  // Drawing on a screenshot: highlight, blur and crop boxes, in the image's own pixels ----------------

  function chooseTool(shot, tool) {
    if (!shot) return;
    shot.dataset.tool = tool;
    const editing = Boolean(tool);
    shot.querySelector(".published").hidden = editing;
    shot.querySelector(".original").hidden = !editing;
    shot.classList.toggle("editing", editing);
    for (const button of shot.parentElement.querySelectorAll("[data-tool]")) {
      button.classList.toggle("active", button.dataset.tool === tool && editing);
    }
    drawOverlays(shot);
  }

  function scaleOf(shot) {
    const image = shot.querySelector(".original");
    return image.clientWidth / Number(shot.dataset.width);
  }

  function place(element, box, scale) {
    element.style.left = box[0] * scale + "px";
    element.style.top = box[1] * scale + "px";
    element.style.width = box[2] * scale + "px";
    element.style.height = box[3] * scale + "px";
  }

  function drawOverlays(shot) {
    for (const old of shot.querySelectorAll(".overlay")) old.remove();
    if (!shot.dataset.tool) return;
    const scale = scaleOf(shot);
    const kinds = [["blur", shot.dataset.blur], ["crop", shot.dataset.crop], ["box", shot.dataset.box]];
    for (const [kind, text] of kinds) {
      for (const box of boxes(text)) {
        const overlay = document.createElement("div");
        overlay.className = "overlay " + kind;
        place(overlay, box, scale);
        shot.appendChild(overlay);
      }
    }
  }

  let drawing = null;

  function pixel(shot, event) {
    const image = shot.querySelector(".original");
    const rect = image.getBoundingClientRect();
    const scale = Number(shot.dataset.width) / rect.width;
    const x = Math.round((event.clientX - rect.left) * scale);
    const y = Math.round((event.clientY - rect.top) * scale);
    return [Math.max(0, Math.min(Number(shot.dataset.width), x)), Math.max(0, Math.min(Number(shot.dataset.height), y))];
  }

  function dragged(start, end) {
    const x = Math.min(start[0], end[0]);
    const y = Math.min(start[1], end[1]);
    return [x, y, Math.abs(end[0] - start[0]), Math.abs(end[1] - start[1])];
  }

  document.addEventListener("mousedown", (event) => {
    const shot = event.target.closest(".shot.editing");
    if (!shot || event.button !== 0) return;
    event.preventDefault();
    const rubber = document.createElement("div");
    rubber.className = "overlay drawing " + shot.dataset.tool;
    shot.appendChild(rubber);
    drawing = { shot: shot, start: pixel(shot, event), rubber: rubber };
  });

  document.addEventListener("mousemove", (event) => {
    if (!drawing) return;
    place(drawing.rubber, dragged(drawing.start, pixel(drawing.shot, event)), scaleOf(drawing.shot));
  });

  document.addEventListener("mouseup", (event) => {
    if (!drawing) return;
    const { shot, start, rubber } = drawing;
    drawing = null;
    rubber.remove();
    const box = dragged(start, pixel(shot, event));
    if (box[2] < 4 || box[3] < 4) return;
    const step = stepOf(shot);
    const tool = shot.dataset.tool;
    if (tool === "blur") post("/api/change", { op: "blur", step: step, boxes: [...boxes(shot.dataset.blur), box] });
    else post("/api/change", { op: tool, step: step, box: box });
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const shot of document.querySelectorAll(".shot.editing")) chooseTool(shot, "");
  });
})();
