"""gcm-graph: a knowledge graph of national implementation of the Global Compact for Migration."""

__version__ = "0.1.0"
