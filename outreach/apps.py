from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from digibank.navigation import NavItem

STAFF_ROLES = frozenset({"host", "coach", "coordinator"})


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach and partners")
    # Its retention rules and erasure paths, read by the kernel
    # (digibank.retention.rules(), digibank.privacy.erasure_table()).
    data_protection = "outreach.retention"
    # Its part of a resident's story on the resident page (digibank.story).
    story = "outreach.story"
    # Navigation entries this app adds for each role (see digibank.navigation).
    navigation = (
        NavItem(_("Contact request"), "outreach:contact-request", frozenset({"partner"}),
                order=10, description=_("Ask the digibank to contact someone who agreed."),
                group="partners"),
        NavItem(_("Referrals"), "outreach:referral-list", STAFF_ROLES | {"partner"}, order=40,
                description=_("Referrals to and from partners and what became of them."),
                group="partners", bar=frozenset({"coach", "partner"})),
        NavItem(_("Partners"), "outreach:partner-list", STAFF_ROLES, order=45,
                description=_("Partner organisations and their contact people."),
                group="partners", bar=frozenset()),
        NavItem(_("Digital offer guide"), "outreach:offer-list", frozenset({"host", "coach"}),
                order=48, description=_("Where to go to learn something, for help, a device "
                                        "or cheap internet."),
                group="counter"),
        NavItem(_("Offer guide"), "outreach:offer-manage", frozenset({"coordinator", "partner"}),
                order=50, description=_("Keep the digital offer guide true: your offers, "
                                        "checks due."),
                group="partners", bar=frozenset({"partner"})),
        NavItem(_("Campaigns"), "outreach:campaign", frozenset({"coordinator"}), order=70,
                description=_("Posters and flyers with QR codes, roadshows, screen messages."),
                group="partners", bar=frozenset()),
    )

    def ready(self) -> None:
        from digibank.services import (
            register_activity_check,
            register_call_handler,
            register_erasure_blockers,
        )
        from outreach.models import Referral
        from outreach.opendata import connect_feed_signals
        from outreach.retention import erasure_blockers
        from outreach.search import connect_search_signals
        from outreach.services import CONTACT_REQUEST_CALL, on_contact_request_call

        register_call_handler(CONTACT_REQUEST_CALL, on_contact_request_call)
        # A resident with a referral in progress is active: retention keeps them.
        register_activity_check(
            lambda residents: residents.filter(pk__in=Referral.objects.open().values("resident"))
        )
        # What keeps a resident from being erased, one record at a time.
        register_erasure_blockers(erasure_blockers)
        connect_feed_signals()
        connect_search_signals()
