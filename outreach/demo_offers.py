"""Demo offers of the digital offer guide (digikaart): about forty realistic
offers of the demo partners. Seeded by ``outreach.demo.seed``."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from digibank.models import District, TargetGroup
from outreach.models import (
    GlossaryTerm,
    Offer,
    OfferAction,
    OfferEvent,
    OfferKind,
    Partner,
    SearchSynonym,
)
from outreach.prices import PriceKind
from outreach.search import index_offers
from points.demo import TOPICS
from points.models import QuestionTopic

K = OfferKind
P = PriceKind
BIB = ("Bibliotheek Het Predikheren", "Goswin de Stassartstraat 7, 2800 Mechelen", "mechelen")
CVO = ("CVO Crescendo", "Zwartzustersvest 10, 2800 Mechelen", "mechelen")
VOLT = ("CVO Volt", "Jef Denynplein 1, 2800 Mechelen", "mechelen")
LIGO = ("Ligo basiseducatie", "Melaan 20, 2800 Mechelen", "mechelen")
OCMW = ("Sociaal Huis", "Lange Schipstraat 27, 2800 Mechelen", "mechelen")
VDAB = ("VDAB Werkwinkel", "Auwegemvaart 73, 2800 Mechelen", "mechelen")
ACV = ("ACV-kantoor", "Onder-den-Toren 5, 2800 Mechelen", "mechelen")
BATTEL = ("Ontmoetingscentrum Battel", "Battelsesteenweg 455, 2800 Mechelen", "battel")
ONLINE = ("", "", None)

# title, kind, provider slug, topics, target groups, (venue, address, district),
# online, when, one-off cost (0: free unless the extra fields give a monthly
# price model), description, how to enrol, extra fields
OFFERS = [
    ("Leer werken met itsme", K.TRAINING, "bibliotheek", ["itsme-eid"], ["ouderen"], BIB, False,
     "Elke eerste dinsdag van de maand, 14:00 tot 16:00", 0,
     "Je leert itsme installeren en gebruiken om veilig in te loggen.",
     "Inschrijven aan de balie van de bibliotheek of via 015 29 41 00.",
     {"what_to_bring": "Je smartphone, je identiteitskaart en je pincode", "next_days": 5}),
    ("Vragenuurtje digitale hulp in de bib", K.HELP_DESK, "bibliotheek",
     ["itsme-eid", "e-mail", "smartphone", "tax-on-web"], [], BIB, False,
     "Elke woensdag 14:00 tot 17:00", 0,
     "Stel je vraag over je smartphone, tablet of computer. Een vrijwilliger helpt je.",
     "Je hoeft niet in te schrijven. Kom gewoon langs.", {}),
    ("Werken met de computer: de basis", K.TRAINING, "cvo-crescendo", ["e-mail", "veilig-online"],
     [], CVO, False, "10 lessen op maandagavond, vanaf februari", 45,
     "Een cursus voor wie bijna nooit een computer gebruikt: muis, toetsenbord, internet, e-mail.",
     "Inschrijven op het secretariaat van CVO Crescendo.",
     {"cost_note": "Korting met een leefloon of werkloosheidsuitkering",
      "languages": "nl", "next_days": 70}),
    ("Smartphone voor beginners", K.TRAINING, "cvo-volt", ["smartphone"], ["ouderen"], VOLT, False,
     "6 lessen op donderdagvoormiddag", 30,
     "Je leert bellen, berichten sturen, foto's maken en apps installeren.",
     "Inschrijven op het secretariaat of via de website.",
     {"cost_note": "Gratis met een verhoogde tegemoetkoming", "next_days": 21}),
    ("Digitaal Nederlands: leren en oefenen", K.TRAINING, "ligo", ["e-mail", "smartphone"],
     ["nieuwkomers"], LIGO, False, "Dinsdag en donderdag 9:00 tot 12:00", 0,
     "Je leert Nederlands en tegelijk werken met de computer en de smartphone.",
     "Maak een afspraak voor een intake bij Ligo.", {"languages": "nl,en,fr,ar"}),
    ("Lezen en schrijven op de computer", K.TRAINING, "ligo", ["e-mail"],
     ["mensen-in-armoede"], LIGO, False, "Woensdagvoormiddag", 0,
     "Voor wie moeilijk leest of schrijft. In een kleine groep, op je eigen tempo.",
     "Bel Ligo voor een intake: 015 21 22 23.", {}),
    ("Veilig online: herken oplichting", K.TRAINING, "bibliotheek", ["veilig-online", "bankapp"],
     ["ouderen"], BIB, False, "Vrijdag 10:00 tot 12:00, om de twee weken", 0,
     "Je leert valse berichten en phishing herkennen, en wat je doet als het misloopt.",
     "Inschrijven aan de balie van de bibliotheek.", {"next_days": 9}),
    ("Bankieren met de app: infosessie", K.TRAINING, "acv", ["bankapp"], [], ACV, False,
     "Maandagnamiddag, één keer per maand", 0,
     "Je leert je bankapp gebruiken: saldo bekijken, overschrijven, veilig betalen.",
     "Inschrijven bij ACV Mechelen.", {"next_days": 12}),
    ("Hulp bij je belastingaangifte", K.HELP_DESK, None, ["tax-on-web"], [], OCMW, False,
     "Mei en juni: maandag tot vrijdag 9:00 tot 12:00", 0,
     "Medewerkers van de FOD Financiën vullen samen met jou je aangifte in.",
     "Maak een afspraak via 02 572 57 57. Breng je identiteitskaart mee.",
     {"what_to_bring": "Identiteitskaart, pincode, papieren over je inkomen"}),
    ("Zitdag Tax-on-web bij ACV", K.HELP_DESK, "acv", ["tax-on-web"], ["werkzoekenden"], ACV,
     False, "Juni: dinsdag en donderdag", 0,
     "Leden van ACV krijgen hulp bij de aangifte via Tax-on-web.",
     "Afspraak maken bij ACV.", {"who_qualifies": "Leden van ACV"}),
    ("Schoolinschrijving: hulp bij het aanmelden", K.HELP_DESK, None, ["schoolinschrijving"],
     ["ouders", "nieuwkomers"], OCMW, False, "Maart: elke werkdag 9:00 tot 16:00", 0,
     "We helpen je je kind aan te melden voor een school in Mechelen.",
     "Kom langs, je hoeft geen afspraak te maken.",
     {"what_to_bring": "Rijksregisternummer van je kind, e-mailadres",
      "languages": "nl,fr,en,ar,tr"}),
    ("Hulp bij Mijn Loopbaan en jobbonus", K.HELP_DESK, "vdab", ["jobbonus-vdab"],
     ["werkzoekenden"], VDAB, False, "Maandag tot vrijdag 9:00 tot 12:00", 0,
     "Een VDAB-medewerker helpt je met Mijn Loopbaan, vacatures en de jobbonus.",
     "Kom langs in de werkwinkel.", {"languages": "nl,en,fr"}),
    ("Solliciteren online: workshop", K.TRAINING, "vdab", ["jobbonus-vdab", "e-mail"],
     ["werkzoekenden"], VDAB, False, "Elke dinsdag 13:30 tot 16:00", 0,
     "Je maakt je cv op de computer en leert online solliciteren.",
     "Inschrijven bij je VDAB-bemiddelaar of aan de balie.", {"next_days": 5}),
    ("Tickets van De Lijn en NMBS op je smartphone", K.TRAINING, "bibliotheek", ["tickets"],
     ["ouderen"], BIB, False, "Donderdag 10:00 tot 12:00, maandelijks", 0,
     "Je leert tickets kopen in de app van De Lijn en de NMBS.",
     "Inschrijven aan de balie van de bibliotheek.", {"next_days": 16}),
    ("Apps van je ziekenfonds", K.HELP_DESK, "familiehulp", ["ziekenfonds"], ["ouderen"],
     ("Familiehulp", "Hanswijkstraat 14, 2800 Mechelen", "mechelen"), False,
     "Vrijdag 9:00 tot 12:00", 0,
     "Hulp bij de app van je ziekenfonds en bij MyHealth.", "Bel eerst voor een afspraak.", {}),
    ("Digitale hulp aan huis", K.HELP_DESK, "thuiszorg-zorgzaam",
     ["itsme-eid", "smartphone", "ziekenfonds"], ["ouderen", "personen-met-een-beperking"],
     ONLINE, True, "Op afspraak", 0,
     "Kan je moeilijk naar buiten? Een medewerker komt bij je thuis helpen.",
     "Vraag het aan je thuiszorgmedewerker of bel 015 33 22 11.",
     {"who_qualifies": "Klanten van Thuiszorg Zorgzaam"}),
    ("Digitale hulp in Battel", K.HELP_DESK, None, ["itsme-eid", "e-mail", "smartphone"], [],
     BATTEL, False, "Maandag en donderdag 9:00 tot 12:00", 0,
     "Hulp met je smartphone, computer of een formulier, dicht bij huis.",
     "Je hoeft niet in te schrijven.", {}),
    ("Ouderen online: koffie en computer", K.TRAINING, "i-mens", ["smartphone", "e-mail"],
     ["ouderen"], ("Dienstencentrum Hanswijk", "Hanswijkvaart 1, 2800 Mechelen", "mechelen"),
     False, "Dinsdagnamiddag", 2, "Samen oefenen met de tablet, bij een kop koffie.",
     "Inschrijven aan het onthaal van het dienstencentrum.", {"cost_note": "Koffie inbegrepen"}),
    ("Hulplijn digitale vragen", K.HELP_DESK, None, ["itsme-eid", "bankapp", "e-mail"], [],
     ONLINE, True, "Maandag tot vrijdag 9:00 tot 17:00", 0,
     "Bel met je vraag over je computer of smartphone. We helpen je aan de telefoon.",
     "Bel 015 29 00 00.", {"contact_phone": "015 29 00 00"}),
    ("Sociaal tarief voor internet", K.INTERNET, None, ["sociaal-tarief"], ["mensen-in-armoede"],
     ONLINE, True, "Aanvragen bij je internetoperator", 0,
     "Met het sociaal tarief betaal je minder voor internet.",
     "Vraag het aan bij je operator. We helpen je aan de balie.",
     {"price_kind": P.SOCIAL_TARIFF, "monthly_price": "19.00", "download_mbps": 30,
      "social_tariff_for": "Mensen met een leefloon, een inkomensgarantie voor ouderen, of een "
                           "verhoogde tegemoetkoming met een laag inkomen.",
      "proof_needed": "Attest van het OCMW of het ziekenfonds"}),
    ("Goedkoop mobiel: basisabonnement", K.INTERNET, None, ["sociaal-tarief", "smartphone"], [],
     ONLINE, True, "Altijd", 0, "Een goedkoop abonnement voor je smartphone met 5 GB data.",
     "Bestellen online of in een winkel van de operator.",
     {"price_kind": P.MONTHLY, "monthly_price": "10.00", "data_gb": 5}),
    ("Mobiel internet met veel data", K.INTERNET, None, ["sociaal-tarief"], [], ONLINE, True,
     "Altijd", 0, "Een abonnement met 30 GB data per maand.", "Bestellen online.",
     {"price_kind": P.MONTHLY, "monthly_price": "20.00", "data_gb": 30}),
    ("Internet thuis: basis", K.INTERNET, None, ["sociaal-tarief"], [], ONLINE, True, "Altijd", 0,
     "Internet thuis via de kabel, snel genoeg voor school en videobellen.",
     "Bestellen bij de operator. Installatie is gratis.",
     {"price_kind": P.MONTHLY, "monthly_price": "44.00", "download_mbps": 150}),
    ("Sociaal tarief internet thuis", K.INTERNET, None, ["sociaal-tarief"],
     ["mensen-in-armoede", "ouders"], ONLINE, True, "Aanvragen bij je operator", 0,
     "Internet thuis aan een lager tarief voor mensen met een laag inkomen.",
     "Vraag het aan bij je operator met het attest.",
     {"price_kind": P.SOCIAL_TARIFF, "monthly_price": "22.00", "download_mbps": 50,
      "social_tariff_for": "Mensen met een verhoogde tegemoetkoming en een laag inkomen.",
      "proof_needed": "Attest van het ziekenfonds"}),
    ("Gratis wifi in de stad", K.INTERNET, None, ["sociaal-tarief"], [], BIB, True,
     "Tijdens de openingsuren", 0,
     "Gratis wifi in de bibliotheek, het Huis van de Mechelaar en de dienstencentra.",
     "Kies het netwerk ‘Mechelen-gratis’.", {}),
    ("Tussenkomst internetkosten", K.FINANCIAL, "sociaal-huis", ["sociaal-tarief"],
     ["mensen-in-armoede"], OCMW, False, "Op afspraak", 0,
     "Het Sociaal Huis kan een deel van je internetkosten betalen.",
     "Maak een afspraak met een maatschappelijk werker.",
     {"who_qualifies": "Mensen met een laag inkomen, na een sociaal onderzoek",
      "what_to_bring": "Identiteitskaart, rekeningen, bewijs van inkomen"}),
    ("Schoolpremie voor een laptop", K.FINANCIAL, "sociaal-huis", ["schoolinschrijving"],
     ["ouders"], OCMW, False, "Augustus en september", 0,
     "Een tegemoetkoming voor een laptop voor je kind in het secundair onderwijs.",
     "Vraag het aan in het Sociaal Huis.",
     {"what_to_bring": "Bewijs van inschrijving in de school"}),
    ("Laptop lenen bij de digibank", K.DEVICE, None, ["smartphone", "e-mail"], [], OCMW, False,
     "Tijdens de openingsuren van de digibankpunten", 0,
     "Leen een opgeknapte laptop of tablet. Je krijgt uitleg bij het afhalen.",
     "Vraag het aan de balie van een digibankpunt.",
     {"price_kind": P.MONTHLY, "monthly_price": "5.00", "cost_note": "Waarborg € 20",
      "what_to_bring": "Identiteitskaart"}),
    ("Opgeknapte laptop kopen met korting", K.DEVICE, None, ["e-mail"], ["mensen-in-armoede"],
     ("Atelier Digibank", "Nekkerspoelstraat 120, 2800 Mechelen", "mechelen"), False,
     "Dinsdag en donderdag 13:00 tot 16:00", 90,
     "Een opgeknapte laptop met garantie, aan een lage prijs.",
     "Kom langs in het atelier met je attest.",
     {"who_qualifies": "Mensen met een verhoogde tegemoetkoming",
      "proof_needed": "Attest van het ziekenfonds"}),
    ("Smartphone met korting", K.DEVICE, "sociaal-huis", ["smartphone"], ["mensen-in-armoede"],
     OCMW, False, "Op afspraak", 40, "Een opgeknapte smartphone aan een kleine prijs.",
     "Vraag het aan je maatschappelijk werker.", {}),
    ("Herstelcafé: laat je toestel herstellen", K.DEVICE, "bibliotheek", ["smartphone"], [], BIB,
     False, "Elke derde zaterdag 10:00 tot 13:00", 0,
     "Vrijwilligers kijken naar je kapotte laptop, tablet of smartphone.",
     "Kom langs, je hoeft niet in te schrijven.", {"next_days": 23}),
    ("Budgetbegeleiding en online bankieren", K.FINANCIAL, "sociaal-huis", ["bankapp"],
     ["mensen-in-armoede"], OCMW, False, "Op afspraak", 0,
     "Hulp met je budget en je rekeningen, ook online.",
     "Maak een afspraak in het Sociaal Huis.", {}),
    ("eID-kaartlezer lenen", K.DEVICE, "bibliotheek", ["itsme-eid", "tax-on-web"], [], BIB, False,
     "Tijdens de openingsuren", 0, "Leen gratis een kaartlezer voor je identiteitskaart.",
     "Vraag het aan de balie van de bibliotheek.", {"what_to_bring": "Bibliotheekkaart"}),
    ("Pincode van je identiteitskaart kwijt", K.HELP_DESK, None, ["itsme-eid"], [],
     ("Huis van de Mechelaar", "Grote Markt 21, 2800 Mechelen", "mechelen"), False,
     "Maandag tot vrijdag 8:30 tot 12:30", 0,
     "Je vraagt een nieuwe pincode aan bij de dienst Burgerzaken.",
     "Maak een afspraak bij Burgerzaken.", {"what_to_bring": "Je identiteitskaart"}),
    ("Digitale weerbaarheid voor jongeren", K.TRAINING, "cvo-volt", ["veilig-online"], [], VOLT,
     False, "Woensdagnamiddag", 0, "Workshop over privacy en veilig online voor jongeren.",
     "Inschrijven via de school.", {"next_days": 30}),
    ("Mijn Burgerprofiel: documenten online", K.TRAINING, "bibliotheek",
     ["itsme-eid", "tax-on-web"], [], BIB, False, "Tweede dinsdag van de maand", 0,
     "Je leert attesten en documenten van de overheid online vinden.",
     "Inschrijven aan de balie van de bibliotheek.", {"next_days": 13}),
    ("Hulp bij e-mail in het Arabisch", K.HELP_DESK, "ligo", ["e-mail"], ["nieuwkomers"], LIGO,
     False, "Vrijdag 13:00 tot 15:00", 0,
     "Een vrijwilliger helpt je in het Arabisch met je e-mail en je smartphone.",
     "Kom langs, je hoeft niet in te schrijven.", {"languages": "ar,nl"}),
    ("Help in English with online forms", K.HELP_DESK, None, ["tax-on-web", "itsme-eid"],
     ["nieuwkomers"], OCMW, False, "Thursday 13:00 to 16:00", 0,
     "A volunteer helps you in English with government websites and forms.",
     "No appointment needed.", {"languages": "en,nl"}),
    ("Online lessen: leer je computer kennen", K.TRAINING, "cvo-crescendo", ["e-mail"], [],
     ONLINE, True, "Op je eigen tempo", 0, "Korte filmpjes en oefeningen om thuis te leren.",
     "Start op de website van CVO Crescendo.",
     {"website": "https://www.crescendo.example/online-leren"}),
    ("Vakantieaanbod: digitale workshop voor kinderen", K.OTHER, "bibliotheek", ["veilig-online"],
     ["ouders"], BIB, False, "Zomervakantie", 0,
     "Kinderen leren programmeren en veilig online spelen.",
     "Inschrijven via de website van de bibliotheek.", {"valid_months": 3}),
]


# The schedules as iCalendar rules (the open data's HSDS schedules): how
# often, on which days, which week of the month, from and until.
W, M = "WEEKLY", "MONTHLY"
SCHEDULES = {
    "Leer werken met itsme": (M, "TU", 1, "14:00", "16:00"),
    "Vragenuurtje digitale hulp in de bib": (W, "WE", None, "14:00", "17:00"),
    "Werken met de computer: de basis": (W, "MO", None, "19:00", "21:30"),
    "Smartphone voor beginners": (W, "TH", None, "9:30", "12:00"),
    "Digitaal Nederlands: leren en oefenen": (W, "TU,TH", None, "9:00", "12:00"),
    "Lezen en schrijven op de computer": (W, "WE", None, "9:00", "12:00"),
    # Every other Friday ("om de twee weken": schedule_interval 2 below).
    "Veilig online: herken oplichting": (W, "FR", None, "10:00", "12:00"),
    "Digitale weerbaarheid voor jongeren": (W, "WE", None, "13:30", "16:00"),
    "Zitdag Tax-on-web bij ACV": (W, "TU,TH", None, "9:00", "12:00"),
    "Schoolinschrijving: hulp bij het aanmelden": (W, "MO,TU,WE,TH,FR", None, "9:00", "16:00"),
    "Bankieren met de app: infosessie": (M, "MO", 1, "13:30", "15:30"),
    "Hulp bij je belastingaangifte": (W, "MO,TU,WE,TH,FR", None, "9:00", "12:00"),
    "Hulp bij Mijn Loopbaan en jobbonus": (W, "MO,TU,WE,TH,FR", None, "9:00", "12:00"),
    "Solliciteren online: workshop": (W, "TU", None, "13:30", "16:00"),
    "Tickets van De Lijn en NMBS op je smartphone": (M, "TH", 2, "10:00", "12:00"),
    "Apps van je ziekenfonds": (W, "FR", None, "9:00", "12:00"),
    "Digitale hulp in Battel": (W, "MO,TH", None, "9:00", "12:00"),
    "Ouderen online: koffie en computer": (W, "TU", None, "14:00", "16:00"),
    "Hulplijn digitale vragen": (W, "MO,TU,WE,TH,FR", None, "9:00", "17:00"),
    "Opgeknapte laptop kopen met korting": (W, "TU,TH", None, "13:00", "16:00"),
    "Herstelcafé: laat je toestel herstellen": (M, "SA", 3, "10:00", "13:00"),
    "Pincode van je identiteitskaart kwijt": (W, "MO,TU,WE,TH,FR", None, "8:30", "12:30"),
    "Mijn Burgerprofiel: documenten online": (M, "TU", 2, "14:00", "16:00"),
    "Hulp bij e-mail in het Arabisch": (W, "FR", None, "13:00", "15:00"),
    "Help in English with online forms": (W, "TH", None, "13:00", "16:00"),
}


def _schedule_limits(title: str, today: date) -> dict:
    """A season (the tax help in May and June), a course's first lesson
    and number of lessons: the demo's schedules with limits."""
    if title == "Hulp bij je belastingaangifte":
        year = today.year if today <= date(today.year, 6, 30) else today.year + 1
        return {"schedule_starts": date(year, 5, 1), "schedule_ends": date(year, 6, 30)}
    if title == "Veilig online: herken oplichting":
        # Every other Friday, the next one in about nine days.
        start = today + timedelta(days=9)
        return {"schedule_starts": start + timedelta(days=(4 - start.weekday()) % 7),
                "schedule_interval": 2}
    if title == "Zitdag Tax-on-web bij ACV":
        year = today.year if today <= date(today.year, 6, 30) else today.year + 1
        return {"schedule_starts": date(year, 6, 1), "schedule_ends": date(year, 6, 30)}
    if title == "Schoolinschrijving: hulp bij het aanmelden":
        year = today.year if today <= date(today.year, 3, 31) else today.year + 1
        return {"schedule_starts": date(year, 3, 1), "schedule_ends": date(year, 3, 31)}
    if title == "Werken met de computer: de basis":
        # Ten lessons on Monday evening, from the first Monday of February.
        year = today.year if today < date(today.year, 2, 1) else today.year + 1
        first = date(year, 2, 1)
        return {"schedule_starts": first + timedelta(days=-first.weekday() % 7),
                "schedule_count": 10}
    if title == "Smartphone voor beginners":
        # Six lessons on Thursday morning, the next group in about three weeks.
        start = today + timedelta(days=21)
        return {"schedule_starts": start + timedelta(days=(3 - start.weekday()) % 7),
                "schedule_count": 6}
    return {"schedule_starts": None, "schedule_ends": None, "schedule_count": None}


