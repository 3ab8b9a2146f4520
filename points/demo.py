"""Demo points (the points issue extends this to all 18)."""

from digibank.models import District, User
from outreach.models import Partner
from points.models import Point, PointKind

POINTS = [
    ("Digibank Huis van de Mechelaar", "huis-van-de-mechelaar", PointKind.FIXED,
     "Grote Markt 21", "2800", "mechelen", None),
    ("Digibank Bibliotheek Het Predikheren", "bibliotheek-predikheren", PointKind.FIXED,
     "Goswin de Stassartstraat 7", "2800", "mechelen", "bibliotheek"),
]


def seed(stdout=None) -> None:
    for name, slug, kind, street, postcode, district, partner in POINTS:
        Point.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name, "kind": kind, "street": street, "postcode": postcode,
                "district": District.objects.get(slug=district),
                "hosting_partner": Partner.objects.filter(slug=partner).first(),
            },
        )
    first, second = Point.objects.filter(slug__in=[p[1] for p in POINTS]).order_by("name")
    for username in ("host", "coach"):
        user = User.objects.get(username=username)
        first.staff.add(user)
        second.staff.add(user)
    if stdout:
        stdout.write(f"  points: {Point.objects.count()} points")
