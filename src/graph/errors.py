"""The user-facing errors: the CLI prints each as one line and exits 2."""

from __future__ import annotations


class ObligraphError(Exception):
    """Base of every error a user should see as one plain line."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None):
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class InputError(ObligraphError):
    """A document cannot be read: missing, empty, corrupt, encrypted, too big."""


class RegisterError(ObligraphError):
    """A party register file is not valid Turtle or not a register."""


class StoreError(ObligraphError):
    """The graph store cannot be opened, is locked, or holds no graph yet."""


class QueryError(ObligraphError):
    """A SPARQL query is malformed, not read-only, timed out, or lacks a parameter."""


class ShapesError(ObligraphError):
    """A shapes file is not valid SHACL."""


class ModelError(ObligraphError):
    """The spaCy model cannot be loaded."""