# Where the places are (approximately), for the open data's locations.
COORDINATES = {
    BIB[1]: ("51.029600", "4.476400"), CVO[1]: ("51.026200", "4.473300"),
    VOLT[1]: ("51.025200", "4.480200"), LIGO[1]: ("51.029600", "4.484000"),
    OCMW[1]: ("51.031200", "4.484300"), VDAB[1]: ("51.035800", "4.493000"),
    ACV[1]: ("51.026500", "4.479800"), BATTEL[1]: ("51.009000", "4.441000"),
    "Hanswijkstraat 14, 2800 Mechelen": ("51.024000", "4.482000"),
    "Hanswijkvaart 1, 2800 Mechelen": ("51.022500", "4.485000"),
    "Nekkerspoelstraat 120, 2800 Mechelen": ("51.029000", "4.496000"),
    "Grote Markt 21, 2800 Mechelen": ("51.027700", "4.480500"),
}


# Every offer has a phone (its own, its provider's, or the digibank's) or
# says why not.
DIGIBANK_PHONE = "015 29 76 50"
PHONES = {
    "Hulp bij je belastingaangifte": "02 572 57 57",
    "Pincode van je identiteitskaart kwijt": "015 29 78 00",
}
OPERATOR = ("Elke operator heeft een eigen nummer: bel je operator, of kom langs aan de balie "
            "van een digibankpunt.")
