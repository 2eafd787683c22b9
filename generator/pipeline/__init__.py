"""Recording -> steps -> guide folder: segmentation of the events (``segment``, ``notes``), OCR of the targets
(``ocr``, ``label``), redaction (``redact``), annotated step images and the guide written into a library
(``generate``). Takes a :class:`capture.models.Recording`; gives ``LIB/guides/<id>/``."""
