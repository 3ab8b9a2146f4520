"""No door puts an unwiped device in a borrower's hands.

A world holds devices in every state that is not proven wiped or whose
hardware test found a fault (received,
refurbishing with no job, an open job, a failed wipe, a second disk never
wiped, back from a borrower at a point and at the atelier, in repair after
a loan and at a point, on loan, repaired and on its way back to its own
borrower) and two wiped devices as controls. Then every door is tried on
that world, each attempt in a savepoint that is rolled back afterwards:

- every named URL of the role x URL matrix (found by introspection, as in
  ``tests/test_access_matrix.py``), with every device's tag and every
  object's number in its address, every form found on any page posted to
  its address, each choice of each field and each device in each device
  field (one at a time);
- every admin of a model that is, or is tied to, a device: its actions on
  all rows, its change and add forms with each choice, and the spreadsheet
  import of devices claiming they are ready and wiped;
- every Celery task that takes no arguments (reminders, the expiry of
  reservations, …).

After each attempt every device that is available, on its way to a point,
reserved or lent must pass the wipe rule on its records
(``atelier.services.wipe_gate_problem`` with ``recheck``), every device
that was moved into refurbishing must have its open refurbishing job (no
device vanishes from the atelier board), and no attempt may end in a
server error. The test also checks that the walk really
found the doors that move devices (a walk that found none would prove
nothing).
"""

import inspect
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import tablib
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from atelier import services as atelier
from atelier.models import JobReason, RefurbishJob, RepairTicket, Step
from devices import services
from devices.models import (
    LENDING_STATUSES,
    DefectReport,
    Device,
    DeviceKind,
    DeviceStatus,
    Loan,
    Reservation,
    Subscription,
)
from devices.resources import DeviceImportResource
from digibank.celery import app as celery_app
from tests.atelier.factories import make_donation, make_profile
from tests.devices.factories import make_plan, make_subscription
from tests.factories import make_resident, make_user
from tests.test_access_matrix import ACCESS

pytestmark = pytest.mark.django_db

# Doors the walk must find moving a device; if it stops finding one, the
# walk no longer reaches it and proves nothing about it.
KNOWN_MOVERS = {
    "devices:device-status", "devices:device-send", "devices:device-receive",
    "devices:device-to-atelier", "devices:hand-out", "devices:return",
    "devices:reservation-assign", "devices:reservation-cancel", "atelier:job-finish",
    "atelier:job-start", "atelier:job-scrap", "atelier:intake", "atelier:ticket-resolve",
    "atelier:yearly-check",
}
DEVICE_FIELDS = ("device", "replacement", "tag", "toestel")
TEXT = {"date": None, "number": "1", "email": "test@example.org", "tel": "0470123456",
        "month": None, "time": "10:00", "url": "https://example.org"}


# --- The world ----------------------------------------------------------------


class World:
    def __init__(self, point, users):
        self.point, self.users = point, users
        self.devices: dict[str, Device] = {}
        self.pks: set[int] = set()


def _register(world, name, kind=DeviceKind.LAPTOP, **fields) -> Device:
    device = services.register_device(actor=None, kind=kind, brand="Lenovo",
                                      asset_tag=f"DOOR-{len(world.devices) + 1:02d}", **fields)
    world.devices[name] = device
    return device


def _wiped(world, name, kind=DeviceKind.LAPTOP) -> Device:
    actor = world.users["atelier"]
    device = _register(world, name, kind)
    job = atelier.start_refurbish_job(actor=actor, device=device, reason=JobReason.DONATION)
    atelier.record_wipe(actor=actor, job=job, medium_serial=f"{device.asset_tag}-SSD",
                        method="purge", result="passed")
    for step in Step.values:
        atelier.sign_off_step(actor=actor, job=job, step=step, software_profile=make_profile(),
                              functional_grade="A", cosmetic_grade="B", screen_ok=True,
                              keyboard_ok=True, ports_ok=True)
    atelier.finish_job(actor=actor, job=job)
    return device