NO_PHONE = {
    "Sociaal tarief voor internet": OPERATOR,
    "Goedkoop mobiel: basisabonnement": OPERATOR,
    "Mobiel internet met veel data": OPERATOR,
    "Internet thuis: basis": OPERATOR,
    "Sociaal tarief internet thuis": OPERATOR,
    "Gratis wifi in de stad": "Je hoeft niets aan te vragen: kies het netwerk ‘Mechelen-gratis’.",
    "Online lessen: leer je computer kennen": "Alleen online: alles staat op de website.",
}


def _contact(title: str, provider: Partner | None, extra: dict) -> dict:
    if title in NO_PHONE:
        return {"contact_phone": "", "no_phone_reason": NO_PHONE[title]}
    phone = extra.get("contact_phone") or PHONES.get(title) or (
        provider.phone if provider else DIGIBANK_PHONE)
    return {"contact_phone": phone, "no_phone_reason": ""}


def _schedule(title: str) -> dict:
    freq, days, week, opens, closes = SCHEDULES.get(title, ("", "", None, None, None))
    return {"schedule_freq": freq, "schedule_days": days, "schedule_week": week,
            "opens_at": time.fromisoformat(opens.zfill(5)) if opens else None,
            "closes_at": time.fromisoformat(closes.zfill(5)) if closes else None}


