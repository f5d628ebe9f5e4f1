"""Reads on people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from apps.people.models import IdentityDocument, Person
from apps.people.normalise import document_number_key, name_key, phone_key


@dataclass(frozen=True)
class PersonFilters:
    query: str = ""
    nationality: str = ""
    situation: str = ""
    population_group: str = ""
    registered_from: date | None = None
    registered_to: date | None = None
    registered_by: int | None = None
    # People given this service (catalogue code) in an attention, within the dates if given.
    service_type: str = ""
    # People a staff member attended or follows as caseworker.
    caseworker: int | None = None


def person_list(*, filters: PersonFilters) -> QuerySet[Person]:
    """People matching a free search (partial name without accents or case, document
    number, phone) and the filters; documents come in one extra query, whatever the page."""
    people = Person.objects.all()
    text = filters.query.strip()
    if text:
        # Every word typed must appear, in any order ("Vargas María" finds María José Vargas).
        match = Q()
        for word in name_key(text).split():
            match &= Q(name_key__contains=word)
        number = document_number_key(text)
        if any(c.isdigit() for c in number):
            # A subquery, not a join: no DISTINCT over the whole registry.
            holders = IdentityDocument.objects.filter(number_key=number).values("person_id")
            match |= Q(pk__in=holders)
        digits = phone_key(text)
        if len(digits) >= 6:
            match |= Q(phone_key__contains=digits)
        people = people.filter(match)
    if filters.nationality:
        people = people.filter(nationality=filters.nationality)
    if filters.situation:
        people = people.filter(current_situation=filters.situation)
    if filters.population_group:
        people = people.filter(population_group=filters.population_group)
    if filters.registered_from:
        people = people.filter(created_at__date__gte=filters.registered_from)
    if filters.registered_to:
        people = people.filter(created_at__date__lte=filters.registered_to)
    if filters.registered_by:
        people = people.filter(registered_by_id=filters.registered_by)
    if filters.service_type:
        from apps.casework.models import Attention

        attended = Attention.objects.filter(
            person=OuterRef("pk"), service_types__code=filters.service_type
        )
        people = people.filter(Exists(attended))
    if filters.caseworker:
        from apps.casework.models import Attention, Case

        people = people.filter(
            Exists(Attention.objects.filter(person=OuterRef("pk"), staff_id=filters.caseworker))
            | Exists(Case.objects.filter(person=OuterRef("pk"), caseworker_id=filters.caseworker))
        )
    return people.prefetch_related(
        Prefetch("documents", queryset=IdentityDocument.objects.select_related("document_type"))
    ).order_by("family_names", "given_names", "pk")


def person_get(*, public_id: str) -> Person | None:
    """One person with everything the record page shows, or None."""
    return (
        Person.objects.filter(public_id=public_id)
        .select_related("household", "registered_by")
        .prefetch_related(
            Prefetch(
                "documents", queryset=IdentityDocument.objects.select_related("document_type")
            ),
            "situations",
            "consents",
            "data_requests",
        )
        .first()
    )


def person_possible_duplicates(
    *, given_names: str, family_names: str, birth_date: date
) -> list[Person]:
    """People born the same day whose name shares a given or a family name."""
    given = name_key(given_names).split()
    family = name_key(family_names).split()
    words = [w for w in (given[:1] + family[:1]) if len(w) >= 2]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(name_key__contains=word)
    return list(
        Person.objects.filter(birth_date=birth_date, anonymised_on__isnull=True)
        .filter(match)
        .prefetch_related(
            Prefetch("documents", queryset=IdentityDocument.objects.select_related("document_type"))
        )[:5]
    )
