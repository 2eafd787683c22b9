"""The top-level ``templates/`` and ``site/`` folders are the sources of the pages; a built wheel carries them
inside the package as ``generator/_shipped/`` (see
``generator.render.environment.shipped``). Everything else is in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("templates", "site")


class BuildWithTemplates(build_py):
    def run(self) -> None:
        super().run()
        for name in SHIPPED:
            self.copy_tree(name, str(Path(self.build_lib) / "generator" / "_shipped" / name))


setup(cmdclass={"build_py": BuildWithTemplates})
