"""guide.yml, the source of truth of one guide: the typed records (``model``), whose fields are the file's
schema (``schema``: types, defaults, a person's edits), reading and writing the file with every problem
located (``store``, ``yamlcheck``), versions and durations as people write them.
Takes YAML text; gives :class:`generator.guide.model.Guide`. Imports nothing else of the generator."""
