from tests.projections.support import world as world

__all__ = ["world"]