# What residents say, and the words of the guide (coordinators keep this
# list in the admin: Beheer > Zoeksynoniemen).
SYNONYMS = [
    ("gsm", "smartphone, mobiel"),
    ("goedkoop", "sociaal tarief, gratis, korting, lenen, tegemoetkoming"),
    ("belastingen", "Tax-on-web, belastingaangifte, aangifte, MyMinfin"),
    ("pc", "computer, laptop"),
    ("computer", "laptop, pc"),
    ("its me", "itsme"),
    ("eid", "itsme, identiteitskaart, kaartlezer"),
    ("identiteitskaart", "eID, itsme, kaartlezer"),
    ("mutualiteit", "ziekenfonds, MyHealth"),
    ("email", "e-mail"),
    ("mail", "e-mail"),
    ("bank", "bankapp, bankieren"),
    ("werk", "VDAB, jobbonus, solliciteren"),
    ("job", "VDAB, jobbonus, solliciteren"),
    ("trein", "NMBS, tickets"),
    ("bus", "De Lijn, tickets"),
    ("oplichting", "phishing, veilig online"),
    ("cursus", "les, lessen, opleiding, workshop"),
    ("les", "cursus, lessen, opleiding, workshop"),
    ("lessen", "les, cursus, opleiding"),
    ("kapot", "herstellen, herstelcafé"),
    ("internet", "wifi"),
    ("leren", "les, cursus, opleiding, leert, workshop"),
    ("telefoon", "gsm, smartphone, mobiel"),
    ("telephone", "telefoon, gsm, smartphone"),
    ("belastingsaangifte", "belastingen, belastingaangifte, Tax-on-web"),
]


