"""PostgreSQL triggers: the closed-period rule as the database's last line.

The ORM enforces the rule on every write path (see :mod:`enterprise.tracking`); these
triggers also stop raw SQL and anything else that bypasses it. On SQLite they are not
installed. Each app lists its month-bound tables — and the tables that are not, with
the reason — in its ``locks`` module (:func:`registry` collects them; a test checks that
every model table is in one list and that each month-bound one is locked), and locks
them in a migration with one of:

* :func:`lock_by_period` — a ``period_id`` column;
* :func:`lock_by_date` — a date (``onwards``: in force from it, like a tariff rate);
* :func:`lock_by_year` — a year's rows, frozen once its December is closed;
* :func:`lock_by_span` — a dated stretch (``valid_from``–``valid_to``), frozen where it
  touches a closed month;
* :func:`lock_by_parent` — rows of a parent that is frozen (a claim's documents);
* :func:`refuse_truncate` — ``TRUNCATE`` bypasses row triggers: refused while any month
  is closed (a test database lets the test runner's flush through, see
  :func:`allow_truncate`).

A period's status changes only through the application (``khz_period_status``): the
model's writes announce the rows they may close or reopen in the transaction
(:func:`allow_period_status_change`), and the application records each change in the
history as it does every other. A raw ``UPDATE enterprise_period SET status = …`` is
refused; one that gets past the refusal (someone sets the same setting by hand) is
recorded anyway at commit, with the database user (``khz_period_status_record``). These
guards stop mistakes and scripts, not the database's owner, who can drop a trigger.
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


# --- rows that belong to a month through a parent, a year, or a stretch of days -------------

MORE_FUNCTIONS = """
CREATE OR REPLACE FUNCTION khz_assert_span_open(ent bigint, d_from date, d_to date)
RETURNS void AS $$
-- No closed month from d_from's month to d_to's (NULL: from d_from's month onwards).
BEGIN
    IF ent IS NULL OR d_from IS NULL OR (d_to IS NOT NULL AND d_to < d_from) THEN
        RETURN;
    END IF;
    IF EXISTS (
        SELECT 1 FROM enterprise_period p
        WHERE p.enterprise_id = ent AND p.status = 'closed'
          AND (p.year, p.month) >= (EXTRACT(YEAR FROM d_from)::int, EXTRACT(MONTH FROM d_from)::int)
          AND (d_to IS NULL OR (p.year, p.month)
               <= (EXTRACT(YEAR FROM d_to)::int, EXTRACT(MONTH FROM d_to)::int))
    ) THEN
        RAISE EXCEPTION 'a closed period falls between % and %', d_from, COALESCE(d_to::text, '…')
            USING ERRCODE = 'check_violation';
    END IF;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION khz_refuse_truncate() RETURNS trigger AS $$
-- TRUNCATE bypasses row triggers: refused while any month is closed. Django's test
-- databases (named test_…) let it through when the session allows it (the test runner's
-- flush between transactional tests, see tests/conftest.py).
BEGIN
    IF current_setting('khz.allow_truncate', true) = 'on'
       AND current_database() LIKE 'test\\_%' THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM enterprise_period WHERE status = 'closed') THEN
        RAISE EXCEPTION 'TRUNCATE of % refused: a closed period exists', TG_TABLE_NAME
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION khz_period_status() RETURNS trigger AS $$
-- A month is closed or reopened only by the application (enterprise.pg
-- allow_period_status_change names the rows in the transaction); raw SQL is refused.
BEGIN
    IF OLD.status IS DISTINCT FROM NEW.status AND position(
        ',' || OLD.id::text || ',' IN
        ',' || COALESCE(current_setting('khz.period_change', true), '') || ','
    ) = 0 THEN
        RAISE EXCEPTION 'period %.% status is changed only by the application (closed period)',
            OLD.month, OLD.year USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS khz_period_status ON enterprise_period;
CREATE TRIGGER khz_period_status BEFORE UPDATE ON enterprise_period
    FOR EACH ROW EXECUTE FUNCTION khz_period_status();
"""


PERIOD_STATUS_RECORD = """
CREATE OR REPLACE FUNCTION khz_period_status_mark() RETURNS trigger AS $$
-- Before a status change: the last history row's id, to find the application's own
-- record of the change at commit.
BEGIN
    IF OLD.status IS DISTINCT FROM NEW.status THEN
        PERFORM set_config(
            'khz.period_history_' || OLD.id::text,
            (SELECT COALESCE(max(id), 0) FROM enterprise_historyrecord)::text,
            true
        );
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION khz_period_status_record() RETURNS trigger AS $$
-- At commit: a status change the application did not record (someone set
-- khz.period_change by hand) is recorded here, with the database user.
DECLARE
    since bigint;
    period_type integer;
