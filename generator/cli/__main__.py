"""``python -m generator.cli``: the ``vsop`` command."""

import sys

from generator.cli import main

sys.exit(main())
