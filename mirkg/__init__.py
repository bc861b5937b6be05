"""mirkg: a knowledge graph of how microRNAs act on mesenchymal stem cells in lupus, read from a review."""

__version__ = "0.1.0"
