"""Demo sounding boards: the two advisory councils and four klankbordgroepen,
a year of six-weekly meetings, feedback in every state and the steps taken.

Idempotent: boards are keyed by slug; a board that already has meetings
keeps its history (so a second run, even on another day, adds nothing).
History is written through the services and then dated back to the
meeting it belongs to, so timelines and digests read like a real year.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from digibank.models import Resident, TargetGroup, User
from outreach.models import Partner
from points.models import Point
from soundboard.models import (
    BoardKind,
    ContactBy,
    FeedbackEvent,
    FeedbackEventKind,
    FeedbackItem,
    FeedbackStatus,
    FeedbackTopic,
    Meeting,
    SoundingBoard,
    Step,
)
from soundboard.services import (
    add_member,
    answer_feedback,
    build_due_digests,
    mark_told_back,
    record_feedback,
    record_step,
    set_attendance,
)

S, T = FeedbackStatus, FeedbackTopic

# slug, name, kind, target group, facilitator, partners, meeting time, point. The
# coordinator facilitates: the demo's coach reads the boards, as coaches do.
BOARDS = [
    ("adviesraad-senioren", "Adviesraad senioren", BoardKind.ADVISORY_COUNCIL, "ouderen",
     "coordinator", [], time(14, 0), "huis-van-de-mechelaar"),
    ("adviesraad-personen-met-een-beperking", "Adviesraad personen met een beperking",
     BoardKind.ADVISORY_COUNCIL, "personen-met-een-beperking", "coordinator", [], time(14, 0),
     "huis-van-de-mechelaar"),
    ("klankbord-nieuwkomers", "Klankbordgroep nieuwkomers", BoardKind.SOUNDING_BOARD,
     "nieuwkomers", "coordinator", ["sociaal-huis"], time(10, 0), "bibliotheek-predikheren"),
    ("klankbord-armoede", "Klankbordgroep mensen in armoede", BoardKind.SOUNDING_BOARD,
     "mensen-in-armoede", "coordinator", ["sociaal-huis", "thuiszorg-zorgzaam"], time(13, 30),
     "huis-van-de-mechelaar"),
    ("klankbord-werkzoekenden", "Klankbordgroep werkzoekenden", BoardKind.SOUNDING_BOARD,
     "werkzoekenden", "coordinator", [], time(10, 0), "bibliotheek-predikheren"),
    ("klankbord-ouders", "Klankbordgroep ouders", BoardKind.SOUNDING_BOARD, "ouders", "coordinator",
     ["bibliotheek"], time(19, 0), "bibliotheek-predikheren"),
]

# Per board: (meeting number it was raised at, topic, about, words, path of
# statuses, answer, step that answered it or "", told back at meeting n or None)
FEEDBACK = {
    "adviesraad-senioren": [
        (1, T.PLACE, "Battel", "Voor mensen uit Battel is het digibankpunt in de stad te ver. "
         "De bus rijdt maar één keer per uur.", [S.CONSIDERING, S.PLANNED, S.DONE],
         "Sinds september is er een digibankpunt in het ontmoetingscentrum van Battel.",
         "Nieuw digibankpunt in Battel geopend", 6),
        (3, T.INITIATIVE, "Opleiding bankieren", "De opleiding over de bankapp ging te snel. "
         "Wij willen meer tijd om te oefenen.", [S.PLANNED],
         "In de volgende reeks zijn er vier lessen in plaats van twee.", "", 5),
        (6, T.MISSING_SERVICE, "Hulp aan huis", "Wie niet meer buiten komt, kan niet naar een "
         "digibankpunt.", [S.CONSIDERING],
         "We bekijken met de thuiszorgdiensten of een coach aan huis kan komen.", "", None),
        (7, T.OTHER, "", "Het bord aan de ingang is te klein. Wij vinden de ingang niet.",
         [], "", "", None),
    ],
    "adviesraad-personen-met-een-beperking": [
        (1, T.PLACE, "Huis van de Mechelaar", "De balie is te hoog voor wie in een rolstoel "
         "zit.", [S.PLANNED, S.DONE], "Er is nu een lage balie met een eigen laptop.",
         "Lage balie in het Huis van de Mechelaar", 4),
        (4, T.MISSING_SERVICE, "Gebarentaal", "Dove mensen kunnen geen vragen stellen aan de "
         "balie.", [S.NOT_TAKEN_UP], "We hebben geen budget voor een vaste tolk. We verwijzen "
         "naar de tolkendienst; die komt gratis mee op afspraak.", "", 6),
        (7, T.INITIATIVE, "Ringleiding", "In de bibliotheek werkt de ringleiding niet altijd.",
         [S.CONSIDERING], "We laten de ringleiding nakijken.", "", None),
    ],
    "klankbord-nieuwkomers": [
        (2, T.MISSING_SERVICE, "Uitleg in het Arabisch", "De uitleg over itsme is alleen in "
         "het Nederlands.", [S.PLANNED, S.DONE], "Er is een folder in het Arabisch, Oekraïens "
         "en Engels.", "Folder over itsme in drie talen", 5),
        (5, T.PLACE, "Bibliotheek", "Op zaterdag kunnen wij wel komen, dan hebben we geen les.",
         [S.PLANNED, S.DONE], "De bibliotheek is nu ook op zaterdagvoormiddag open voor "
         "digitale hulp.", "Zaterdagvoormiddag open in de bibliotheek", 7),
        (7, T.INITIATIVE, "Taalcafé", "Kan het taalcafé ook over de computer gaan?", [],
         "", "", None),
    ],
    "klankbord-armoede": [
        (1, T.MISSING_SERVICE, "Goedkoop internet", "Internet is te duur. Wij weten niet "
         "welk abonnement goedkoop is.", [S.PLANNED, S.DONE], "Aan de balie leggen we nu "
         "het sociaal tarief uit en helpen we het aan te vragen.", "Uitleg sociaal tarief "
         "aan elke balie", 3),
        (4, T.INITIATIVE, "Laptop lenen", "De waarborg voor een laptop is te hoog.",
         [S.CONSIDERING, S.NOT_TAKEN_UP], "De waarborg blijft, maar je mag hem in drie keer "
         "betalen.", "", 6),
        (7, T.PLACE, "Wachtzaal", "In de wachtzaal horen anderen je vragen.", [S.CONSIDERING],
         "We zoeken een plek waar je rustig kan praten.", "", None),
    ],
    "klankbord-werkzoekenden": [
        (2, T.MISSING_SERVICE, "Sollicitatiebrief", "Wij willen hulp bij een cv en een "
         "sollicitatiebrief.", [S.PLANNED], "Vanaf volgende maand is er elke dinsdag een "
         "coach voor cv's.", "", 4),
        (6, T.INITIATIVE, "VDAB-app", "De VDAB-app werkt niet op een oude telefoon.", [],
         "", "", None),
    ],
    "klankbord-ouders": [
        (1, T.MISSING_SERVICE, "Schoolinschrijving", "Het inschrijven voor school gaat alleen "
         "online.", [S.PLANNED, S.DONE], "In maart staat een mobiel digibankpunt aan drie "
         "scholen.", "Mobiel digibankpunt aan de scholen in maart", 3),
        (5, T.INITIATIVE, "Smartschool", "Wij begrijpen Smartschool niet goed.", [S.PLANNED],
         "Er komt een opleiding Smartschool voor ouders, 's avonds.", "", 7),
        (7, T.PLACE, "Avond", "Overdag werken wij. Is er ook 's avonds hulp?", [], "", "",
         None),
    ],
}

# Demo residents (from digibank.demo) who sit on each board.
MEMBERS = {
    "adviesraad-senioren": [("Maria", "Peeters"), ("Josée", "Van den Bossche")],
    "adviesraad-personen-met-een-beperking": [("Josée", "Van den Bossche")],
    "klankbord-nieuwkomers": [("Ahmed", "El Amrani"), ("Olena", "Kovalenko")],
    "klankbord-armoede": [("Luc", "Janssens")],
    "klankbord-werkzoekenden": [("Ahmed", "El Amrani")],
    "klankbord-ouders": [("Olena", "Kovalenko"), ("Fatima", "Bouzid")],
}

MEETINGS_PER_YEAR = 9  # a year of six-weekly meetings, the last one still to come


def _backdate(item: FeedbackItem, meetings: list[Meeting], raised: int, told: int | None) -> None:
    """Spread the item's history over the meetings that followed it: each
    answer ten days after a meeting, telling back at meeting ``told``."""
    start = meetings[raised].starts_at
    last_answer_meeting = (told - 1) if told else len(meetings) - 2
    events = list(item.events.order_by("pk"))
    answered = 0
    for event in events:
        if event.kind == FeedbackEventKind.RAISED:
            event.at = start + timedelta(hours=1)
        elif event.kind == FeedbackEventKind.ANSWERED:
            answered += 1
            index = min(raised + answered - 1, last_answer_meeting)
            event.at = meetings[max(index, raised)].starts_at + timedelta(days=10)
        elif event.kind == FeedbackEventKind.TOLD_BACK:
            event.at = meetings[told].starts_at + timedelta(hours=2)
        else:
            event.at = timezone.make_aware(datetime.combine(
                item.steps.order_by("-taken_on").first().taken_on, time(12, 0)))
    FeedbackEvent.objects.bulk_update(events, ["at"])
    answers = [event.at for event in events if event.kind == FeedbackEventKind.ANSWERED]
    FeedbackItem.objects.filter(pk=item.pk).update(
        created_at=start + timedelta(hours=1),
        answered_at=answers[0] if answers else None,
        status_changed_at=answers[-1] if answers else start + timedelta(hours=1),
    )


def _seed_history(board: SoundingBoard, point: Point, at: time, actor: User) -> None:
    today = timezone.localdate()
    first_day = today - timedelta(weeks=6 * (MEETINGS_PER_YEAR - 1)) + timedelta(days=5)
    meetings = [
        Meeting.objects.create(
            board=board, point=point, venue="" if point else "Ontmoetingscentrum",
            starts_at=timezone.make_aware(
                datetime.combine(first_day + timedelta(weeks=6 * n), at)),
            agenda="Welkom\nWat deden we met jullie feedback?\nNieuwe vragen",
        )
        for n in range(MEETINGS_PER_YEAR)
    ]
    members = list(board.members.all())
    for meeting in meetings[:-1]:
        for member in members:
            set_attendance(actor=actor, meeting=meeting, member=member, present=True)
    for raised, topic, about, words, path, answer, step_title, told in FEEDBACK[board.slug]:
        item = record_feedback(actor=actor, board=board, words=words, topic=topic,
                               about=about, meeting=meetings[raised])
        for status in path:
            item = answer_feedback(actor=actor, item=item, status=status, answer=answer)
        if step_title:
            day = timezone.localtime(meetings[told - 1 if told else raised + 1].starts_at)
            record_step(actor=actor, title=step_title, taken_on=day.date() + timedelta(days=14),
                        items=[item])
        if told:
            mark_told_back(actor=actor, item=item, meeting=meetings[told])
        _backdate(item, meetings, raised, told)


def seed(stdout=None) -> None:
    points = {point.slug: point for point in Point.objects.all()}
    for slug, name, kind, group, facilitator, partners, at, point in BOARDS:
        board, _created = SoundingBoard.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name, "kind": kind,
                "target_group": TargetGroup.objects.filter(slug=group).first(),
                "facilitator": User.objects.get(username=facilitator),
            },
        )
        board.partners.set(Partner.objects.filter(slug__in=partners))
        if board.meetings.exists():
            continue
        actor = board.facilitator
        for first, last in MEMBERS[slug]:
            resident = Resident.objects.filter(first_name=first, last_name=last).first()
            if resident is not None:
                add_member(actor=actor, board=board, resident=resident,
                           joined_on=timezone.localdate() - timedelta(days=400),
                           contact_by=ContactBy.PHONE if not resident.email else ContactBy.EMAIL,
                           needs_easy_read=True)
        for partner in board.partners.all():
            add_member(actor=actor, board=board, partner=partner, name=f"Contact {partner}",
                       joined_on=timezone.localdate() - timedelta(days=400),
                       contact_by=ContactBy.EMAIL)
        _seed_history(board, points.get(point), at, actor)
    # A city-wide step told to every board.
    if not Step.objects.filter(title="Digibankpunten ook open in de kerstvakantie").exists():
        record_step(actor=None, title="Digibankpunten ook open in de kerstvakantie",
                    taken_on=timezone.localdate() - timedelta(days=20),
                    boards=SoundingBoard.objects.all())
    # Each board meets again in five days: its digest is due, as the beat job would build it.
    build_due_digests()
    if stdout:
        stdout.write(f"  soundboard: {SoundingBoard.objects.count()} boards, "
                     f"{Meeting.objects.count()} meetings, {FeedbackItem.objects.count()} items")
