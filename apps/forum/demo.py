"""Demo sessions of the Forum of Mayors (used by ``manage.py demo_setup`` only).

Idempotent: nothing is made when the forum already has a session. Every row goes through
the services, as the pages would make it; texts are in Spanish, as the offices write them.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from apps.accounts.roles import PlatformRole
from apps.forum import services
from apps.forum.models import AgendaItem, ForumSession, SessionParticipant
from apps.forum.services import ForumActor
from tenants.models import District

Kind = SessionParticipant.Kind
Status = ForumSession.Status


def forum_demo_create(districts: list[District]) -> None:
    """A held session with minutes and agreements (one overdue), a convened one with
    agenda items proposed by districts, and a draft being prepared."""
    if not districts:
        return
    with schema_context(get_public_schema_name()):
        if ForumSession.objects.exists():
            return
        account = (
            get_user_model()
            .objects.filter(groups__name=PlatformRole.SECRETARIAT)
            .order_by("pk")
            .first()
        )
        secretariat = ForumActor(public_account=account)
        today = timezone.localdate()
        _held_session(secretariat, districts, today)
        _convened_session(secretariat, districts, today)
        services.forum_session_create(
            actor=secretariat,
            held_on=today + timedelta(days=100),
            place=f"Auditorio de la Municipalidad de {districts[0].name}",
            host_district=districts[0],
        )


def _pick(districts: list[District], *indexes: int) -> list[District]:
    """The districts at these positions (wrapping round a shorter list), without repeats."""
    picked = [districts[i % len(districts)] for i in indexes]
    return list({district.pk: district for district in picked}.values())


def _held_session(actor: ForumActor, districts: list[District], today: date) -> None:
    host = _pick(districts, 5)[0]
    session = services.forum_session_create(
        actor=actor,
        held_on=today - timedelta(days=75),
        starts_at=time(9, 30),
        place=f"Salón de actos de la Municipalidad de {host.name}",
        host_district=host,
    )
    # Districts propose to a convened session; items are discussed once it is held.
    session = services.forum_session_update(actor=actor, session=session, status=Status.CONVENED)
    items = [
        ("Balance de las oficinas de orientación al migrante", 30, None),
        ("Regularización migratoria: jornadas con Migraciones", 25, _pick(districts, 2)[0]),
        ("Prevención de la xenofobia en colegios", 20, _pick(districts, 1)[0]),
    ]
    accepted = []
    for title, minutes, district in items:
        proposer = ForumActor.for_district(district, None) if district else actor
        item = services.agenda_item_propose(
            actor=proposer, session=session, title=title, planned_minutes=minutes
        )
        if item.status == AgendaItem.Status.PROPOSED:
            item = services.agenda_item_decide(actor=actor, item=item, status="accepted")
        accepted.append(item)
    for district in districts:
        kind = Kind.MAYOR if district == districts[0] else Kind.DELEGATE
        participant = services.session_participant_add(
            actor=actor, session=session, kind=kind, district=district
        )
        services.session_participant_attendance_set(
            actor=actor, participant=participant, attended=district != districts[-1]
        )
    for organisation in ("ACNUR", "OIM", "Encuentros SJM"):
        participant = services.session_participant_add(
            actor=actor, session=session, kind=Kind.PARTNER, organisation=organisation
        )
        services.session_participant_attendance_set(
            actor=actor, participant=participant, attended=True
        )
    services.session_participant_add(actor=actor, session=session, kind=Kind.SECRETARIAT)
    session = services.forum_session_update(actor=actor, session=session, status=Status.HELD)
    for item in accepted:
        services.agenda_item_decide(actor=actor, item=item, status="discussed")
    services.minutes_publish(
        actor=actor,
        session=session,
        body=(
            "Se instaló la sesión con el quórum de los distritos presentes.\n\n"
            "Las oficinas de orientación presentaron su balance del trimestre. Se acordó "
            "organizar jornadas conjuntas de regularización con Migraciones y una campaña "
            "contra la xenofobia en colegios, con el apoyo de ACNUR y OIM."
        ),
    )
    services.minutes_publish(
        actor=actor,
        session=session,
        body=(
            "Se instaló la sesión con el quórum de los distritos presentes.\n\n"
            "Las oficinas de orientación presentaron su balance del trimestre. Se acordó "
            "organizar jornadas conjuntas de regularización con Migraciones y una campaña "
            "contra la xenofobia en colegios, con el apoyo de ACNUR, OIM y Encuentros SJM.\n\n"
            "Se levantó la sesión a las 12:40."
        ),
        change_note="Se añadió a Encuentros SJM y la hora de cierre.",
    )
    _agreements(actor, session, districts, today)


def _agreements(
    actor: ForumActor, session: ForumSession, districts: list[District], today: date
) -> None:
    baseline_from = (session.held_on - timedelta(days=95)).replace(day=1)
    baseline_to = session.held_on.replace(day=1) - timedelta(days=1)
    regularisation = services.agreement_create(
        actor=actor,
        session=session,
        text="Realizar jornadas de regularización migratoria con Migraciones en cada distrito.",
        responsible_districts=_pick(districts, 0, 2, 5),
        responsible_partners=["OIM"],
        deadline=today + timedelta(days=60),
        indicator="attentions",
        target=900,
        baseline_from=baseline_from,
        baseline_to=baseline_to,
    )
    services.agreement_progress_post(
        actor=ForumActor.for_district(_pick(districts, 2)[0], None),
        agreement=regularisation,
        note="Primera jornada realizada en el local comunal; la segunda está programada.",
        status="in_progress",
    )
    services.agreement_create(
        actor=actor,
        session=session,
        text="Ampliar la atención de las oficinas de orientación a los sábados por la mañana.",
        responsible_districts=_pick(districts, 1, 3),
        deadline=today - timedelta(days=10),
        indicator="people_served",
        target=400,
        baseline_from=baseline_from,
        baseline_to=baseline_to,
    )
    campaign = services.agreement_create(
        actor=actor,
        session=session,
        text="Campaña contra la xenofobia y la discriminación en los colegios del Callao.",
        responsible_districts=_pick(districts, 1),
        responsible_partners=["ACNUR", "Encuentros SJM"],
        deadline=today + timedelta(days=120),
    )
    services.agreement_progress_post(
        actor=ForumActor.for_district(_pick(districts, 1)[0], None),
        agreement=campaign,
        note="Se coordinó con la UGEL; 12 colegios confirmaron su participación.",
        status="in_progress",
    )


def _convened_session(actor: ForumActor, districts: list[District], today: date) -> None:
    host = _pick(districts, 1)[0]
    session = services.forum_session_create(
        actor=actor,
        held_on=today + timedelta(days=21),
        starts_at=time(10, 0),
        place=f"Casa de la Cultura de {host.name}",
        host_district=host,
    )
    session = services.forum_session_update(actor=actor, session=session, status=Status.CONVENED)
    health = services.agenda_item_propose(
        actor=actor, session=session, title="Acceso a la salud (SIS)", planned_minutes=30
    )
    services.agenda_item_propose(
        actor=actor,
        session=session,
        title="Afiliación de niñas y niños al SIS",
        planned_minutes=15,
        parent=health,
    )
    services.agenda_item_propose(
        actor=actor,
        session=session,
        title="Seguimiento de los acuerdos de la sesión anterior",
        planned_minutes=20,
    )
    proposals = [
        (3, "Ferias de empleo y emprendimiento para personas migrantes", 20),
        (4, "Voluntariado migrante en campañas ambientales", 15),
        (6, "Vacantes escolares para niñas y niños migrantes", 15),
    ]
    for index, title, minutes in proposals:
        services.agenda_item_propose(
            actor=ForumActor.for_district(_pick(districts, index)[0], None),
            session=session,
            title=title,
            planned_minutes=minutes,
        )
