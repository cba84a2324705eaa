"""Model fields the platform's documents share."""

from django.db import models


class DocumentField(models.JSONField):
    """A JSON document written in bulk (a result's calculation, a history record's changes).

    On PostgreSQL Django inserts many rows at once through ``UNNEST`` of one array per
    column; psycopg then escapes each JSON text inside the array literal in Python, which
    for documents of kilobytes costs more than the insert itself (measured: 120 results of
    5 KB, 240 ms through ``UNNEST`` against 85 ms row by row in ``VALUES``). A field with
    its own placeholder keeps the insert on ``VALUES``, where each document is one
    parameter; the stored value is the same.
    """

    def get_placeholder_sql(self, value, compiler, connection):
        if hasattr(value, "as_sql"):  # an expression (bulk_update's CASE): compiled as usual
            return compiler.compile(value)
        return "%s", [value]
