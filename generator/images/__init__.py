"""Step images: drawing them (highlight, blur, crop: ``annotate``), a person's image edits applied to a copy
(``edits``), whether two screenshots differ noticeably (``similarity``), and reading an image file that may
be anything, within limits (``files``). Takes frames and boxes; gives PNGs."""