# Plain words: explained where they appear on the public offer pages
# (Beheer > Woordenlijst).
GLOSSARY = [
    ("leefloon", "leeflonen",
     "Een leefloon is een minimuminkomen van het OCMW voor wie geen ander inkomen heeft."),
    ("verhoogde tegemoetkoming", "verhoogde tegemoetkomingen",
     "Met een verhoogde tegemoetkoming van je ziekenfonds betaal je minder voor zorg."),
    ("inkomensgarantie voor ouderen", "IGO",
     "De inkomensgarantie voor ouderen is extra geld van de overheid voor 65-plussers met "
     "een laag inkomen."),
    ("OCMW", "Sociaal Huis",
     "Het OCMW (in Mechelen: het Sociaal Huis) helpt je met geld, wonen, werk en zorg."),
    ("Mbps", "",
     "Mbps zegt hoe snel je internet is: hoe hoger het getal, hoe sneller."),
    ("GB data", "GB",
     "GB data is hoeveel internet je per maand met je gsm kan gebruiken zonder wifi."),
]


def _topics() -> dict:
    """The counter's topics by slug. Outreach seeds before points, so the
    topics are made here from the same list points uses (same slugs)."""
    for order, (name, slug, group, external) in enumerate(TOPICS):
        QuestionTopic.objects.get_or_create(slug=slug, defaults={
            "name": name, "group": group, "external_service": external, "order": order})
    return {topic.slug: topic for topic in QuestionTopic.objects.all()}


