"""django-tables2 reads each column method's signature once, not once per cell."""

from __future__ import annotations

import inspect

from django_tables2 import utils

from enterprise import table_cells


class Column:
    def render(self, value, record):
        return value

    def value(self, **kwargs):
        return kwargs


def test_it_is_what_django_tables2_calls():
    assert utils.signature is table_cells.signature


def test_it_gives_thesignature_of_a_bound_method_without_self():
    assert table_cells.signature(Column().render) == (("value", "record"), None)
    assert table_cells.signature(Column().value) == ((), "kwargs")


def test_it_reads_a_methods_signature_once_for_every_instance(monkeypatch):
    table_cells.signature_of.cache_clear()
    calls = []
    real = inspect.signature
    monkeypatch.setattr(inspect, "signature", lambda fn, **kw: calls.append(fn) or real(fn, **kw))
    for _ in range(100):
        table_cells.signature(Column().render)
    assert len(calls) == 1


def test_it_passes_the_cells_arguments_as_before():
    column = Column()
    assert utils.call_with_appropriate(column.render, {"value": 3, "record": "r", "x": 1}) == 3
    assert utils.call_with_appropriate(column.render, {"value": 3}) is None
    assert utils.call_with_appropriate(lambda value: value * 2, {"value": 4, "record": 0}) == 8
