"""FQL, the filter and sort language of the read API, compiled to SQLAlchemy Core."""

from ils_intake.fql.compile import compile_filter, compile_sort
from ils_intake.fql.errors import FqlError
from ils_intake.fql.fields import FieldKind, FqlField

__all__ = ["FieldKind", "FqlError", "FqlField", "compile_filter", "compile_sort"]
