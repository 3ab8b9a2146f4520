"""What the sounding boards keep on residents (their members), for how
long, and what erasure does with it. Read through
``SoundboardConfig.data_protection``."""

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from digibank.privacy import Handling
from digibank.retention import DELETE, Rule


def _former_members(cutoff: date) -> QuerySet:
    from soundboard.models import Member

    return Member.objects.filter(left_on__lt=cutoff)


RULES = (
    Rule(
        "board_members", _("Sounding-board members who left"), 24, DELETE,
        ends=_("after leaving the board"),
        why=_("Access needs and how to reach a member serve the meetings only."),
        relations=("soundboard.Member.resident",), due=_former_members,
    ),
)

ERASURE = {
    "soundboard.Member.resident": Handling(DELETE),
}
