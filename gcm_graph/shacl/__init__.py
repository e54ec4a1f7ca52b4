"""A native SHACL validator: our shapes compiled to SPARQL queries run in pyoxigraph (pySHACL is the reference).

``model`` reads shapes into dataclasses (unsupported features raise :class:`UnsupportedShapeError`), ``compile``
turns each constraint into one query over all focus nodes, ``engine`` runs them and builds the results.
"""

from .engine import Engine, Result, validate
from .focus import FocusFilter, report_focus, shared_focus
from .model import UnsupportedShapeError, path_text, read_shapes

__all__ = ["Engine", "FocusFilter", "Result", "UnsupportedShapeError", "path_text", "read_shapes", "report_focus",
           "shared_focus", "validate"]
