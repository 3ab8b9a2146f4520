"""What the atelier keeps of residents' words (repairs, the notes on a
returned loan and its yearly checks), for how long, and what erasure
empties. Read through ``AtelierConfig.data_protection``. The atelier
stands on devices, so the rules that join both live here."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from digibank.days import start_of
from digibank.retention import BLANK, Rule, holds_text


def _resolved_repairs(cutoff: date) -> QuerySet:
    from atelier.models import RepairTicket, TicketStatus
    from devices.models import DefectReport

    return RepairTicket.objects.filter(
        Q(status=TicketStatus.RESOLVED, resolved_at__lt=start_of(cutoff)),
        holds_text("problem")
        | Q(defect_report__in=DefectReport.objects.exclude(problem="")),
    )


def _returned_loans_with_notes(cutoff: date) -> QuerySet:
    from atelier.models import YearlyCheck
    from devices.models import ACTIVE_LOAN_STATUSES, Loan

    noted = (Loan.objects.filter(returned_at__lt=start_of(cutoff)).exclude(return_note="")
             .order_by().values("pk"))
    checked = YearlyCheck.objects.exclude(findings="").order_by().values("loan")
    return Loan.objects.exclude(status__in=ACTIVE_LOAN_STATUSES).filter(
        returned_at__lt=start_of(cutoff), pk__in=noted.union(checked))


RULES = (
    Rule(
        "repair_words", _("Broken devices: the problem in the resident's words"), 24, BLANK,
        ends=_("after the repair was resolved"),
        why=_("The repair stays for the turnaround figures and the device's history, "
              "without the resident's words."),
        model="atelier.RepairTicket", blank=("problem",),
        also_blank=(("devices.DefectReport", "repair_ticket", ("problem",)),),
        due=_resolved_repairs, erasure="loan__resident",
    ),
    Rule(
        "loan_notes", _("Returned loans: the note on return and the yearly checks' findings"),
        24, BLANK, ends=_("after the device came back"),
        why=_("The loan stays as an asset record; what was noted about the borrower's use "
              "of the device serves only while it is out."),
        model="devices.Loan", blank=("return_note",),
        also_blank=(("atelier.YearlyCheck", "loan", ("findings",)),),
        due=_returned_loans_with_notes, erasure="resident",
    ),
)

NOT_ABOUT_THE_PERSON = {
    "atelier.RepairTicket.parts_used": "the parts the atelier used, for the repair figures",
}


def erasure_blockers(resident) -> list:
    """A repair of a device lent to them, still open (to be given back)."""
    from django.urls import reverse

    from atelier.models import OPEN_TICKET_STATUSES, RepairTicket
    from digibank.services import Blocker

    tickets = (RepairTicket.objects.filter(loan__resident=resident,
                                           status__in=OPEN_TICKET_STATUSES)
               .select_related("device"))
    return [Blocker(
        kind="repair", url=reverse("atelier:ticket-detail", args=[ticket.pk]),
        what=_("Repair of %(device)s, still open") % {"device": ticket.device},
        todo=_("Finish the repair in the atelier and give the device back, or close the "
               "ticket."))
        for ticket in tickets]