def _subscribed(first: str):
    return make_subscription(make_resident(first, "Deur", phone=f"04700{len(first):05d}"),
                             plan=make_plan())


def _build(point, users) -> World:
    world = World(point, users)
    actor, host = users["atelier"], users["host"]
    residents = [_subscribed(name) for name in ("Ann", "Bert", "Carla", "Dirk", "Eva", "Fien")]

    point_device = _wiped(world, "wiped at the point")
    services.send_to_point(actor=actor, device=point_device, point=point)
    services.receive_at_point(actor=host, device=point_device, point=point)
    _wiped(world, "wiped at the atelier")

    release = atelier.start_refurbish_job(actor=actor, device=_register(
        world, "every step signed off, to release"))
    atelier.record_wipe(actor=actor, job=release, medium_serial="R-1", method="purge",
                        result="passed")
    for step in Step.values:
        atelier.sign_off_step(actor=actor, job=release, step=step,
                              software_profile=make_profile(), functional_grade="A",
                              cosmetic_grade="B", screen_ok=True, keyboard_ok=True,
                              ports_ok=True)
    # The hardware test found a broken screen: graded anyway (before the
    # rule), every step signed off; and one waiting for its grade.
    for name in ("hardware fault, every step signed off", "hardware fault, to grade"):
        faulty = atelier.start_refurbish_job(actor=actor, device=_register(world, name))
        atelier.record_wipe(actor=actor, job=faulty, medium_serial=f"H-{name[-5:]}",
                            method="purge", result="passed")
        for step in Step.values[:-1]:
            atelier.sign_off_step(actor=actor, job=faulty, step=step,
                                  software_profile=make_profile(), screen_ok=False,
                                  keyboard_ok=True, ports_ok=True,
                                  test_notes="Scherm werkt niet")
        if name.endswith("signed off"):
            RefurbishJob.objects.filter(pk=faulty.pk).update(grade_at=timezone.now())
    _register(world, "received")
    legacy = _register(world, "refurbishing without a job")
    Device.objects.filter(pk=legacy.pk).update(status=DeviceStatus.REFURBISHING)
    atelier.start_refurbish_job(actor=actor, device=_register(world, "open job"))
    failed = atelier.start_refurbish_job(actor=actor, device=_register(world, "failed wipe"))
    atelier.record_wipe(actor=actor, job=failed, medium_serial="F-1", method="clear",
                        result="failed")
    two = atelier.start_refurbish_job(actor=actor, device=_register(
        world, "second disk never wiped", storage_media=2))
    atelier.record_wipe(actor=actor, job=two, medium_serial="T-1", method="purge",
                        result="passed")
    now = timezone.now()
    RefurbishJob.objects.filter(pk=two.pk).update(  # signed off before disks were counted
        **{f"{step}_at": now for step in Step.values}, software_profile=make_profile())

    def lent(name, subscription):
        device = _wiped(world, name)
        services.send_to_point(actor=actor, device=device, point=point)
        services.receive_at_point(actor=host, device=device, point=point)
        return services.issue_loan(actor=host, device=device, subscription=subscription,
                                   point=point)

    returned = lent("returned at the point", residents[0])
    services.return_device(actor=host, device=returned.device, point=point, condition="good")
    back = lent("returned at the atelier", residents[1])
    services.return_device(actor=actor, device=back.device, point=None, condition="worn")
    repair = lent("in repair after a loan", residents[2])
    ticket = atelier.take_in_for_repair(actor=host, device=repair.device, point=point,
                                        problem="Start niet")
    services.return_to_atelier(actor=actor, device=ticket.device)
    broken = _wiped(world, "in repair at the point")
    services.send_to_point(actor=actor, device=broken, point=point)
    services.receive_at_point(actor=host, device=broken, point=point)
    # Broken on the shelf: reported at the point, a ticket opened (the
    # counter's intake takes in lent devices only).
    atelier.open_ticket_for_report(actor=host, report=services.report_defect(
        actor=host, device=broken, point=point, problem="Scherm stuk"))
    lent("on loan", residents[3])

    def given_back(name, subscription):
        loan = lent(name, subscription)
        fixed = atelier.take_in_for_repair(actor=host, device=loan.device, point=point,
                                           problem="Toetsenbord")
        services.return_to_atelier(actor=actor, device=loan.device)
        atelier.resolve_ticket(actor=actor, ticket=fixed, outcome="fixed", fault="input")
        return loan.device

    given_back("repaired, on its way to its borrower", residents[4])
    waiting = given_back("repaired, waiting for its borrower", residents[5])
    services.receive_at_point(actor=host, device=waiting, point=point)
    Reservation.objects.filter(loan__device=waiting).update(
        expires_on=timezone.localdate() - timedelta(days=1))

    # Someone waits for a laptop at the point and at the atelier.
    for first, place in (("Gust", point), ("Hilde", None)):
        services.request_reservation(actor=host, subscription=_subscribed(first),
                                     kind=DeviceKind.LAPTOP, pickup_point=place)
    make_donation()
    for device in world.devices.values():
        device.refresh_from_db()
    for model in (RefurbishJob, RepairTicket, Loan, Reservation, DefectReport, Subscription,
                  Device):
        world.pks |= set(model.objects.values_list("pk", flat=True))
    world.pks |= {subscription.resident_id for subscription in residents}
    return world


