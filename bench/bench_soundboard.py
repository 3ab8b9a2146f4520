"""Sounding boards at full size: 50 boards, 2,000 meetings (40 each, six
weeks apart), 20,000 feedback items with their history, 2,000 steps.

Measured: the board list, the busiest board's page, a meeting page, the
coordinator's overview, the easy-read sheet, and building a digest (the
beat job's work per meeting, including rendering and sending the e-mail)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

BOARDS, MEETINGS_PER_BOARD, ITEMS_PER_BOARD = 50, 40, 400
STEPS_PER_BOARD, MEMBERS_PER_BOARD = 40, 15


def load(scale: float) -> None:
    from digibank.models import Resident, User
    from soundboard.models import (
        FeedbackEvent,
        FeedbackItem,
        FeedbackStatus,
        FeedbackTopic,
        Meeting,
        Member,
        SoundingBoard,
        Step,
    )

    boards_n = max(2, int(BOARDS * scale))
    meetings_n = max(3, int(MEETINGS_PER_BOARD * min(1, scale * 4)))
    items_n = max(10, int(ITEMS_PER_BOARD * scale))
    facilitator = User.objects.get(username="coach")
    boards = SoundingBoard.objects.bulk_create([
        SoundingBoard(name=f"Bench board {n}", slug=f"bench-board-{n}", facilitator=facilitator)
        for n in range(boards_n)
    ])
    residents = Resident.objects.bulk_create([
        Resident(first_name="Lid", last_name=f"Bench {n}", phone=f"0470{n:06d}")
        for n in range(boards_n * MEMBERS_PER_BOARD)
    ])
    Member.objects.bulk_create([
        Member(board=board, resident=residents[b * MEMBERS_PER_BOARD + m])
        for b, board in enumerate(boards) for m in range(MEMBERS_PER_BOARD)
    ])
    now = timezone.now()
    # The last meeting of each board is three days ahead; the rest go back six weeks each.
    meetings = Meeting.objects.bulk_create([
        Meeting(board=board, venue="Zaal", starts_at=now + timedelta(days=3)
                - timedelta(weeks=6 * (meetings_n - 1 - m)))
        for board in boards for m in range(meetings_n)
    ])
    statuses = [FeedbackStatus.NEW, FeedbackStatus.CONSIDERING, FeedbackStatus.PLANNED,
                FeedbackStatus.DONE, FeedbackStatus.NOT_TAKEN_UP]
    items = []
    for b, board in enumerate(boards):
        board_meetings = meetings[b * meetings_n:(b + 1) * meetings_n - 1]
        for i in range(items_n):
            meeting = board_meetings[i % len(board_meetings)]
            status = statuses[i % len(statuses)]
            answered = None if status == FeedbackStatus.NEW else meeting.starts_at + timedelta(
                days=10)
            items.append(FeedbackItem(
                board=board, raised_at=meeting, raised_on=meeting.starts_at.date(),
                topic=FeedbackTopic.PLACE, words=f"Bench feedback {i} of board {b}",
                status=status, answer="" if answered is None else "Bench answer",
                answered_at=answered, answer_due_on=meeting.starts_at.date() + timedelta(weeks=6),
                status_changed_at=answered or meeting.starts_at, created_at=meeting.starts_at,
            ))
    items = FeedbackItem.objects.bulk_create(items, batch_size=2000)
    FeedbackEvent.objects.bulk_create([
        FeedbackEvent(item=item, at=item.created_at, kind="raised", to_status="new")
        for item in items
    ], batch_size=5000)
    for board in boards:
        steps = Step.objects.bulk_create([
            Step(title=f"Bench step {s}", taken_on=(now - timedelta(days=7 * s)).date())
            for s in range(max(2, int(STEPS_PER_BOARD * scale)))
        ])
        Step.boards.through.objects.bulk_create([
            Step.boards.through(step=step, soundingboard=board) for step in steps
        ])


def measure(bench) -> None:
    from django.db import transaction

    from digibank.models import User
    from soundboard.models import SoundingBoard
    from soundboard.services import build_digest

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    bench.login(User.objects.get(username="coordinator"))
    board = SoundingBoard.objects.filter(slug__startswith="bench-board").order_by("pk").first()
    upcoming = board.meetings.order_by("-starts_at").first()
    past = board.meetings.order_by("-starts_at")[1]
    # The runner does not set up Django's test environment, so "testserver"
    # is not an allowed host: send a host the development settings allow.
    host = {"HTTP_HOST": settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"}
    bench.page("soundboard: board list", reverse("soundboard:board-list"), **host)
    bench.page("soundboard: board page", reverse("soundboard:board-detail", args=[board.slug]),
               **host)
    bench.page("soundboard: meeting page", reverse("soundboard:meeting-detail", args=[past.pk]),
               **host)
    bench.page("soundboard: coordinator overview", reverse("soundboard:overview"), **host)

    def build():
        with transaction.atomic():
            return build_digest(meeting=upcoming, rebuild=True)

    bench.action("soundboard: build + send digest", build)
    digest = upcoming.digests.get()
    bench.page("soundboard: easy-read sheet",
               reverse("soundboard:digest-sheet", args=[digest.pk]), **host)
