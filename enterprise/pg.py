"""PostgreSQL triggers: the closed-period rule as the database's last line.

The ORM enforces the rule on every write path (see :mod:`enterprise.tracking`); these
triggers also stop raw SQL and anything else that bypasses it. On SQLite they are not
installed. Later apps add their own tables with :func:`lock_by_date` or
:func:`lock_by_period` in a migration.
"""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION khz_assert_month_open(ent bigint, d date) RETURNS void AS $$
BEGIN
    IF d IS NOT NULL AND EXISTS (
        SELECT 1 FROM enterprise_period p
        WHERE p.enterprise_id = ent AND p.status = 'closed'
          AND p.year = EXTRACT(YEAR FROM d) AND p.month = EXTRACT(MONTH FROM d)
    ) THEN
        RAISE EXCEPTION 'period %.% is closed', EXTRACT(MONTH FROM d), EXTRACT(YEAR FROM d)
            USING ERRCODE = 'check_violation';
    END IF;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION khz_assert_open_since(ent bigint, d date) RETURNS void AS $$
BEGIN
    IF d IS NOT NULL AND EXISTS (
        SELECT 1 FROM enterprise_period p
        WHERE p.enterprise_id = ent AND p.status = 'closed'
          AND (p.year, p.month) >= (EXTRACT(YEAR FROM d)::int, EXTRACT(MONTH FROM d)::int)
    ) THEN
        RAISE EXCEPTION 'a closed period follows %', d USING ERRCODE = 'check_violation';
    END IF;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION khz_assert_period_open(pid bigint) RETURNS void AS $$
BEGIN
    IF pid IS NOT NULL AND EXISTS (
        SELECT 1 FROM enterprise_period p WHERE p.id = pid AND p.status = 'closed'
    ) THEN
        RAISE EXCEPTION 'period % is closed', pid USING ERRCODE = 'check_violation';
    END IF;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION khz_period_freeze() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'closed' THEN
            RAISE EXCEPTION 'period %.% is closed', OLD.month, OLD.year
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'closed' AND NEW.status = 'closed' THEN
        RAISE EXCEPTION 'period %.% is closed', OLD.month, OLD.year
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS khz_period_freeze ON enterprise_period;
CREATE TRIGGER khz_period_freeze BEFORE UPDATE OR DELETE ON enterprise_period
    FOR EACH ROW EXECUTE FUNCTION khz_period_freeze();
"""


def _date_trigger_sql(table: str, enterprise_expr: str, date_column: str, onwards: bool) -> str:
    name = f"khz_lock_{table}"
    check = "khz_assert_open_since" if onwards else "khz_assert_month_open"
    old_ent = enterprise_expr.replace("ROW.", "OLD.")
    new_ent = enterprise_expr.replace("ROW.", "NEW.")
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM {check}({old_ent}, OLD.{date_column});
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM {check}({new_ent}, NEW.{date_column});
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""


def _period_trigger_sql(table: str, period_column: str) -> str:
    name = f"khz_lock_{table}"
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM khz_assert_period_open(OLD.{period_column});
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM khz_assert_period_open(NEW.{period_column});
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""


def _drop_sql(table: str) -> str:
    name = f"khz_lock_{table}"
    return f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"


def postgres_only(sql: str, reverse_sql: str = "") -> migrations.RunPython:
    """A migration step that runs ``sql`` on PostgreSQL and does nothing elsewhere."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    def backward(apps, schema_editor):
        if reverse_sql and schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(reverse_sql, params=None)

    return migrations.RunPython(forward, backward, elidable=False)


def install_functions() -> migrations.RunPython:
    return postgres_only(
        FUNCTIONS,
        "DROP TRIGGER IF EXISTS khz_period_freeze ON enterprise_period;"
        "DROP FUNCTION IF EXISTS khz_period_freeze();"
        "DROP FUNCTION IF EXISTS khz_assert_period_open(bigint);"
        "DROP FUNCTION IF EXISTS khz_assert_open_since(bigint, date);"
        "DROP FUNCTION IF EXISTS khz_assert_month_open(bigint, date);",
    )


def lock_by_date(
    table: str, enterprise_expr: str, date_column: str, *, onwards: bool = False
) -> migrations.RunPython:
    """Freeze rows of ``table`` whose ``date_column`` falls in a closed month.

    ``enterprise_expr`` is an SQL expression over ``ROW.`` giving the enterprise id,
    e.g. ``"ROW.enterprise_id"``. With ``onwards`` a row is frozen by any closed month
    from its date on (rows in force from a date, like tariff rates).
    """
    return postgres_only(
        _date_trigger_sql(table, enterprise_expr, date_column, onwards), _drop_sql(table)
    )


def lock_by_period(table: str, period_column: str = "period_id") -> migrations.RunPython:
    """Freeze rows of ``table`` that belong to a closed period."""
    return postgres_only(_period_trigger_sql(table, period_column), _drop_sql(table))
