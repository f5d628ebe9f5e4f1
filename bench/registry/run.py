"""Registry benchmark: search, lists and dashboard of one district with 20,000 people and
100,000 attentions (server time, measured in-process through the whole middleware stack).

Usage: .venv/bin/python bench/registry/run.py [--people 20000] [--attentions 100000]
       [--repeat 25] [--check]

The data is bulk-inserted (the services' validation is not what is measured here); the
history triggers still fire for every row, as they would in production.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import django_setup_scratch

TARGET_IMPORT_S = 20.0
TARGET_LIST_MS = 100.0
TARGET_DASHBOARD_MS = 300.0
GIVEN = ["María José", "Yulimar", "Daniela", "José Luis", "Carlos", "Jesús", "Andreína", "Wilmer"]
FAMILY = ["Rodríguez", "González", "Pérez", "Hernández", "García", "Quispe", "Núñez", "Salazar"]


def _fill(people: int, attentions: int, seed: int = 7) -> None:
    from django.contrib.auth import get_user_model

    from apps.accounts.roles import DistrictRole
    from apps.accounts.services import user_create_with_password
    from apps.casework.models import Attention
    from apps.catalogue.models import DocumentType, ServiceType
    from apps.people.models import IdentityDocument, MigratoryStatus, Person, PopulationGroup
    from apps.people.normalise import document_number_key, name_key

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    user = user_create_with_password(
        email="bench@bench.pe",
        password="bench-password-long",
        role=DistrictRole.CASEWORKER,
    )
    today = date.today()  # noqa: DTZ011
    batch = []
    for i in range(people):
        given, family = rng.choice(GIVEN), f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}"
        batch.append(
            Person(
                given_names=given,
                family_names=family,
                name_key=name_key(f"{given} {family}"),
                sex=rng.choice(["female", "male"]),
                birth_date=today - timedelta(days=rng.randint(700, 25000)),
                nationality=rng.choice(["VE"] * 8 + ["CO", "HT"]),
                phone=f"9{i:08d}",
                phone_key=f"9{i:08d}",
                population_group=PopulationGroup.IN_DESTINATION,
                current_situation=rng.choice(MigratoryStatus.values),
                registered_by=user,
            )
        )
    Person.objects.bulk_create(batch, batch_size=2000)
    person_ids = list(Person.objects.values_list("pk", flat=True))
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
    rows = [
        Attention(
            person_id=rng.choice(person_ids),
            occurred_on=today - timedelta(days=rng.randint(0, 364)),
            staff=user,
            channel="in_person",
        )
        for _ in range(attentions)
    ]
    Attention.objects.bulk_create(rows, batch_size=5000)
    through = Attention.service_types.through
    attention_ids = Attention.objects.values_list("pk", flat=True)
    through.objects.bulk_create(
        [through(attention_id=pk, servicetype_id=rng.choice(services)) for pk in attention_ids],
        batch_size=5000,
    )
    del get_user_model


def _import_file(rows: int) -> bytes:
    """A CSV of ``rows`` people, each with a document and an attention."""
    header = (
        "apellidos;nombres;sexo;fecha_nacimiento;nacionalidad;grupo_poblacional;tipo_documento;"
        "numero_documento;telefono;fecha_atencion;servicios;canal"
    )
    lines = [header]
    for i in range(rows):
        sex = "mujer" if i % 2 else "hombre"
        lines.append(
            f"{FAMILY[i % 8]} {FAMILY[(i // 8) % 8]};{GIVEN[i % 8]};{sex};"
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 50};VE;en destino;passport;"
            f"IMP{i:08d};9{i:08d};15/03/2026;legal-orientation;presencial"
        )
    return ("\n".join(lines) + "\n").encode()


def _measure_import(rows: int) -> tuple[float, float]:
    """Seconds to preview and to commit an import of ``rows`` rows (run in the schema)."""
    from django.contrib.auth import get_user_model

    from apps.people.imports import import_commit, import_preview

    content = _import_file(rows)
    started = time.perf_counter()
    preview = import_preview(filename="bench.csv", content=content)
    checked = time.perf_counter()
    assert preview.ok, preview.errors[:3]
    import_commit(actor=get_user_model().objects.get(username="bench@bench.pe"), preview=preview)
    return checked - started, time.perf_counter() - checked


def _time(client: object, path: str, repeat: int) -> list[float]:
    timings = []
    client.get(path)  # type: ignore[attr-defined]  # warm caches once
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--attentions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    django_setup_scratch()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import schema_context

    from tenants.services.onboarding import district_onboard

    district = district_onboard(
        name="Distrito de prueba",
        slug="bench",
        ubigeo="150101",
        coordinator_email="c@bench.pe",
        refill_pool_in_background=False,
        send_invitation=False,
    ).district
    started = time.perf_counter()
    with schema_context(district.schema_name):
        _fill(args.people, args.attentions)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        user = get_user_model().objects.get(username="bench@bench.pe")
        client = Client(HTTP_HOST="bench.localhost")
        client.force_login(user)
    elapsed = time.perf_counter() - started
    print(f"filled {args.people} people and {args.attentions} attentions in {elapsed:.1f} s")

    cases = [
        ("login page (no query: the floor)", "/accounts/login/", None),
        ("people list, page 1", "/people/", TARGET_LIST_MS),
        ("people list, page 400", "/people/?page=400", TARGET_LIST_MS),
        ("search: partial name, no accents", "/people/?q=jose+nunez", TARGET_LIST_MS),
        ("search: document number", "/people/?q=cpp-000012345", TARGET_LIST_MS),
        ("search: phone", "/people/?q=900012345", TARGET_LIST_MS),
        (
            "filtered: nationality + situation",
            "/people/?nationality=HT&situation=refugee",
            TARGET_LIST_MS,
        ),
        ("dashboard (home)", "/", TARGET_DASHBOARD_MS),
    ]
    ok = True
    print(f"\n{'request':<38} {'median ms':>10} {'worst ms':>9} {'target':>7}")
    for label, path, target in cases:
        timings = _time(client, path, args.repeat)
        median = statistics.median(timings)
        verdict = "" if target is None else ("ok" if median < target else "MISSED")
        ok &= verdict != "MISSED"
        print(f"{label:<38} {median:>10.1f} {max(timings):>9.1f} {target or '':>7} {verdict}")
    with schema_context(district.schema_name):
        checking, writing = _measure_import(args.import_rows)
    total = checking + writing
    verdict = "ok" if total < TARGET_IMPORT_S else "MISSED"
    ok &= verdict == "ok"
    print(
        f"\nimport of {args.import_rows} rows (with documents and attentions): "
        f"preview {checking:.1f} s + commit {writing:.1f} s = {total:.1f} s "
        f"(target {TARGET_IMPORT_S:.0f} s) {verdict}"
    )
    print(f"\ntargets: {'met' if ok else 'MISSED'}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
