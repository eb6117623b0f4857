"""Entry point for ``python -m grader``."""

import sys

from .cli import main

if __name__ == "__main__":  # importing it (pytest's doctest collection) runs nothing
    sys.exit(main())
