"""Demo partner organisations (the outreach issue extends this list)."""

from digibank.models import User
from outreach.models import Partner, PartnerKind

PARTNERS = [
    ("Sociaal Huis Mechelen", "sociaal-huis", PartnerKind.SOCIAL_SERVICES, False),
    ("Bibliotheek Mechelen", "bibliotheek", PartnerKind.LIBRARY, True),
    ("Thuiszorg Zorgzaam", "thuiszorg-zorgzaam", PartnerKind.HOME_CARE, False),
]


def seed(stdout=None) -> None:
    for name, slug, kind, trains in PARTNERS:
        Partner.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "is_training_partner": trains}
        )
    User.objects.filter(username="partner").update(
        partner=Partner.objects.get(slug="thuiszorg-zorgzaam")
    )
    if stdout:
        stdout.write(f"  outreach: {len(PARTNERS)} partners")
