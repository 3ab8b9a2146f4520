"""Demo data of outreach: about twenty partner organisations of every kind
with contact people, referrals both ways in every state, consents (one of
them withdrawn), roadshows, channels, QR posters for every point with a few
scans, and info-screen messages. Idempotent: a second run changes nothing."""

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from digibank.models import ConsentMethod, Resident, User
from digibank.services import create_resident
from outreach.demo_offers import seed_offers
from outreach.models import (
    Offer,
    Partner,
    PartnerContact,
    PartnerKind,
    Poster,
    QrScan,
    Referral,
    ReferralStatus,
    Roadshow,
    ScreenMessage,
)
from outreach.services import (
    ContactPerson,
    change_referral_status,
    poster_for,
    record_referral_consent,
    refer_resident,
    submit_contact_request,
    withdraw_consent,
)

# name, slug, kind, gives trainings, address, phone, e-mail, data-sharing agreement
PARTNERS = [
    ("Sociaal Huis Mechelen", "sociaal-huis", PartnerKind.SOCIAL_SERVICES, False,
     "Lange Schipstraat 27, 2800 Mechelen", "015 44 55 66", "info@sociaalhuis.example",
     date(2025, 3, 1)),
    ("Bibliotheek Mechelen", "bibliotheek", PartnerKind.LIBRARY, True,
     "Goswin de Stassartstraat 7, 2800 Mechelen", "015 29 41 00", "bib@mechelen.example",
     date(2025, 5, 12)),
    ("Thuiszorg Zorgzaam", "thuiszorg-zorgzaam", PartnerKind.HOME_CARE, False,
     "Brusselsesteenweg 90, 2800 Mechelen", "015 33 22 11", "mechelen@zorgzaam.example",
     date(2025, 9, 1)),
    ("Familiehulp Mechelen", "familiehulp", PartnerKind.HOME_CARE, False,
     "Hanswijkstraat 14, 2800 Mechelen", "015 40 10 10", "mechelen@familiehulp.example",
     date(2026, 1, 15)),
    ("i-mens regio Mechelen", "i-mens", PartnerKind.HOME_CARE, False,
     "Leuvensesteenweg 2, 2800 Mechelen", "015 41 12 12", "mechelen@i-mens.example",
     date(2026, 2, 1)),
    ("CVO Crescendo", "cvo-crescendo", PartnerKind.TRAINING, True,
     "Zwartzustersvest 10, 2800 Mechelen", "015 20 30 40", "info@crescendo.example", None),
    ("CVO Volt", "cvo-volt", PartnerKind.TRAINING, True,
     "Jef Denynplein 1, 2800 Mechelen", "015 20 50 60", "info@volt.example", None),
    ("Ligo Mechelen (basiseducatie)", "ligo", PartnerKind.TRAINING, True,
     "Melaan 20, 2800 Mechelen", "015 21 22 23", "mechelen@ligo.example", None),
    ("VDAB Mechelen", "vdab", PartnerKind.EMPLOYMENT, True,
     "Auwegemvaart 73, 2800 Mechelen", "0800 30 700", "mechelen@vdab.example",
     date(2025, 11, 20)),
    ("ACV Mechelen", "acv", PartnerKind.UNION, False,
     "Onder-den-Toren 12, 2800 Mechelen", "015 29 13 11", "mechelen@acv.example", None),
    ("ABVV Mechelen", "abvv", PartnerKind.UNION, False,
     "Zakstraat 16, 2800 Mechelen", "015 29 90 00", "mechelen@abvv.example", None),
    ("Dienstencentrum De Schakel", "dc-de-schakel", PartnerKind.COMMUNITY, False,
     "Kerkhofstraat 3, 2812 Muizen", "015 27 01 01", "deschakel@mechelen.example", None),
    ("Samenlevingsopbouw Antwerpen provincie", "samenlevingsopbouw", PartnerKind.COMMUNITY,
     False, "Lakenmakersstraat 2, 2800 Mechelen", "015 28 00 00", "info@sopro.example", None),
    ("Basisschool De Vlindertuin", "bs-vlindertuin", PartnerKind.SCHOOL, False,
     "Battelsesteenweg 400, 2800 Mechelen", "015 21 44 55", "info@vlindertuin.example", None),
    ("Atheneum Mechelen", "atheneum", PartnerKind.SCHOOL, False,
     "Hanswijkvaart 21, 2800 Mechelen", "015 41 40 40", "info@atheneum.example", None),
    ("Agentschap Integratie en Inburgering", "integratie-inburgering", PartnerKind.SOCIAL_SERVICES,
     True, "Bruul 52, 2800 Mechelen", "015 43 00 00", "mechelen@inburgering.example",
     date(2025, 6, 30)),
    ("CAW Boom Mechelen Lier", "caw", PartnerKind.SOCIAL_SERVICES, False,
     "Geitestraat 8, 2800 Mechelen", "078 15 03 00", "onthaal@caw.example", date(2026, 3, 3)),
    ("Ziekenfonds Solidaris", "solidaris", PartnerKind.OTHER, False,
     "Onder-den-Toren 4, 2800 Mechelen", "015 28 66 00", "mechelen@solidaris.example", None),
    ("Okra Mechelen", "okra", PartnerKind.COMMUNITY, False,
     "Sint-Katelijnestraat 5, 2800 Mechelen", "015 20 20 20", "mechelen@okra.example", None),
    ("Telecom Vlaanderen (sociaal tarief)", "telecom-sociaal-tarief", PartnerKind.COMPANY, False,
     "Koningin Astridlaan 1, 2800 Mechelen", "0800 11 111", "sociaal@telecom.example", None),
]