@pytest.fixture
def world(matrix_context):
    users = dict(matrix_context.users)
    users["admin"] = make_user("coordinator", username="door-admin", is_superuser=True,
                               is_staff=True)
    return _build(matrix_context.point, users), matrix_context


# --- What is checked after every attempt -----------------------------------------


def _state():
    return {pk: (status, data_state) for pk, status, data_state in
            Device.objects.values_list("pk", "status", "data_state")}


class Walk:
    def __init__(self):
        self.violations: list[str] = []
        self.errors: list[str] = []
        self.movers: set[str] = set()
        self.attempts = 0

    def attempt(self, door: str, action, *args, **kwargs) -> int | None:
        """Run ``action(*args)`` in a savepoint, check the rule, roll it
        back; the response's status code."""
        self.attempts += 1
        before = _state()
        savepoint = transaction.savepoint()
        try:
            status = getattr(action(*args, **kwargs), "status_code", None)
            if status is not None and status >= 500 and status != 503:
                self.errors.append(f"{door}: {status}")
            after = _state()
            for pk, (status_now, data_now) in after.items():
                if before.get(pk) == (status_now, data_now):
                    continue
                status_before, data_before = before.get(pk, (None, None))
                if status_before != status_now:
                    self.movers.add(door.split(" ")[0])
                if (status_now == DeviceStatus.REFURBISHING and status_before != status_now
                        and not RefurbishJob.objects.open().filter(device_id=pk).exists()):
                    self.violations.append(f"{door}: device {pk} is being refurbished "
                                           "without a refurbishing job")
                # A device that enters lending, or whose data changes there (a
                # move within lending carries the proof it entered with: the
                # database holds it to "wiped" or its borrower's data).
                entered = status_before not in LENDING_STATUSES or data_before != data_now
                if status_now in LENDING_STATUSES and entered:
                    device = Device.objects.get(pk=pk)
                    problem = atelier.wipe_gate_problem(
                        device, device.status, device.loans.active().first(), recheck=True)
                    if problem:
                        self.violations.append(f"{door}: {device.asset_tag} {status_now}: "
                                               f"{problem}")
        finally:
            transaction.savepoint_rollback(savepoint)
        return status


# --- Forms on pages ----------------------------------------------------------------


