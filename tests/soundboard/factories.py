"""Builders for sounding-board tests."""

import itertools
from datetime import datetime

from django.utils import timezone

from soundboard.models import FeedbackItem, FeedbackTopic, Meeting, Member, SoundingBoard
from soundboard.services import record_feedback
from tests.factories import make_resident, make_user

_seq = itertools.count(1)


def make_board(
    name: str | None = None, *, facilitator=None, partners=(), **fields
) -> SoundingBoard:
    name = name or f"Board {next(_seq)}"
    board = SoundingBoard.objects.create(
        name=name, slug=name.lower().replace(" ", "-"),
        facilitator=facilitator or make_user("coach"), **fields,
    )
    board.partners.set(partners)
    return board


def make_member(board: SoundingBoard, resident=None, **fields) -> Member:
    if resident is None and "partner" not in fields:
        resident = make_resident()
    return Member.objects.create(board=board, resident=resident, **fields)


def at(year: int, month: int, day: int, hour: int = 14, minute: int = 0) -> datetime:
    """An aware datetime in Brussels time."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def make_meeting(board: SoundingBoard, starts_at: datetime | None = None, **fields) -> Meeting:
    starts_at = starts_at or timezone.now()
    fields.setdefault("venue", "Zaal De Kelder")
    return Meeting.objects.create(board=board, starts_at=starts_at, **fields)


def make_item(board: SoundingBoard, words: str = "The point is hard to find", *,
              meeting: Meeting | None = None, topic: str = FeedbackTopic.PLACE,
              actor=None, **fields) -> FeedbackItem:
    return record_feedback(actor=actor, board=board, words=words, topic=topic,
                           meeting=meeting, **fields)