def seed_offers() -> None:
    today = timezone.localdate()
    topics = _topics()
    groups = {group.slug: group for group in TargetGroup.objects.all()}
    districts = {district.slug: district for district in District.objects.all()}
    partners = {partner.slug: partner for partner in Partner.objects.all()}
    for number, (title, kind, provider, topic_slugs, group_slugs, (venue, address, district),
                 online, schedule, cost, description, enrol, extra) in enumerate(OFFERS):
        extra = dict(extra)
        next_days = extra.pop("next_days", None)
        valid_months = extra.pop("valid_months", None)
        if "monthly_price" in extra:
            extra["monthly_price"] = Decimal(extra["monthly_price"])
        extra.setdefault("monthly_price", None)
        extra.setdefault("price_kind", PriceKind.ONE_OFF if cost else PriceKind.FREE)
        latitude, longitude = COORDINATES.get(address, (None, None))
        extra.update(_schedule(title), schedule_interval=1)
        extra.update(_schedule_limits(title, today),
                     latitude=latitude and Decimal(latitude),
                     longitude=longitude and Decimal(longitude))
        extra.update(_contact(title, partners.get(provider), extra))
        offer, created = Offer.objects.update_or_create(title=title, defaults={
            "kind": kind, "provider": partners.get(provider), "venue": venue,
            "address": address, "district": districts.get(district), "is_online": online,
            "schedule": schedule, "cost_eur": Decimal(cost), "description": description,
            "how_to_enrol": enrol,
            # A structured schedule gives the next date by itself
            # (outreach.schedules); a typed one only for the others.
            "next_date": today + timedelta(days=next_days)
            if next_days and title not in SCHEDULES else None,
            "valid_until": today + timedelta(days=30 * valid_months) if valid_months else None,
            # A few offers were last checked long ago, so the check list has rows.
            "last_checked_on": today - timedelta(days=200 if number % 9 == 4 else number * 3),
            **extra,
        })
        offer.topics.set([topics[slug] for slug in topic_slugs])
        offer.target_groups.set([groups[slug] for slug in group_slugs if slug in groups])
        if created:
            OfferEvent.objects.create(offer=offer, action=OfferAction.CREATED)
    for term, variants, explanation in GLOSSARY:
        GlossaryTerm.objects.update_or_create(term=term, defaults={
            "variants": variants, "explanation": explanation})
    for term, alternatives in SYNONYMS:
        SearchSynonym.objects.update_or_create(term=term, defaults={"alternatives": alternatives})
    index_offers(Offer.objects.all())
