"""A column that is a tsvector on PostgreSQL and plain text elsewhere."""

from __future__ import annotations

from django.db import models


class BigramVectorField(models.TextField):
    """Holds a tsvector literal ('たい':1 'いそ':2 …).

    On PostgreSQL the column is a real ``tsvector`` (the literal is cast, never
    parsed, so Japanese is never split by the text search parser), which a GIN
    index serves directly. SQLite keeps the text; search there uses LIKE.
    """

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "tsvector"
        return super().db_type(connection)

    def get_placeholder(self, value, compiler, connection):
        if connection.vendor == "postgresql":
            return "%s::tsvector"
        return "%s"


@BigramVectorField.register_lookup
class PhraseMatch(models.Lookup):
    """``search_bigrams__phrase='たい' <-> 'いそ'``: the vector matches the tsquery."""

    lookup_name = "phrase"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]