BEGIN
    IF OLD.status IS NOT DISTINCT FROM NEW.status THEN
        RETURN NULL;
    END IF;
    since := COALESCE(NULLIF(current_setting('khz.period_history_' || OLD.id::text, true), ''),
                      '0')::bigint;
    SELECT id INTO period_type FROM django_content_type
        WHERE app_label = 'enterprise' AND model = 'period';
    IF NOT EXISTS (
        SELECT 1 FROM enterprise_historyrecord h
        WHERE h.id > since AND h.content_type_id = period_type
          AND h.object_pk = OLD.id::text
          AND h.changes -> 'status' ->> 1 = NEW.status
    ) THEN
        INSERT INTO enterprise_historyrecord
            (content_type_id, object_pk, object_repr, "group", action, changes, actor_id,
             reason, at)
        VALUES (
            period_type, OLD.id::text, OLD.month::text || '.' || OLD.year::text,
            'enterprise.period:' || OLD.id::text, 'update',
            jsonb_build_object('status', jsonb_build_array(OLD.status, NEW.status)),
            NULL, 'изменено в базе данных, пользователь ' || session_user, now()
        );
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS khz_period_status_mark ON enterprise_period;
CREATE TRIGGER khz_period_status_mark BEFORE UPDATE ON enterprise_period
    FOR EACH ROW EXECUTE FUNCTION khz_period_status_mark();
