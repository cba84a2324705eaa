"""Planning's models in the back office's admin (Django finds this module)."""

from planning.operational import admin as operational_admin

__all__ = ["operational_admin"]
