"""Guides become Markdown: the one Jinja environment with its filters, the wording of each step and the guide
page. Takes a :class:`~generator.guide.model.Guide`; gives text. Writes no file."""
