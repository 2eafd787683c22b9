"""Step images: drawing them (highlight, blur, crop: ``annotate``), a person's image edits applied to a copy
(``edits``), and whether two screenshots differ noticeably (``similarity``). Takes frames and boxes; gives
PNGs."""
