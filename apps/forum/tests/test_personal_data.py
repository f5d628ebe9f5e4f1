"""The screening of forum texts for personal data (services.personal_data_errors): it
catches document numbers, phones and e-mail addresses even when lightly disguised, and
leaves dates, years, numbered documents, amounts and percentages alone."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.forum.models import AgendaItem
from apps.forum.services import (
    PERSONAL_DATA_MESSAGE,
    agenda_item_propose,
    looks_like_personal_data,
    personal_data_errors,
)
from apps.forum.tests.factories import secretariat_actor, session_make

REFUSED = [
    # document numbers, plain or grouped
    "Caso de la Sra. con DNI 45871236",
    "DNI 45.871.236",
    "DNI 45 871 236",
    "DNI 45-871-236",
    "DNI 45.871236",
    "DNI 45 87 12 36",
    "DNI 4 5 8 7 1 2 3 6",
    "CE 001 234 567",
    "Pasaporte 123456789",
    # phones
    "Llamar al 987 654 321",
    "Celular 987-654-321",
    "Celular 987.654.321",
    "WhatsApp +51 987654321",
    "Teléfono (01) 429-1234",
    "Teléfono 01 4291234",
    "Teléfono 01-429-1234",
    "Anexo: 429-1234",
    "Anexo: 429 - 1234",
    # e-mail addresses, plain or disguised
    "Escribir a ana.perez@gmail.com",
    "Escribir a ana(at)gmail.com",
    "Escribir a ana [at] gmail . com",
    "Escribir a ana {at} gmail dot com",
    "Escribir a ANA(AT)GMAIL.COM",
    "Escribir a ana arroba gmail.com",
    "Escribir a ana (arroba) hotmail (punto) com",
    "Escribir a ana @ gmail.com",
    "Escribir a ana.perez[at]municipalidad.gob.pe",
]

ACCEPTED = [
    "Sesión del 15/01/2027 a las 09:30",
    "Fechas: 2027-01-15, 15.01.2027 y 15-01-2027",
    "Balance de los años 2019, 2020 y 2021",
    "Período 2019-2020",
    "Ordenanza 014-2017-MDCLR",
    "Decreto Supremo N° 010-2023-IN",
    "Resolución 045-2024",
    "Informe N° 123-2024-MIMP",
    "Expediente 2024-000123",
    "Ley 30103",
    "Un fondo de S/ 1,500.00 por distrito",
    "Presupuesto de S/ 12.500.000 para el Callao",
    "Meta de 1,500,000 soles",
    "El 45 % de las familias; el 12.5% en 2025",
    "Se atendió a 1 200 personas en 2026",
    "Entre 120 y 150 personas, 45 en 2025",
    "De 10:00 a 12:40 en la sala 1, piso 2",
    "Reunión @ Municipalidad. Es importante asistir.",
    "Acuerdo 3.2.1 del acta",
]


@pytest.mark.parametrize("text", REFUSED)
def test_personal_data_is_refused(text: str) -> None:
    assert looks_like_personal_data(text)
    assert personal_data_errors(title=text) == {"title": [PERSONAL_DATA_MESSAGE]}


@pytest.mark.parametrize("text", ACCEPTED)
def test_ordinary_forum_texts_pass(text: str) -> None:
    assert not looks_like_personal_data(text)
    assert personal_data_errors(title=text) == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "refused"),
    [("Comunicarse con ana [at] gmail . com", True), ("Ordenanza 014-2017-MDCLR", False)],
)
def test_the_services_screen_with_the_same_rule(text: str, refused: bool) -> None:
    session = session_make()
    if refused:
        with pytest.raises(ValidationError) as error:
            agenda_item_propose(actor=secretariat_actor(), session=session, title=text)
        assert error.value.message_dict == {"title": [str(PERSONAL_DATA_MESSAGE)]}
    else:
        agenda_item_propose(actor=secretariat_actor(), session=session, title=text)
    assert AgendaItem.objects.exists() is not refused


def test_the_screening_stays_fast_on_long_texts() -> None:
    import time

    texts = ["palabra " * 5000, "x" * 20000, "1." * 10000, "ana@" * 3000, "(at) " * 4000]
    started = time.perf_counter()
    for text in texts:
        looks_like_personal_data(text)
    assert time.perf_counter() - started < 1
