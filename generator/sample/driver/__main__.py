"""``python -m generator.sample.driver --record-fixtures DIR [--scenario ID]`` or ``--record-long DIR``."""

import sys

from generator.sample.driver.cli import main

sys.exit(main())
