"""Scripts run in an Acme CRM page through DevTools: where the pointer is, and where an element is."""

from __future__ import annotations

import json

# the last pointer position the page saw, in page pixels (x and y are null until the pointer moves)
POINTER = """(() => {
  if (!window.__vsopPointer) {
    window.__vsopPointer = {x: null, y: null};
    addEventListener("mousemove", (e) => { window.__vsopPointer = {x: e.clientX, y: e.clientY}; }, true);
  }
  return window.__vsopPointer;
})()"""

_BOX = """((selector) => {
  const el = document.querySelector(selector);
  if (document.readyState !== "complete" || !el) return null;
  let r = el.getBoundingClientRect();
  if (!["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName) && el.textContent.trim()) {
    const range = document.createRange();  // a person clicks on the words, not on the empty end of a cell
    range.selectNodeContents(el);
    const words = range.getBoundingClientRect();
    if (words.width > 0 && words.height > 0) r = words;
  }
  const style = getComputedStyle(el);
  const shown = r.width > 0 && r.height > 0 && style.visibility !== "hidden" && r.top >= 0 && r.left >= 0
    && r.bottom <= innerHeight && r.right <= innerWidth;
  return {x: r.left, y: r.top, w: r.width, h: r.height, shown, ratio: devicePixelRatio};
})"""

_HIT = """((selector, x, y) => {
  const p = window.__vsopPointer, el = document.querySelector(selector);
  const hit = document.elementFromPoint(x, y);
  return !!(p && p.x === x && p.y === y && el && hit && (el.contains(hit) || hit === el));
})"""


def box(selector: str) -> str:
    """The element's box (of its text, if it has any) in page pixels, whether it is shown in the viewport,
    and the device pixel ratio; null while the page loads or the element is missing."""
    return f"{_BOX}({json.dumps(selector)})"


def hit(selector: str, x: int, y: int) -> str:
    """Whether the page saw the pointer arrive at (x, y), on the element."""
    return f"{_HIT}({json.dumps(selector)}, {x}, {y})"


def loaded(url: str) -> str:
    """Whether the page at ``url`` has loaded."""
    return f"document.readyState === 'complete' && location.href === {json.dumps(url)}"
