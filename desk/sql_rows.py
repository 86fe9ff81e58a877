"""A built statement that is run often, compiled once for SQLite and run on the session's
own DBAPI connection, its rows converted by the same type processors SQLAlchemy would use.

A day's list spent about 40% of its time in SQLAlchemy's execution and row machinery around
a query that sqlite3 answers in the rest; a search answered by an index (a few rows) spent
nine tenths of it there. The statement, its parameters' order and their bind processors, and
each column's result processor are read once from SQLAlchemy's own compilation, so the rows
are the ones ``Connection.execute`` gives, in the same transaction.
"""
from __future__ import annotations

from dataclasses import fields
from typing import Callable

from sqlalchemy import Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


class CompiledRows:
    """One statement, compiled for one SQLite dialect. Its own values (an IN list of fixed
    states, constants) are bound once; the caller's named parameters on every run."""

    def __init__(self, stmt: Select, dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        given = _given(compiled)
        # The fixed IN lists expanded once, as Connection.execute does on every run.
        expanded = compiled._process_parameters_for_postcompile(
            compiled.construct_params({name: None for name in given}, _check=False))
        self.sql = expanded.statement
        processors = {**compiled._bind_processors, **expanded.processors}
        fixed = expanded.parameters
        self.params = tuple(
            (name, processors.get(name), None) if name in given else
            (None, None, fixed[name] if processors.get(name) is None
             else processors[name](fixed[name]))
            for name in expanded.positiontup)
        self.converters = tuple(
            (i, proc) for i, proc in enumerate(
                column[3]._cached_result_processor(dialect, None)
                for column in compiled._result_columns)
            if proc is not None)
        self._builders: dict[type, Callable[[list], list]] = {}

    def run(self, session: Session, params: dict | None) -> list:
        """The rows as the driver gives them (``builder`` converts them)."""
        params = params or {}
        args = [value if name is None else params[name] if proc is None
                else proc(params[name]) for name, proc, value in self.params]
        conn = session.connection()
        cursor = conn.connection.cursor()
        try:
            return cursor.execute(self.sql, args).fetchall()
        except conn.dialect.loaded_dbapi.Error as exc:
            raise as_sqlalchemy_error(conn.dialect, self.sql, args, exc) from exc
        finally:
            cursor.close()

    def builder(self, cls) -> Callable[[list], list]:
        """The function turning this statement's raw rows into frozen ``cls`` instances,
        made once (see ``frozen``)."""
        try:
            return self._builders[cls]
        except KeyError:
            build = self._builders[cls] = frozen(cls, dict(self.converters))
            return build


def as_sqlalchemy_error(dialect, sql: str, args, exc: Exception) -> Exception:
    """The driver's error as SQLAlchemy's execution would have raised it (a locked or
    unreachable store is then told to the clerk as from any other statement)."""
    return DBAPIError.instance(sql, args, exc, dialect.loaded_dbapi.Error, dialect=dialect)


def _given(compiled) -> set[str]:
    """The names of the parameters the caller gives (a bindparam() without a value)."""
    return {b.key for b in compiled.binds.values() if b.value is None and b.callable is None}


def compilable(stmt: Select, dialect) -> bool:
    """False for a statement whose SQL depends on the caller's values (an expanding IN
    list of them) or on anything but SQLite's plain positional form."""
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        return False
    compiled = stmt.compile(dialect=dialect)
    given = _given(compiled)
    return not (compiled.literal_execute_params
                or any(b.key in given for b in compiled.post_compile_params))


_PLANS: dict[tuple[int, type], CompiledRows | None] = {}
_KEPT: list = []   # the statements keyed by id() above stay alive, so no id is reused


def plan_for(stmt: Select, dialect) -> CompiledRows | None:
    """The compiled form of a long-lived statement (built once and cached by its builder),
    or None when it has to go through ``Connection.execute``."""
    # Every store's SQLite dialect compiles a statement alike: one plan per dialect class.
    key = (id(stmt), type(dialect))
    try:
        return _PLANS[key]
    except KeyError:
        pass
    plan = CompiledRows(stmt, dialect) if compilable(stmt, dialect) else None
    _KEPT.append(stmt)
    _PLANS[key] = plan
    return plan


def frozen(cls, converters: dict[int, Callable] | None = None) -> Callable[[list], list]:
    """``[cls(*row) for row in rows]`` for a frozen dataclass without ``__post_init__``,
    each value passed through its column's converter (by position; None is left as it is,
    as every result processor does), in a third of the time: the dataclass's generated
    ``__init__`` sets every field through ``object.__setattr__`` (for a 19-field ``CaseRow``
    a quarter of a day list's time), while the instance dictionary can be set in one go,
    from one dictionary display with the conversions written into it."""
    converters = converters or {}
    names = [f.name for f in fields(cls)]
    scope = {"new": object.__new__, "set_attr": object.__setattr__, "cls": cls}
    items = []
    for i, name in enumerate(names):
        if not name.isidentifier():   # field names go into the code below
            raise ValueError(f"not a field name: {name!r}")
        if i in converters:
            scope[f"c{i}"] = converters[i]
            items.append(f"{name!r}: None if (v := row[{i}]) is None else c{i}(v)")
        else:
            items.append(f"{name!r}: row[{i}]")
    source = ("def build(rows):\n"
              "    built = []\n"
              "    for row in rows:\n"
              "        obj = new(cls)\n"
              f"        set_attr(obj, '__dict__', {{{', '.join(items)}}})\n"
              "        built.append(obj)\n"
              "    return built\n")
    exec(compile(source, f"<frozen {cls.__name__}>", "exec"), scope)
    return scope["build"]
