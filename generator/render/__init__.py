"""Guides become Markdown. Takes a :class:`~generator.guide.model.Guide` (or one step); gives text and writes
no file: ``environment`` (the one Jinja environment and where the templates are), ``filters`` (text made safe
for Markdown), ``step_text`` (the sentence of one step, and what a sentence reads as) and ``guide_page``."""
