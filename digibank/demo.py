"""Demo data of the people core: districts, target groups, one user per role
and a few residents. Idempotent: running it again changes nothing."""

from django.contrib.auth.models import Group

from digibank.models import District, Resident, Role, TargetGroup, User
from digibank.services import create_resident

DEMO_PASSWORD = "digibank-demo"

# The seven deelgemeenten of Mechelen with approximate numbers of inhabitants.
DISTRICTS = [
    ("Mechelen", "mechelen", "2800", 66000),
    ("Battel", "battel", "2800", 2300),
    ("Heffen", "heffen", "2801", 3300),
    ("Hombeek", "hombeek", "2811", 4600),
    ("Leest", "leest", "2811", 3400),
    ("Muizen", "muizen", "2812", 6500),
    ("Walem", "walem", "2800", 2200),
]

# Two wijken of Mechelen: demand mapping counts them under their
# deelgemeente, the dashboard can show one wijk or the whole deelgemeente.
WIJKEN = [
    ("Nekkerspoel", "nekkerspoel", "2800", "mechelen"),
    ("Mechelen-Noord", "mechelen-noord", "2800", "mechelen"),
]

TARGET_GROUPS = [
    ("Ouderen", "ouderen", "Mensen van 65 jaar en ouder."),
    ("Personen met een beperking", "personen-met-een-beperking", ""),
    ("Nieuwkomers", "nieuwkomers", "Mensen die Nederlands leren of pas in België wonen."),
    ("Mensen in armoede", "mensen-in-armoede", ""),
    ("Werkzoekenden", "werkzoekenden", ""),
    ("Ouders van schoolgaande kinderen", "ouders", ""),
]

USERS = [
    ("host", "Hanne", "Host", Role.HOST),
    ("coach", "Karim", "Coach", Role.COACH),
    ("atelier", "Ann", "Atelier", Role.ATELIER),
    ("coordinator", "Kamala", "Coördinator", Role.COORDINATOR),
    ("partner", "Pieter", "Partner", Role.PARTNER),
]

RESIDENTS = [
    ("Maria", "Peeters", "0470123456", "mechelen", ["ouderen"]),
    ("Ahmed", "El Amrani", "0486112233", "mechelen", ["nieuwkomers", "werkzoekenden"]),
    ("Josée", "Van den Bossche", "015201020", "muizen", ["ouderen", "personen-met-een-beperking"]),
    ("Olena", "Kovalenko", "0492334455", "mechelen", ["nieuwkomers", "ouders"]),
    ("Luc", "Janssens", "0475998877", "hombeek", ["mensen-in-armoede"]),
    ("Fatima", "Bouzid", "0488776655", "battel", ["ouders"]),
    ("Yusuf", "Demir", "0493112244", "nekkerspoel", ["werkzoekenden"]),
]


def seed(stdout=None) -> None:
    for name, slug, postcode, population in DISTRICTS:
        District.objects.update_or_create(
            slug=slug, defaults={"name": name, "postcode": postcode, "population": population}
        )
    for name, slug, postcode, parent in WIJKEN:
        District.objects.update_or_create(slug=slug, defaults={
            "name": name, "postcode": postcode, "parent": District.objects.get(slug=parent)})
    for name, slug, description in TARGET_GROUPS:
        TargetGroup.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    for username, first, last, role in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last,
                      "email": f"{username}@digibank.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = role == Role.COORDINATOR
        user.save()
        user.groups.set([Group.objects.get(name=role)])
    districts = {district.slug: district for district in District.objects.all()}
    groups = {group.slug: group for group in TargetGroup.objects.all()}
    for first, last, phone, district, target_groups in RESIDENTS:
        if Resident.objects.filter(first_name=first, last_name=last, phone=phone).exists():
            continue
        create_resident(
            actor=None, first_name=first, last_name=last, phone=phone,
            district=districts[district], target_groups=[groups[g] for g in target_groups],
        )
    if stdout:
        stdout.write(f"  digibank: {len(USERS)} users, {len(DISTRICTS)} districts "
                     f"with {len(WIJKEN)} wijken")