class _Forms(HTMLParser):
    """Every form of a page: its action, method and fields with their
    choices (select options, radio and checkbox values)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action") or "", "fields": {},
                          "method": (attrs.get("method") or "get").lower()}
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name"):
            return
        fields, name = self._form["fields"], attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            field = fields.setdefault(name, {"type": kind, "value": None, "choices": [],
                                             "required": "required" in attrs})
            if kind in ("radio", "checkbox"):
                field["choices"].append(attrs.get("value", "on"))
                if "checked" in attrs or field["value"] is None and kind == "radio":
                    field["value"] = attrs.get("value", "on")
            else:
                field["value"] = attrs.get("value", "")
        elif tag == "select":
            self._select = fields.setdefault(name, {"type": "select", "value": None,
                                                    "choices": [], "required": True})
        elif tag == "textarea":
            self._textarea = fields.setdefault(name, {"type": "textarea", "value": "",
                                                      "choices": [],
                                                      "required": "required" in attrs})

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class _Options(_Forms):
    """Adds the options of selects (HTMLParser gives them as start tags)."""

    def handle_starttag(self, tag, attrs):
        if tag == "option" and self._select is not None:
            attrs = dict(attrs)
            value = attrs.get("value", "")
            self._select["choices"].append(value)
            if "selected" in attrs or self._select["value"] is None:
                self._select["value"] = value
            return
        super().handle_starttag(tag, attrs)


def _forms(response, page_path: str) -> list[dict]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _Options()
    parser.feed(response.content.decode(errors="replace"))
    for form in parser.forms:
        form["action"] = urlsplit(form["action"]).path or page_path
    return [form for form in parser.forms if form["method"] == "post"]


def _links(response) -> list[str]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href") if tag == "a" else None
            if href and href.startswith("/") and "?" in href:
                found.append(href)

    Links().feed(response.content.decode(errors="replace"))
    return found


def _base_value(name: str, field: dict) -> str:
    if field["value"] is not None and field["value"].strip():
        return field["value"]
    if not field["required"] and not field["choices"]:
        return ""  # an optional field left empty, as most people do
    if field["choices"]:
        return next((c for c in field["choices"] if c), field["choices"][0])
    if field["type"] in ("date",):
        return timezone.localdate().isoformat()
    if field["type"] == "month":
        return timezone.localdate().strftime("%Y-%m")
    return TEXT.get(field["type"]) or "Test"


def _bodies(form: dict, world: World) -> list[dict]:
    """The form as found, then each choice of each field and each device in
    each device field, one at a time."""
    fields = form["fields"]
    base = {name: _base_value(name, field) for name, field in fields.items()
            if not (field["type"] == "checkbox" and field["value"] is None)}
    bodies = [base]
    for name, field in fields.items():
        # Long lists (every point, every language) by their first few and
        # the places of the world.
        values = [choice for n, choice in enumerate(field["choices"])
                  if n < 6 or choice in (str(world.point.pk), "atelier", "")]
        if any(word in name.lower() for word in DEVICE_FIELDS):
            # An asset tag typed in, or a device's number chosen.
            values += [str(d.pk) if field["type"] in ("number", "select", "hidden")
                       else d.asset_tag for d in world.devices.values()]
        for value in values:
            if base.get(name) != value:
                bodies.append({**base, name: value})
    return bodies


# --- The doors --------------------------------------------------------------------


def _touches_devices(view) -> bool:
    """Does the view's module work with devices (it imports from the
    devices or atelier apps)? Those views get every object's number."""
    module = inspect.getmodule(getattr(view, "__wrapped__", view)) or inspect.getmodule(view)
    source = inspect.getsource(module) if module else ""
    return "from devices" in source or "from atelier" in source


