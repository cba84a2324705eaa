"""Model fields the platform's documents share."""

import json

from django.db import models


class DocumentEncoder(json.JSONEncoder):
    """Compact JSON: no blanks after the separators."""

    def __init__(self, *args, **kwargs):
        kwargs["separators"] = (",", ":")
        super().__init__(*args, **kwargs)


class UnicodeDocumentEncoder(DocumentEncoder):
    """Compact JSON with its letters as they are: Russian text as UTF-8 bytes, not
    ``\\u041a``-style escapes of six characters each. For PostgreSQL, whose ``jsonb`` keeps the
    same value either way; SQLite keeps the text as written, and its JSON paths (which
    Django writes with escapes) would no longer find a Russian key."""

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
    parameter; the stored value is the same. The text is compact and, on PostgreSQL,
    UTF-8 (a result's document is a third shorter to escape, send and parse), unless the
    field names an encoder of its own.
    """

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        encoder = self.encoder
        if encoder is None:
            unicode = connection.vendor == "postgresql"
            encoder = UnicodeDocumentEncoder if unicode else DocumentEncoder
        return connection.ops.adapt_json_value(value, encoder)

    def get_placeholder_sql(self, value, compiler, connection):
        if hasattr(value, "as_sql"):  # an expression (bulk_update's CASE): compiled as usual
            return compiler.compile(value)
        return "%s", [value]
