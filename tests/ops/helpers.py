"""Real services for the operations tests: databases created for one test on the suite's server,
and disposable PostgreSQL and Redis servers on free ports for tests that stop a service. Nothing
here ever stops or reconfigures the machine's shared PostgreSQL or Redis."""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    password: str = ""

    @classmethod
    def of_suite(cls) -> "Server":
        db = settings.DATABASES["default"]
        return cls(
            host=db.get("HOST") or "127.0.0.1",
            port=int(db.get("PORT") or 5432),
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or "",
        )

    def url(self, name: str) -> str:
        password = f":{self.password}" if self.password else ""
        return f"postgres://{self.user}{password}@{self.host}:{self.port}/{name}"

    def connect(self, name: str = "postgres"):
        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=name,
            connect_timeout=3,
        )

    def admin(self, sql: str) -> None:
        conn = self.connect()
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
        finally:
            conn.close()

    def bindir(self) -> Path:
        """pg_dump / pg_restore of the server's own major version."""
        conn = self.connect()
        try:
            with conn.cursor() as cursor:
                cursor.execute("SHOW server_version_num")
                major = int(cursor.fetchone()[0]) // 10000
        finally:
            conn.close()
        found = glob.glob(f"/usr/lib/postgresql/{major}/bin")
        if not found:
            raise RuntimeError(f"no PostgreSQL {major} client binaries under /usr/lib/postgresql")
        return Path(found[0])

    def env(self) -> dict[str, str]:
        """For pg_dump / pg_restore / psql."""
        extra = {"PGPASSWORD": self.password} if self.password else {}
        return {**os.environ, **extra}


@contextlib.contextmanager
def fresh_database(server: Server, prefix: str = "hz_ops_drill") -> Iterator[str]:
    """A new empty database with a unique name, dropped afterwards (FORCE: a killed subprocess
    may have left a connection)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    server.admin(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a portal process (manage.py, a worker) against `database_url`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO_", "CELERY_")) and k != "REDIS_URL"
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="huzhou_union.settings",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 600) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def python(env: dict[str, str], script: str, *args: str, timeout: int = 600) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"script exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


# --- disposable servers ------------------------------------------------------------------------


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class DisposablePostgres:
    """A PostgreSQL of the machine's version in a temporary directory on a free port, trust auth,
    started and stopped (or killed) by the test; removed afterwards."""

    def __init__(self) -> None:
        self.bindir = Server.of_suite().bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="hz-ops-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.server = Server(host="127.0.0.1", port=self.port, user="postgres")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(self.bindir / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        subprocess.run(
            _as_postgres(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.dir / "log"),
                    "-o",
                    f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        _wait_for_port(self.port)

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            _as_postgres(
                [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]
            ),
            capture_output=True,
        )

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def disposable_postgres() -> Iterator[DisposablePostgres]:
    pg = DisposablePostgres()
    try:
        pg.start()
        yield pg
    finally:
        pg.remove()


class DisposableRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="hz-ops-redis-"))
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def disposable_redis() -> Iterator[DisposableRedis]:
    redis = DisposableRedis()
    try:
        redis.start()
        yield redis
    finally:
        redis.remove()