def _addresses(name: str, ctx, world: World) -> list[str]:
    rule = ACCESS[name]
    kwargs = rule.kwargs(ctx) if rule.kwargs else {}
    addresses = [reverse(name, kwargs=kwargs)]
    view = resolve(addresses[0]).func
    variants = []
    if "tag" in kwargs:
        variants = [{**kwargs, "tag": d.asset_tag} for d in world.devices.values()]
    elif "pk" in kwargs and _touches_devices(view):
        variants = [{**kwargs, "pk": pk} for pk in sorted(world.pks)]
    for variant in variants:
        addresses.append(reverse(name, kwargs=variant))
    return list(dict.fromkeys(addresses))


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name if match.view_name in ACCESS else None


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _user_for(name: str, world: World):
    rule = ACCESS[name]
    if rule.is_public:
        return world.users["coordinator"]
    role = "coordinator" if "coordinator" in rule.roles else sorted(rule.roles)[0]
    return world.users[role]


def test_no_url_makes_an_unwiped_device_available(world):
    world, ctx = world
    walk = Walk()
    pages: dict[str, str] = {}  # path (with query) -> url name
    for name in sorted(ACCESS):
        for address in _addresses(name, ctx, world):
            pages[address] = name
    forms_by_name: dict[str, list[dict]] = {}
    forms_by_path: dict[str, list[dict]] = {}
    seen: set[str] = set()
    kinds: set[tuple] = set()
    queue = list(pages)
    while queue:
        address = queue.pop(0)
        if address in seen:
            continue
        seen.add(address)
        name = pages.get(address) or _url_name(urlsplit(address).path)
        if name is None:
            continue
        client = _client(_user_for(name, world))
        response = client.get(address)
        if response.status_code >= 500 and response.status_code != 503:
            walk.errors.append(f"GET {address}: {response.status_code}")
        for form in _forms(response, urlsplit(address).path):
            action_name = _url_name(form["action"])
            # One form per address and set of fields: the same header form
            # on every page differs only in its hidden "next".
            if action_name and (form["action"], frozenset(form["fields"])) not in kinds:
                kinds.add((form["action"], frozenset(form["fields"])))
                forms_by_path.setdefault(form["action"], []).append(form)
                forms_by_name.setdefault(action_name, []).append(form)
        for link in _links(response):
            path = urlsplit(link).path
            if link not in seen and _url_name(path) and len(seen) < 4000:
                pages.setdefault(link, _url_name(path))
                queue.append(link)
    posted = 0
    for address, name in sorted(pages.items()):
        path = urlsplit(address).path
        if path != address:
            continue  # the same address with a query: its forms are under the path
        rule = ACCESS[name]
        forms = forms_by_path.get(path) or list(
            {frozenset(f["fields"]): f for f in forms_by_name.get(name, [])}.values())
        extra = rule.data(ctx) if rule.data else {}
        bodies = [{**extra, **body} for form in forms for body in _bodies(form, world)]
        bodies = bodies or [extra]
        client = _client(_user_for(name, world))
        unique = list({repr(sorted(body.items())): body for body in bodies}.values())
        for n, body in enumerate(unique):
            status = walk.attempt(f"{name} POST {address} {body}", client.post, address, body)
            posted += 1
            if n == 0 and status == 404:
                break  # no such object here (a number of another kind): nothing to move
    assert walk.violations == []
    assert walk.errors == []
    assert walk.movers >= KNOWN_MOVERS, f"not reached: {KNOWN_MOVERS - walk.movers}"
    assert posted > 500


def _tied_to_devices(model) -> bool:
    if model is Device:
        return True
    return any(getattr(field, "related_model", None) is Device
               for field in model._meta.get_fields()) or any(
        getattr(field, "related_model", None) is model for field in Device._meta.get_fields())


