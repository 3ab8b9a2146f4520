"""The one search for people at 100,000 residents (scale 1): names with
accents, compound surnames and phone numbers, as a city has them. Times the
residents page and the counter's visitor search for a common beginning, a
rare name, no match, accents typed or not, words in another order and phone
numbers in several notations.

Loaded last: it first fills the search columns of the residents the other
apps bulk-created (``bulk_create`` skips ``Resident.save()``), then adds
residents until there are 100,000.
"""

import random
from urllib.parse import quote

from django.db import connection

RESIDENTS = 100_000
BATCH = 5_000

FIRST = ["Maria", "Jan", "Josée", "José", "Anne-Marie", "François", "Mohamed", "Fatima",
         "Ahmed", "Sofie", "Koen", "Els", "Jean-Pierre", "Zoë", "Hélène", "Noël", "Ayşe",
         "Piotr", "Agnieszka", "Youssef", "Lotte", "Wim", "Marleen", "Rachid", "Inès"]
LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
        "Wouters", "De Smet", "Van den Bossche", "Vandenberghe", "El Amrani", "Lefèvre",
        "Dubois", "Van Damme-Peeters", "Öztürk", "Kowalski", "Benali", "D'Hondt",
        "Verstraeten", "Van de Velde", "Bouzid", "Nowak", "De Backer"]
RARE = ("Zénobie", "Vanderstraeten-Ouédraogo")


def _fill_search_columns() -> int:
    from digibank.models import Resident

    done = 0
    while True:
        batch = list(Resident.objects.filter(search_name="", anonymised_at__isnull=True)
                     .exclude(first_name="", last_name="")[:BATCH])
        if not batch:
            return done
        for resident in batch:
            resident.refresh_match_fields()
        Resident.objects.bulk_update(batch, ["search_name", "name_key", "phone_e164"])
        done += len(batch)


def load(scale: float) -> None:
    from digibank.models import Resident

    filled = _fill_search_columns()
    rng = random.Random(14)
    missing = max(0, int(RESIDENTS * scale) - Resident.objects.count() - 1)
    people = [Resident(first_name=rng.choice(FIRST), last_name=rng.choice(LAST),
                       phone=f"04{rng.randint(70, 99)}{rng.randint(0, 999999):06d}")
              for _ in range(missing)]
    people.append(Resident(first_name=RARE[0], last_name=RARE[1], phone="0474556677"))
    for resident in people:
        resident.refresh_match_fields()
    Resident.objects.bulk_create(people, batch_size=BATCH)
    print(f"residents: search columns filled for {filled:,}, {len(people):,} added, "
          f"{Resident.objects.count():,} in all", flush=True)


def measure(bench) -> None:
    from digibank.models import Resident, User

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE digibank_resident")
    host = {"HTTP_HOST": "localhost"}
    htmx = {**host, "HTTP_HX_REQUEST": "true"}
    bench.login(User.objects.get(username="host"))
    searches = [("common beginning", "jan"), ("accents not typed", "josee"),
                ("surname first", "peeters maria"), ("part of a compound", "bossche"),
                ("rare name", "ouedraogo"), ("no match", "xylofoon"),
                ("phone +32", "+32 474 55 66 77"), ("phone part", "0474 55")]
    for label, typed in searches:
        bench.action(f"residents: search query alone, {label}",
                     lambda typed=typed: list(Resident.objects.search(typed)[:25]))
    # The same request without the search, to tell the page's own cost.
    bench.page("residents: search page, nothing typed", "/inwoners/", **host)
    for label, typed in searches:
        bench.page(f"residents: search page, {label}", f"/inwoners/?q={quote(typed)}", **host)
    for label, typed in searches:
        if label in ("common beginning", "rare name", "no match"):
            bench.page(f"residents: counter search (htmx), {label}",
                       f"/balie/inwoners/?q={quote(typed)}", **htmx)
