"""The busy-morning mix against a running Digibank (`make serve` or `make run`).

    make load                                   # 20 users for 5 minutes
    LOAD_USERS=100 LOAD_TIME=2m make load

Hosts register visits (a returning visitor found by the search, or someone
anonymous), take and finish them, and keep the counter open (its htmx poll
every 15 seconds, which sends the version of the queue it shows, as the page
does, and gets 204 No Content while nothing changed); coaches keep the coach
queue open; residents browse the public pages. It logs in with the demo
accounts (`seed_demo`), so it only runs against 127.0.0.1 or localhost:
never aim it at a real service.

Locust prints requests per second, the 50th/95th/99th percentile and the
failures per endpoint at the end (`--headless`), and writes the same as CSV
under var/load/.
"""

import html
import os
import random
import re
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

PASSWORD = "digibank-demo"
SEARCHES = ["jan", "maria", "peeters", "el", "ahmed", "jos", "de", "zzzz-nobody"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOPIC = re.compile(r'name="topics" value="(\d+)"')
TAKE = re.compile(r'action="(/balie/bezoek/\d+/nemen/)"')
FINISH = re.compile(r'action="(/balie/bezoek/\d+/afronden/)"')
POINT_LINK = re.compile(r'href="(/punten/[a-z0-9-]+/)"')
# The queue's poll address, as the page holds it: ``/balie/?versie=…&afgerond=1``
# on the queue section, renewed with every queue htmx swaps in.
QUEUE_POLL = re.compile(r'<section id="queue"[^>]*?data-hx-get="([^"]+)"')


@events.test_start.add_listener
def only_here(environment, **_kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"The load scenario only runs against this machine, not {host!r}.")


class StaffUser(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        page = self.client.get("/aanmelden/", name="login form")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/aanmelden/", {"username": self.username, "password": PASSWORD,
                            "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/aanmelden/"}, name="login")
        if "/aanmelden/" in response.url:
            raise SystemExit(f"Could not log in as {self.username}: is the demo data loaded?")

    def csrf(self, text: str) -> str:
        match = CSRF.search(text)
        return match.group(1) if match else self.client.cookies.get("csrftoken", "")

    def post(self, url: str, data: dict, name: str, htmx: bool = False):
        headers = {"Referer": self.host + "/balie/"}
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(url, data, headers=headers, name=name)


class Host(StaffUser):
    """A host at the counter: most requests are its poll and the search."""

    weight = 4
    username = "host"
    wait_time = between(1, 4)

    def on_start(self):
        super().on_start()
        self.poll_url = "/balie/"
        self.page = self.client.get("/balie/", name="/balie/").text
        self.shows(self.page)

    def shows(self, text: str) -> None:
        """Keep the poll address of the queue the host now sees: a page or a
        queue fragment carries it; a 204 or a redirect leaves it as it was."""
        match = QUEUE_POLL.search(text)
        if match:
            self.poll_url = html.unescape(match.group(1))

    @task(6)
    def poll(self):
        response = self.client.get(self.poll_url, headers={"HX-Request": "true"},
                                   name="/balie/?versie= (poll)")
        if response.status_code == 200:
            self.shows(response.text)

    @task(3)
    def search(self):
        self.client.get(f"/balie/inwoners/?q={random.choice(SEARCHES)}",
                        headers={"HX-Request": "true"}, name="/balie/inwoners/?q=")

    @task(2)
    def register(self):
        self.page = self.client.get("/balie/", name="/balie/").text
        self.shows(self.page)
        topics = TOPIC.findall(self.page)
        data = {"csrfmiddlewaretoken": self.csrf(self.page),
                "next_step": random.choice(["solved", "queue", "queue"]),
                "outcome": "solved"}
        if topics:
            data["topics"] = random.choice(topics)
        self.shows(self.post("/balie/", data, name="/balie/ (register)").text)

    @task(2)
    def take_and_finish(self):
        # The whole queue as it is now (no version: always rendered), so the
        # visit taken or finished is still there.
        page = self.client.get("/balie/", headers={"HX-Request": "true"},
                               name="/balie/ (queue)").text
        self.shows(page)
        token = self.csrf(self.page)
        take, finish = TAKE.search(page), FINISH.search(page)
        if take and (not finish or random.random() < 0.5):
            response = self.post(take.group(1), {"csrfmiddlewaretoken": token},
                                 name="/balie/bezoek/[id]/nemen/", htmx=True)
        elif finish:
            response = self.post(finish.group(1), {"csrfmiddlewaretoken": token,
                                                   "outcome": "solved"},
                                 name="/balie/bezoek/[id]/afronden/", htmx=True)
        else:
            return
        self.shows(response.text)


class Coach(StaffUser):
    """A coach with the coach queue open."""

    weight = 2
    username = "coach"
    wait_time = between(2, 6)

    @task
    def queue(self):
        self.client.get("/balie/coach/", headers={"HX-Request": "true"},
                        name="/balie/coach/ (poll)")


class Resident(HttpUser):
    """A resident looking up where to go."""

    weight = 4
    wait_time = between(2, 8)

    @task(3)
    def finder(self):
        page = self.client.get("/", name="/").text
        links = POINT_LINK.findall(page)
        if links:
            self.client.get(random.choice(links), name="/punten/[slug]/")

    @task(1)
    def trainings(self):
        self.client.get("/opleidingen/", name="/opleidingen/")

    @task(1)
    def offers(self):
        self.client.get("/aanbod/", name="/aanbod/")


class Yardstick(StaffUser):
    """The bench's bare view (a logged-in host, all the middleware, nothing
    else), timed under the same load: only with ``LOAD_BARE=1`` against a
    server started from ``bench.wsgi``."""

    abstract = os.environ.get("LOAD_BARE") != "1"
    weight = 1
    username = "host"
    wait_time = between(1, 4)

    @task
    def bare(self):
        self.client.get("/bench/bare/", name="bare view (yardstick)")