DROP TRIGGER IF EXISTS khz_period_status_record ON enterprise_period;
CREATE CONSTRAINT TRIGGER khz_period_status_record AFTER UPDATE ON enterprise_period
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION khz_period_status_record();
"""


def install_more_functions() -> migrations.RunPython:
    """The span check, the TRUNCATE refusal and the period status guard."""
    return postgres_only(
        MORE_FUNCTIONS + PERIOD_STATUS_RECORD,
        "DROP TRIGGER IF EXISTS khz_period_status_record ON enterprise_period;"
        "DROP TRIGGER IF EXISTS khz_period_status_mark ON enterprise_period;"
        "DROP FUNCTION IF EXISTS khz_period_status_record();"
        "DROP FUNCTION IF EXISTS khz_period_status_mark();"
        "DROP TRIGGER IF EXISTS khz_period_status ON enterprise_period;"
        "DROP FUNCTION IF EXISTS khz_period_status();"
        "DROP FUNCTION IF EXISTS khz_refuse_truncate();"
        "DROP FUNCTION IF EXISTS khz_assert_span_open(bigint, date, date);",
    )


def _row_trigger_sql(name: str, table: str, old_check: str, new_check: str) -> str:
    """A BEFORE row trigger running ``old_check`` for the stored row (UPDATE, DELETE) and
    ``new_check`` for the new one (INSERT, UPDATE); both are PL/pgSQL statements."""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {old_check}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {new_check}
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""


def _parent_check(row: str, fk_column: str, parent_table: str, parent_rule: str) -> str:
    if parent_rule == "period":
        check = "khz_assert_period_open(p.period_id)"
    elif parent_rule == "year":
        check = "khz_assert_month_open(p.enterprise_id, make_date(p.year, 12, 1))"
    elif parent_rule == "date":
        check = "khz_assert_month_open(p.enterprise_id, p.date)"
    else:
        raise ValueError(f"unknown parent rule {parent_rule!r}")
    return f"PERFORM {check} FROM {parent_table} p WHERE p.id = {row}.{fk_column};"


def lock_by_parent(
    table: str, fk_column: str, parent_table: str, parent_rule: str = "period"
) -> migrations.RunPython:
    """Freeze rows of ``table`` whose parent (``fk_column`` → ``parent_table``) is frozen.

    ``parent_rule``: ``"period"`` — the parent has a ``period_id`` (a claim's documents);
    ``"year"`` — the parent has ``enterprise_id`` and ``year`` and freezes with the year's
    December (a measure's authors); ``"date"`` — the parent has ``enterprise_id`` and
    ``date`` (a shift task's items; ``parent_table`` may be a subquery in parentheses
    giving ``id``, ``enterprise_id`` and ``date``, for a grandparent's day). The stored
    row is checked against its stored parent
    and the new row against its new one, so a row cannot be moved out of or into a
    frozen parent either.
    """
    name = f"khz_lock_{table}_by_{fk_column}"
    sql = _row_trigger_sql(
        name,
        table,
        _parent_check("OLD", fk_column, parent_table, parent_rule),
        _parent_check("NEW", fk_column, parent_table, parent_rule),
    )
    return postgres_only(
        sql, f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
    )


def lock_by_year(
    table: str, enterprise_expr: str, year_column: str = "year"
) -> migrations.RunPython:
    """Freeze rows of a year (a plan, a task, a measure) once its December is closed."""
    name = f"khz_lock_{table}"

    def check(row: str) -> str:
        ent = enterprise_expr.replace("ROW.", f"{row}.")
        return f"PERFORM khz_assert_month_open({ent}, make_date({row}.{year_column}, 12, 1));"

    return postgres_only(
        _row_trigger_sql(name, table, check("OLD"), check("NEW")), _drop_sql(table)
    )


def _span_trigger_sql(
    table: str,
    enterprise_expr: str,
    start: str,
    end: str,
    payload: tuple[str, ...],
    insert_points: bool,
) -> str:
    name = f"khz_lock_{table}"
    old_ent = enterprise_expr.replace("ROW.", "OLD.")
    new_ent = enterprise_expr.replace("ROW.", "NEW.")
    if insert_points:
        on_insert = f"""
        PERFORM khz_assert_month_open({new_ent}, NEW.{start});
        PERFORM khz_assert_month_open({new_ent}, NEW.{end});"""
    else:
        on_insert = f"PERFORM khz_assert_span_open({new_ent}, NEW.{start}, NEW.{end});"
    if payload:
        olds = ", ".join(f"OLD.{column}" for column in payload)
        news = ", ".join(f"NEW.{column}" for column in payload)
        payload_check = f"""
        IF ROW({olds}) IS DISTINCT FROM ROW({news}) THEN
            PERFORM khz_assert_span_open({old_ent}, OLD.{start}, OLD.{end});
            PERFORM khz_assert_span_open({new_ent}, NEW.{start}, NEW.{end});
        END IF;"""
    else:
        payload_check = ""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {on_insert}
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM khz_assert_span_open({old_ent}, OLD.{start}, OLD.{end});
        RETURN OLD;
    END IF;
    {payload_check}
    IF OLD.{start} IS DISTINCT FROM NEW.{start} THEN
        -- the days from the earlier start to the day before the later one
        PERFORM khz_assert_span_open({new_ent}, LEAST(OLD.{start}, NEW.{start}),
                                     GREATEST(OLD.{start}, NEW.{start}) - 1);
    END IF;
    IF OLD.{end} IS DISTINCT FROM NEW.{end} THEN
        -- the days after the earlier end up to the later one (NULL: open-ended)
        IF OLD.{end} IS NULL OR NEW.{end} IS NULL THEN
            PERFORM khz_assert_span_open({new_ent}, COALESCE(OLD.{end}, NEW.{end}) + 1, NULL);
        ELSE
            PERFORM khz_assert_span_open({new_ent}, LEAST(OLD.{end}, NEW.{end}) + 1,
                                         GREATEST(OLD.{end}, NEW.{end}));
        END IF;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""


def lock_by_span(
    table: str,
    enterprise_expr: str,
    start: str = "valid_from",
    end: str = "valid_to",
    *,
    payload: tuple[str, ...] = (),
    insert_points: bool = False,
) -> migrations.RunPython:
    """Freeze a dated stretch (``start`` to ``end``, NULL end: open-ended) where it touches
    a closed month, as :meth:`brigades.models.Dated.span_guard_keys` does in the ORM.

    A new or deleted row must touch no closed month (with ``insert_points`` a new row's
    start and end days only must be in open months); moving the start or the end must
    not cross one (the days between the old and the new date); a change of a
    ``payload`` column (grade, worker, …) alters every day of the stretch, so the whole
    stretch must be open.
    """
    return postgres_only(
        _span_trigger_sql(table, enterprise_expr, start, end, payload, insert_points),
        _drop_sql(table),
    )


def refuse_truncate(table: str) -> migrations.RunPython:
    """A statement trigger: ``TRUNCATE table`` is refused while a month is closed."""
    name = f"khz_truncate_{table}"
    return postgres_only(
        f"DROP TRIGGER IF EXISTS {name} ON {table};"
        f"CREATE TRIGGER {name} BEFORE TRUNCATE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION khz_refuse_truncate();",
        f"DROP TRIGGER IF EXISTS {name} ON {table};",
    )


# --- the application's side ---------------------------------------------------------------


def allow_period_status_change(period_ids, using: str = "default") -> None:
    """Let this transaction change the status of the periods ``period_ids``.

    The trigger ``khz_period_status`` refuses any change of a period's status that the
    transaction did not announce here: raw SQL cannot close or reopen a month. Call it
    inside the transaction that saves the period (the setting ends with it).
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    ids = [str(int(pk)) for pk in period_ids if pk is not None]
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('khz.period_change',"
            " concat_ws(',', NULLIF(current_setting('khz.period_change', true), ''), %s::text),"
            " true)",
            [",".join(ids)],
        )


def allow_truncate(connection) -> None:
    """Let this session TRUNCATE month-bound tables (test databases only: the trigger
    checks the database's name too). The test runner's flush needs it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET khz.allow_truncate = 'on'")


# --- the registry of month-bound tables -------------------------------------------------------


def registry() -> tuple[dict[str, str], dict[str, str]]:
    """Every app's month-bound tables (how each is locked) and the tables it leaves out
    (why), from the ``locks`` module of each installed app that has one.

    A test checks that every table of every model is in exactly one of the two, and that
    each month-bound table refuses raw writes in a closed month and ``TRUNCATE``.
    """
    import importlib
    import importlib.util

    from django.apps import apps

    bound: dict[str, str] = {}
    unbound: dict[str, str] = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.locks"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        bound.update(module.MONTH_BOUND)
        unbound.update(module.NOT_MONTH_BOUND)
    return bound, unbound
