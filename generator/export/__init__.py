"""One guide as a file to send: self-contained HTML, portable Markdown (``portable``), PDF printed by headless
Chromium (``pdf``), a Word document (``word``). Takes a guide folder; gives one file (and its images folder
for Markdown)."""
