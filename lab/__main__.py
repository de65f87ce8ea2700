"""`python -m lab` is `proclab`."""

import sys

from lab.cli import main

sys.exit(main())
