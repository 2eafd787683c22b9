"""``vsop demo``: a sample library made from the recordings shipped in the package (or re-recorded live on a
private X display), its site built and served."""

from generator.sample.demo.library import DEFAULT_FOLDER, demo_scenarios, make_demo_library

__all__ = ["DEFAULT_FOLDER", "demo_scenarios", "make_demo_library"]
