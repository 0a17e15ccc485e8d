"""Progress on stderr for the long commands: documents done, rate and time left.

Shown only on a terminal, and never with ``--quiet``: a command whose output is
piped or logged stays silent on stderr except for warnings and errors.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], quiet: bool, label: str, total: int | None = None) -> Iterable[T] | Iterator[T]:
    """The items, counted on a progress bar labelled ``label`` when stderr is a terminal and not ``quiet``."""
    if quiet or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="doc", file=sys.stderr, total=total)
