"""Builders shared by the written-reply tests: a resolved tenant case with a paid voucher and
a chargeback, a reply drafted and approved, and loopback servers (SMTP, an SMS gateway)."""
from __future__ import annotations

import http.server
import json
import os
import shutil
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from desk import corrective, replies, services
from desk.enums import Step
from desk.errors import DomainError
from tests.helpers import new_case, walk


def resolved_tenant_case(store, policy, team, **changes) -> str:
    """A tenant case, walked, a 300 voucher accepted, resolved, 300 charged back."""
    changes.setdefault("customer_address", "台北市信義區松高路 11 號 5 樓")
    no = new_case(store, policy, team.clerk, **changes)
    at = walk(store, policy, no, team.clerk, Step.PROPOSE)
    with store.write(team.clerk) as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 300, now=at)
        services.record_answer(session, policy, no, 1, team.clerk, "accepted",
                               serials=["V0001"], now=at)
        services.record_step(session, policy, no, team.clerk, "confirm", now=at)
        services.resolve(session, policy, no, team.clerk, "好鞋坊已為顧客換新鞋，並致歉。",
                         "founded", now=at + timedelta(minutes=1))
    with store.write(team.supervisor) as session:
        corrective.record_chargeback(session, policy, team.supervisor, no, 300,
                                     "鞋底開膠，專櫃負擔", now=at + timedelta(minutes=2))
    return no


def approved_reply(store, policy, team, no: str, channel: str = "letter", **kw) -> int:
    with store.write(team.clerk) as session:
        seq = replies.draft_reply(session, policy, no, team.clerk, channel,
                                  template=kw.pop("template", "result"), **kw).seq
    with store.write(team.supervisor) as session:
        replies.approve_reply(session, policy, no, seq, team.supervisor)
    return seq


class Gateway:
    """A real HTTP server on loopback that records each POST (an SMS gateway)."""

    def __init__(self, status: int = 200) -> None:
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):   # noqa: N802  (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                received.append((self.headers.get("Content-Type"),
                                 self.rfile.read(length).decode("utf-8")))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Gateway":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def json(self, i: int = 0) -> dict:
        return json.loads(self.received[i][1])


class Mailbox:
    """A real SMTP server (aiosmtpd) on loopback keeping every message it receives."""

    def __init__(self, login: tuple[str, str] | None = None) -> None:
        """With ``login`` the server accepts mail only after AUTH with that user and
        password (over plain loopback, as the tests run without TLS)."""
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Message as Handler
        from aiosmtpd.smtp import AuthResult
        messages = self.messages = []
        self.logins = []

        class Keep(Handler):
            def handle_message(self, message):
                messages.append(message)

        def check(_server, _session, _envelope, _mechanism, auth_data):
            given = (auth_data.login.decode(), auth_data.password.decode())
            self.logins.append(given)
            return AuthResult(success=given == login)

        self.port = free_port()
        extra = dict(authenticator=check, auth_required=True, auth_require_tls=False
                     ) if login else {}
        self.controller = Controller(Keep(), hostname="127.0.0.1", port=self.port, **extra)

    def __enter__(self) -> "Mailbox":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def free_port() -> int:
    """A loopback port nothing listens on (the "server is down" case)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]




# --- fast stores: a migrated SQLite file with the team, made once and copied per test ---------

_SEED: dict = {}


def _seed_file(policy) -> Path:
    """Migrating a new store and hashing seven PINs is most of a small test's time: done once
    per run, then the file is copied (SQLite only; PostgreSQL copies its own template)."""
    if "path" not in _SEED:
        from desk.store import Store
        from desk.store_policy import load_store_policy
        from tests.conftest import make_team
        path = Path(tempfile.mkdtemp(prefix="desk-replies-seed-")) / "seed.sqlite3"
        seed = Store("sqlite:///" + path.as_posix())
        load_store_policy(seed)
        make_team(seed, policy)
        seed.close()
        _SEED["path"] = path
    return _SEED["path"]


def seeded(target: Path, policy):
    """A SQLite store at ``target`` with the team and the store's policy in it."""
    from desk.store import Store
    shutil.copyfile(_seed_file(policy), target)
    return Store("sqlite:///" + target.as_posix())


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, policy):
    """As the suite's ``store`` fixture, the SQLite store copied from the seed (with the team
    and the store's policy already in it)."""
    from desk.store import Store
    from tests.conftest import NO_PG
    if request.param == "sqlite":
        st = seeded(tmp_path / "desk.sqlite3", policy)
        yield st
        st.close()
        return
    if not os.environ.get("DESK_TEST_PG_URL"):
        pytest.skip(NO_PG)
    server = request.getfixturevalue("pg_server")
    name = server.create()
    st = Store(server.url_of(name))
    yield st
    st.close()
    server.drop(name)


@pytest.fixture
def team(store, policy):
    """The suite's team: read from a seeded store, made in any other."""
    from desk import services
    from tests.conftest import TEAM, Team, make_team
    with store.read() as session:
        try:
            return Team(*[services.actor_for(session, p[0]) for p in TEAM])
        except DomainError:
            pass
    return make_team(store, policy)
