"""What several exercises share: the lesson's six-weight table, and list/tuple variants.

Not an exercise itself (the catalogue skips modules whose name starts with ``_``).
"""

from collections.abc import Iterable

# The lesson's worked table: six weights, their squares as the table prints them, and the
# total, 26.83, of which w3's 25.0 is about 93 %.
TABLE = (0.2, -0.5, 5.0, -1.2, 0.3, -0.1)
TABLE_SQUARES = (0.04, 0.25, 25.0, 1.44, 0.09, 0.01)
TABLE_PENALTY = 26.83


def list_or_tuple(i: int, values: Iterable) -> list | tuple:
    """``values`` as a list for an even ``i``, as a tuple for an odd one.

    Random cases take turns, so that a solution that works on one kind of sequence only
    (it changes its input in place, or adds a list to a tuple) shows up.
    """
    return list(values) if i % 2 == 0 else tuple(values)