CONTACTS = [
    ("sociaal-huis", "Els Verhoeven", "Maatschappelijk werker", "015 44 55 70"),
    ("thuiszorg-zorgzaam", "Pieter Partner", "Teamverantwoordelijke", "015 33 22 12"),
    ("familiehulp", "Nadia Benali", "Verzorgende", "015 40 10 11"),
    ("i-mens", "Koen De Smet", "Coördinator huisbezoeken", "015 41 12 13"),
    ("vdab", "Sarah Claes", "Loopbaanbegeleider", "015 28 77 00"),
    ("cvo-crescendo", "Tom Wouters", "Trajectbegeleider", "015 20 30 41"),
    ("acv", "Ilse Maes", "Dienstverlening", "015 29 13 12"),
    ("bibliotheek", "Bart Peeters", "Publiekswerking", "015 29 41 01"),
]

# The channels the counter records (the points demo may have made them).
CHANNELS = [
    ("Affiche", "affiche"), ("Flyer", "flyer"), ("Stadsmagazine", "stadsmagazine"),
    ("Digitale infozuil", "infozuil"), ("Scherm in openbaar gebouw", "scherm"),
    ("Partnerorganisatie", "partner"), ("Roadshow", "roadshow"),
    ("Mond-tot-mond", "mond-tot-mond"), ("Website", "website"),
]
# Channels that carry printed or displayed material with a QR code.
MATERIAL = Q(slug__in=["affiche", "flyer", "infozuil", "scherm", "qr-code-op-affiche",
                       "poster", "digitale-infozuil", "scherm-in-openbaar-gebouw"])

ROADSHOWS = [
    ("dc-de-schakel", "Dienstencentrum De Schakel, cafetaria", -60, "Senioren", 35, 7),
    ("vdab", "VDAB-werkwinkel", -45, "Werkzoekenden", 22, 4),
    ("bs-vlindertuin", "Schoolpoort De Vlindertuin", -30, "Ouders", 48, 9),
    ("okra", "Okra-namiddag, parochiezaal", -20, "Senioren", 30, 5),
    ("integratie-inburgering", "Onthaal Integratie en Inburgering", -10, "Nieuwkomers", 26, 6),
    ("acv", "ACV-zitdag", 14, "Leden", 0, 0),
]

SCREEN_MESSAGES = [
    ("Gratis hulp met je smartphone", "Kom langs in een digibankpunt. Je hoeft geen afspraak "
     "te maken.", 10),
    ("Een laptop lenen?", "Vraag naar een abonnement aan de balie. Met een UiTPAS-kansentarief "
     "betaal je minder.", 20),
    ("Les: veilig online bankieren", "Schrijf je in aan de balie of bel 015 29 40 00.", 30),
]

