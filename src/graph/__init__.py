"""obligraph: a knowledge graph of who owes what to whom in public agreements."""

__version__ = "0.1.0"
