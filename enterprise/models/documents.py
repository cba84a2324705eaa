"""Model fields the platform's documents share."""

import json

from django.db import models


class DocumentEncoder(json.JSONEncoder):
    """JSON with its letters as they are: Russian text is UTF-8 bytes, not ``\\uXXXX``
    escapes of six characters each (a result's document is a third shorter to send and
    to parse; the stored value is the same)."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class DocumentField(models.JSONField):
    """A JSON document written in bulk (a result's calculation, a history record's changes).

    On PostgreSQL Django inserts many rows at once through ``UNNEST`` of one array per
    column; psycopg then escapes each JSON text inside the array literal in Python, which
    for documents of kilobytes costs more than the insert itself (measured: 120 results of
    5 KB, 240 ms through ``UNNEST`` against 85 ms row by row in ``VALUES``). A field with
    its own placeholder keeps the insert on ``VALUES``, where each document is one
    parameter; the stored value is the same. The text is written with
    :class:`DocumentEncoder` (unless the field names an encoder of its own).
    """

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_json_value(value, self.encoder or DocumentEncoder)

    def get_placeholder_sql(self, value, compiler, connection):
        if hasattr(value, "as_sql"):  # an expression (bulk_update's CASE): compiled as usual
            return compiler.compile(value)
        return "%s", [value]