def test_no_admin_action_or_form_makes_an_unwiped_device_available(world):
    world, _ctx = world
    walk = Walk()
    client = _client(world.users["admin"])
    admins = [(model, model_admin) for model, model_admin in admin.site._registry.items()
              if _tied_to_devices(model)]
    assert Device in dict(admins)
    for model, model_admin in admins:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        request = client.get(changelist).wsgi_request
        pks = [str(pk) for pk in model.objects.values_list("pk", flat=True)]
        for action in model_admin.get_actions(request):
            walk.attempt(f"admin:{opts.model_name} action {action}", client.post, changelist,
                         {"action": action, "_selected_action": pks, "index": 0, "post": "yes"})
        # Every device of the world as it is; each choice on the add form and
        # on a device in each state that is not wiped; a row of the others.
        rows = [str(d.pk) for d in world.devices.values()] if model is Device else pks[-1:]
        varied = {str(world.devices[name].pk) for name in (
            "received", "returned at the point", "in repair after a loan")} | set(pks[-1:])
        addresses = [(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]),
                      pk in varied) for pk in rows]
        addresses.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), True))
        for address, vary in addresses:
            for form in _forms(client.get(address), address):
                if form["action"] != address:
                    continue
                for body in _bodies(form, world) if vary else _bodies(form, world)[:1]:
                    walk.attempt(f"admin:{opts.model_name} POST {address}", client.post,
                                 address, body)
    assert walk.violations == []
    assert walk.errors == []
    assert walk.attempts > 100


@pytest.mark.parametrize("claimed", ["ready", "refurbishing"])
def test_no_import_makes_an_unwiped_device_available(world, claimed):
    world, _ctx = world
    walk = Walk()
    rows = [[d.asset_tag, d.kind, d.brand, claimed, "wiped", str(world.point), "0"]
            for d in world.devices.values()]
    dataset = tablib.Dataset(*rows, headers=["asset_tag", "kind", "brand", "status",
                                             "data_state", "place", "storage_media"])

    def import_rows():
        DeviceImportResource().import_data(dataset, dry_run=False)

    walk.attempt("DeviceResource.import_data", import_rows)
    client = _client(world.users["admin"])
    address = reverse("admin:devices_device_import")
    upload = dataset.export("csv").encode()

    def import_in_the_admin():
        from django.core.files.uploadedfile import SimpleUploadedFile

        page = client.get(address)
        form = next(f for f in _forms(page, address) if "format" in f["fields"])
        csv = next(value for value in form["fields"]["format"]["choices"] if value)
        response = client.post(address, {"format": csv, "resource": "0", "import_file":
                                         SimpleUploadedFile("d.csv", upload, "text/csv")})
        for confirm in _forms(response, address):
            if "import_file_name" in confirm["fields"]:
                body = {name: _base_value(name, f) for name, f in confirm["fields"].items()}
                return client.post(confirm["action"], body).status_code
        return response.status_code

    walk.attempt("admin device import", import_in_the_admin)
    assert walk.violations == []
    assert walk.errors == []


def test_no_task_makes_an_unwiped_device_available(world):
    world, _ctx = world
    walk = Walk()
    ran = set()
    celery_app.loader.import_default_modules()
    for name, task in sorted(celery_app.tasks.items()):
        if name.startswith("celery."):
            continue
        parameters = inspect.signature(task.run).parameters.values()
        if any(p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
               for p in parameters):
            continue
        walk.attempt(f"task {name}", task.run)
        ran.add(name)
    assert "devices.tasks.send_reservation_reminders" in ran
    # The expired reservation of the repaired device was really ended.
    assert "task" in walk.movers
    assert walk.violations == []
    assert walk.errors == []


def test_the_walk_flags_a_door_that_moves_a_device_into_refurbishing_without_a_job():
    device = services.register_device(actor=None, kind=DeviceKind.LAPTOP, brand="HP",
                                      asset_tag="DOOR-SKIP")
    walk = Walk()
    walk.attempt("a door that skips the job", Device.objects.filter(pk=device.pk).update,
                 status=DeviceStatus.REFURBISHING)
    assert walk.violations == [f"a door that skips the job: device {device.pk} is being "
                               "refurbished without a refurbishing job"]
