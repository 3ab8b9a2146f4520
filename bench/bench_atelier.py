"""Atelier at size: on the devices bench's 50,000 devices (or its own when
that bench is absent), 20,000 repair tickets (2,000 open), 30,000
refurbishing jobs (3,000 open, spread over the steps) with a wipe record
each. Measures the atelier board, the ticket lists, the impact page, a
device's story, the ORDS export and a step sign-off."""

from datetime import timedelta

from django.utils import timezone

DEVICES = 50_000
TICKETS = 20_000
OPEN_TICKETS = 2_000
JOBS = 30_000
OPEN_JOBS = 3_000
BATCH = 5_000


def _devices(scale: float) -> list:
    from devices.models import Device, DeviceKind, DeviceStatus

    wanted = int(DEVICES * scale)
    devices = list(Device.objects.filter(asset_tag__startswith="B-").order_by("asset_tag")
                   .only("pk", "kind"))
    if len(devices) < wanted:
        kinds = [DeviceKind.LAPTOP, DeviceKind.LAPTOP, DeviceKind.TABLET, DeviceKind.SMARTPHONE]
        Device.objects.bulk_create(
            [Device(kind=kinds[n % 4], brand="Lenovo", asset_tag=f"AB-{n:06d}",
                    status=DeviceStatus.REFURBISHING) for n in range(wanted - len(devices))],
            batch_size=BATCH)
        devices += list(Device.objects.filter(asset_tag__startswith="AB-").only("pk", "kind"))
    return devices


def load(scale: float) -> None:
    from atelier.models import STEPS, RefurbishJob, RepairTicket, WipeRecord

    devices = _devices(scale)
    now = timezone.now()
    tickets_n, open_tickets = int(TICKETS * scale), int(OPEN_TICKETS * scale)
    jobs_n, open_jobs = int(JOBS * scale), int(OPEN_JOBS * scale)
    outcomes = ["fixed", "fixed", "repairable", "end_of_life"]
    statuses = ["assess", "parts", "repairing"]
    tickets = []
    for n in range(tickets_n):
        # Open tickets on distinct devices (one open ticket per device).
        device = devices[n % len(devices)] if n >= open_tickets else devices[-1 - n]
        opened = now - timedelta(days=n % 700, hours=n % 24)
        if n < open_tickets:
            tickets.append(RepairTicket(device=device, problem="Start niet op",
                                        opened_at=opened, status=statuses[n % 3],
                                        status_changed_at=opened))
        else:
            outcome = outcomes[n % 4]
            tickets.append(RepairTicket(
                device=device, problem="Scherm zwart", opened_at=opened, status="resolved",
                status_changed_at=opened, outcome=outcome, fault="screen",
                barrier="parts_unavailable" if outcome == "end_of_life" else "",
                resolved_at=opened + timedelta(days=3), minutes_spent=40))
    RepairTicket.objects.bulk_create(tickets, batch_size=BATCH)
    jobs = []
    for n in range(jobs_n):
        finished = n >= open_jobs
        device = devices[n % len(devices)] if finished else devices[n]
        opened = now - timedelta(days=n % 700)
        signed = len(STEPS) if finished else n % len(STEPS)
        fields = {f"{step}_at": opened for step in STEPS[:signed]}
        jobs.append(RefurbishJob(device=device, reason="donation" if n % 3 else "return",
                                 status="done" if finished else "open", opened_at=opened,
                                 finished_at=opened + timedelta(days=2) if finished else None,
                                 **fields))
    RefurbishJob.objects.bulk_create(jobs, batch_size=BATCH)
    WipeRecord.objects.bulk_create(
        [WipeRecord(job=job, device_id=job.device_id, medium_serial=f"S{job.pk}",
                    method="purge", result="passed", certificate_number=f"BW-{job.pk}")
         for job in RefurbishJob.objects.only("pk", "device_id").iterator(chunk_size=BATCH)],
        batch_size=BATCH)


def measure(bench) -> None:
    from django.urls import reverse

    from atelier import services
    from atelier.models import RefurbishJob, Step
    from digibank.models import User

    bench.login(User.objects.get(username="atelier"))
    bench.page("atelier: board", reverse("atelier:board"))
    bench.page("atelier: board (htmx refresh)", reverse("atelier:board"), HTTP_HX_REQUEST="true")
    bench.page("atelier: open repairs", reverse("atelier:ticket-list"))
    bench.page("atelier: resolved repairs, page 100",
               reverse("atelier:ticket-list") + "?toon=klaar&page=100")
    bench.page("atelier: impact (this year)", reverse("atelier:impact"))
    bench.page("atelier: impact (two years)",
               reverse("atelier:impact") + "?start=2025-01-01&end=2026-12-31")
    busy = RefurbishJob.objects.filter(status="done").order_by("pk").first().device
    bench.page("atelier: device story", reverse("atelier:device-story", args=[busy.asset_tag]))
    bench.rows.append(("atelier: ORDS export (all resolved)",
                       *_once(bench, reverse("atelier:ords-export"))))
    worker = User.objects.get(username="atelier")
    jobs = list(RefurbishJob.objects.filter(status="open", wipe_at__isnull=False,
                                            test_at__isnull=True).order_by("pk")[:60])
    if len(jobs) <= bench.repeat:  # a small BENCH_SCALE has too few jobs to time
        return
    jobs = iter(jobs)
    bench.action("atelier: sign off a step (service)", lambda: services.sign_off_step(
        actor=worker, job=next(jobs), step=Step.TEST, screen_ok=True, keyboard_ok=True,
        ports_ok=True))


def _once(bench, url):
    """The export streams every row: time it a few times, not twenty."""
    import time

    timings = []
    for _n in range(3):
        start = time.perf_counter()
        response = bench.client.get(url)
        b"".join(response)  # noqa: B018 - read the whole body
        timings.append((time.perf_counter() - start) * 1000)
    return sorted(timings)[1], max(timings), "-", response.status_code
