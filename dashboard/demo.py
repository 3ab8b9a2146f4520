"""The dashboard's part of the demo: the roll-up of the demo visits, as
the nightly job would leave it."""

from dashboard.rollup import build_rollup


def seed(stdout=None) -> None:
    days = build_rollup()
    if stdout is not None:
        stdout.write(f"Dashboard: {days} days rolled up.")
