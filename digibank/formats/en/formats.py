# English is offered for staff and residents in Belgium: same date and time
# conventions as Dutch (dd/mm/yyyy, 24-hour clock, Monday first).
from digibank.formats.nl.formats import *  # noqa: F403