# Contact requests from partners: partner, person, reason, final status.
INCOMING = [
    ("thuiszorg-zorgzaam", ("Jeanne", "Wouters", "0471203040", ""), "Wil itsme leren gebruiken",
     ReferralStatus.REQUESTED),
    ("thuiszorg-zorgzaam", ("Marcel", "De Bruyn", "", "Kerkstraat 12, 2811 Hombeek"),
     "Heeft geen telefoon, wil hulp met Tax-on-web", ReferralStatus.REQUESTED),
    ("familiehulp", ("Rosa", "Van Dyck", "0472556677", ""), "Kan haar mails niet openen",
     ReferralStatus.CONTACTED),
    ("i-mens", ("Georges", "Mertens", "0473889900", ""), "Wil met de kleinkinderen videobellen",
     ReferralStatus.COMPLETED),
    ("sociaal-huis", ("Yasmina", "Amrani", "0484123123", ""), "Sociaal tarief internet",
     ReferralStatus.ACCEPTED),
    ("i-mens", ("Albert", "Smets", "0475001122", ""), "Bankapp installeren",
     ReferralStatus.UNREACHABLE),
    ("familiehulp", ("Simone", "Claes", "0476334455", ""), "Ziekenfondsapp",
     ReferralStatus.DECLINED),
    ("caw", ("Dirk", "Jacobs", "0477665544", ""), "Hulp bij online huurpremie",
     ReferralStatus.CANCELLED),
]

# Referrals from the digibank: resident (first, last), partner, reason, final status.
OUTGOING = [
    (("Ahmed", "El Amrani"), "vdab", "Begeleiding naar werk, heeft een laptop",
     ReferralStatus.REQUESTED),
    (("Olena", "Kovalenko"), "cvo-crescendo", "Cursus Nederlands en computer",
     ReferralStatus.RECEIVED),
    (("Luc", "Janssens"), "sociaal-huis", "Schulden, online facturen", ReferralStatus.ACCEPTED),
    (("Fatima", "Bouzid"), "bs-vlindertuin", "Schoolinschrijving via Smartschool",
     ReferralStatus.CONTACTED),
    (("Maria", "Peeters"), "okra", "Wil andere senioren ontmoeten", ReferralStatus.COMPLETED),
    (("Josée", "Van den Bossche"), "solidaris", "Ziekenfonds: terugbetalingen online",
     ReferralStatus.DECLINED),
    (("Ahmed", "El Amrani"), "acv", "Vragen over werkloosheidsuitkering",
     ReferralStatus.CANCELLED),
]

# The path through the lifecycle to reach each final state.
PATHS = {
    ReferralStatus.REQUESTED: [],
    ReferralStatus.RECEIVED: [ReferralStatus.RECEIVED],
    ReferralStatus.ACCEPTED: [ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED],
    ReferralStatus.CONTACTED: [ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED],
    ReferralStatus.COMPLETED: [ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED,
                               ReferralStatus.COMPLETED],
    ReferralStatus.DECLINED: [ReferralStatus.DECLINED],
    ReferralStatus.UNREACHABLE: [ReferralStatus.UNREACHABLE],
    ReferralStatus.CANCELLED: [ReferralStatus.CANCELLED],
}
OUTCOMES = {
    ReferralStatus.COMPLETED: "Geholpen, zaak afgerond",
    ReferralStatus.DECLINED: "Persoon wil nu geen hulp",
}


def _seed_partners() -> dict[str, Partner]:
    for name, slug, kind, trains, address, phone, email, agreement in PARTNERS:
        Partner.objects.update_or_create(slug=slug, defaults={
            "name": name, "kind": kind, "is_training_partner": trains, "address": address,
            "phone": phone, "email": email, "data_sharing_agreement_on": agreement,
        })
    partners = {partner.slug: partner for partner in Partner.objects.all()}
    for slug, name, role, phone in CONTACTS:
        PartnerContact.objects.update_or_create(
            partner=partners[slug], name=name, defaults={"role": role, "phone": phone},
        )
    return partners


