from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from digibank.navigation import NavItem


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings and guidance")
    # Its retention rules and erasure paths, read by the kernel
    # (digibank.retention.rules(), digibank.privacy.erasure_table()).
    data_protection = "trainings.retention"
    # Its part of a resident's story on the resident page (digibank.story).
    story = "trainings.story"
    # Navigation entries this app adds for each role (see digibank.navigation).
    navigation = (
        NavItem(_("Trainings"), "trainings:sessions", frozenset({"host", "coach", "coordinator"}),
                order=40, description=_("Sessions, enrolments, waiting lists and attendance."),
                group="learning"),
        NavItem(_("Guidance"), "trainings:guidance-list", frozenset({"coach", "coordinator"}),
                order=45, description=_("Your individual guidance trajectories."),
                group="learning", bar=frozenset({"coach"})),
        NavItem(_("Training figures"), "trainings:figures", frozenset({"coordinator"}),
                order=60, description=_("Fill rates, attendance, waiting and interest lists."),
                group="steering", bar=frozenset()),
    )

    def ready(self) -> None:
        from digibank.services import (
            register_activity_check,
            register_call_action,
            register_erasure_blockers,
        )
        from points.calendar import register_plan_source
        from trainings.retention import erasure_blockers
        from trainings.services import (
            INTEREST_KIND,
            SessionPlans,
            residents_with_active_trainings,
        )
        from trainings.views import interest_call_actions

        register_activity_check(residents_with_active_trainings)
        # What keeps a resident from being erased, one record at a time.
        register_erasure_blockers(erasure_blockers)
        register_call_action(INTEREST_KIND, interest_call_actions)
        register_plan_source("sessions", SessionPlans())