def _seed_channels_and_posters() -> None:
    # Points (and the points demo's channels) seed after outreach; run them
    # first so there are posters for every point. The points seed is idempotent.
    from points import demo as points_demo
    from points.models import Channel, Point

    points_demo.seed()
    for order, (name, slug) in enumerate(CHANNELS, start=1):
        if not Channel.objects.filter(Q(slug=slug) | Q(name=name)).exists():
            Channel.objects.create(name=name, slug=slug, order=order * 10)
    channels = list(Channel.objects.filter(MATERIAL, is_active=True))
    for point in Point.objects.filter(is_active=True):
        for channel in channels:
            poster = poster_for(point=point, channel=channel)
            if not poster.scans.exists():
                now = timezone.now()
                count = (point.pk * 7 + channel.pk * 3) % 9
                QrScan.objects.bulk_create(
                    QrScan(poster=poster, scanned_at=now - timedelta(days=day * 3, hours=day))
                    for day in range(count)
                )


def _demo_actor(role: str) -> User | None:
    return User.objects.filter(username=role).first()


def _seed_incoming(partners: dict[str, Partner]) -> None:
    today = timezone.localdate()
    partner_user = _demo_actor("partner")
    for slug, (first, last, phone, address), reason, status in INCOMING:
        partner = partners[slug]
        if Referral.objects.filter(partner=partner, reason=reason).exists():
            continue
        actor = partner_user if partner_user and partner_user.partner_id == partner.pk else None
        referral = submit_contact_request(
            actor=actor, partner=partner,
            person=ContactPerson(first_name=first, last_name=last, phone=phone, address=address),
            reason=reason, consent_method=ConsentMethod.PAPER,
            consent_given_on=today - timedelta(days=7), best_time="Voormiddag",
        )
        _walk(referral, status)
        Referral.objects.filter(pk=referral.pk, status__in=["requested", "accepted"]).update(
            follow_up_on=today - timedelta(days=1))


def _seed_outgoing(partners: dict[str, Partner]) -> None:
    coach = _demo_actor("coach")
    for (first, last), slug, reason, status in OUTGOING:
        partner = partners[slug]
        resident = Resident.objects.filter(first_name=first, last_name=last).first()
        if resident is None:
            resident = create_resident(actor=None, first_name=first, last_name=last)
        if Referral.objects.filter(partner=partner, reason=reason).exists():
            continue
        record_referral_consent(actor=coach, resident=resident, partner=partner,
                                method=ConsentMethod.VERBAL)
        referral = refer_resident(actor=coach, resident=resident, partner=partner,
                                  reason=reason, follow_up_on=timezone.localdate())
        _walk(referral, status)


def _walk(referral: Referral, status: str) -> None:
    for step in PATHS[status]:
        referral = change_referral_status(actor=None, referral=referral, status=step,
                                          outcome=OUTCOMES.get(step, ""))


def _seed_withdrawn_consent(partners: dict[str, Partner]) -> None:
    reason = "Wilde hulp met online afspraken bij de dokter"
    if Referral.objects.filter(reason=reason).exists():
        return
    referral = submit_contact_request(
        actor=None, partner=partners["familiehulp"],
        person=ContactPerson(first_name="Paula", last_name="Verbeeck", phone="0478121212"),
        reason=reason, consent_method=ConsentMethod.VERBAL,
        consent_given_on=timezone.localdate() - timedelta(days=3),
    )
    withdraw_consent(actor=_demo_actor("coordinator"), consent=referral.consent)


def seed(stdout=None) -> None:
    partners = _seed_partners()
    User.objects.filter(username="partner").update(partner=partners["thuiszorg-zorgzaam"])
    _seed_channels_and_posters()
    today = timezone.localdate()
    for slug, venue, days, audience, reached, requests in ROADSHOWS:
        Roadshow.objects.update_or_create(
            partner=partners[slug], venue=venue, defaults={
                "held_on": today + timedelta(days=days), "audience": audience,
                "people_reached": reached, "contact_requests": requests},
        )
    for title, text, order in SCREEN_MESSAGES:
        ScreenMessage.objects.update_or_create(title=title, defaults={"text": text,
                                                                      "order": order})
    _seed_incoming(partners)
    _seed_outgoing(partners)
    _seed_withdrawn_consent(partners)
    seed_offers()
    if stdout:
        stdout.write(
            f"  outreach: {len(partners)} partners, {Referral.objects.count()} referrals, "
            f"{Poster.objects.count()} QR posters, {Roadshow.objects.count()} roadshows, "
            f"{Offer.objects.count()} offers"
        )

