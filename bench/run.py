"""England-scale benchmarks: ``make bench``.

Builds a separate SQLite database (bench-results/bench.sqlite3, or BENCH_DATABASE_URL) with
about 22,000 schools, then times the school list page and /api/v1/schools/ as a national
administrator and as a local authority officer (median of several runs, with query counts),
and a GIAS import of a 20,000-row extract. Prints a table and writes bench-results/.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench-results"
BENCH_DB = RESULTS_DIR / "bench.sqlite3"


@dataclass
class Measurement:
    name: str
    median_ms: float
    runs: int
    queries: int | str
    detail: str = ""


def _configure_django() -> None:
    """Point Django at the benchmark database, never at the configured development database."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{BENCH_DB}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Runs with a broker would hand the import to a worker: time it in-process instead.
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # WhiteNoise warns that collectstatic has not run; the benchmarks serve no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def _timed(name: str, action: Callable[[], object], runs: int, detail: str = "") -> Measurement:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action()  # warm-up: templates, caches, database pages
    durations, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action()
            durations.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return Measurement(name, round(statistics.median(durations), 1), runs, queries, detail)


def _get(client, url: str, **headers: str) -> Callable[[], object]:
    def request() -> object:
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
        return response

    return request


def _principals():
    """A national administrator, an LA officer, and a national body's API token."""
    from django.db.models import Count

    from accounts.choices import OrganisationKind, Role
    from accounts.models import ApiToken, Membership, Organisation, User
    from schools.models import LocalAuthority

    national = Organisation.objects.create(kind=OrganisationKind.NATIONAL_BODY, name="Bench national body")
    # The authority with the most schools: the largest list an LA officer can see.
    authority = LocalAuthority.objects.annotate(size=Count("schools")).order_by("-size", "code").first()
    council = Organisation.objects.create(
        kind=OrganisationKind.LOCAL_AUTHORITY, name=f"{authority.name} council", local_authority=authority
    )
    admin = User.objects.create_user(email="admin@bench.invalid", full_name="Bench Admin")
    officer = User.objects.create_user(email="officer@bench.invalid", full_name="Bench Officer")
    Membership.objects.create(user=admin, organisation=national, role=Role.NATIONAL_ADMINISTRATOR)
    Membership.objects.create(user=officer, organisation=council, role=Role.LA_OFFICER)
    _, key = ApiToken.issue(organisation=national, name="Bench")
    return admin, officer, key, authority


def _page_measurements(runs: int, schools: int) -> list[Measurement]:
    from django.test import Client
    from django.urls import reverse

    admin, officer, key, authority = _principals()
    as_admin, as_officer, anonymous = (Client(HTTP_HOST="localhost") for _ in range(3))
    as_admin.force_login(admin)
    as_officer.force_login(officer)
    page, api = reverse("schools:school-list"), reverse("schools-api:school-list")
    token = {"Authorization": f"Token {key}"}
    middle_page = max(1, schools // 400)  # of 200 per page
    return [
        _timed("List page, national admin", _get(as_admin, page), runs, "first page, every school"),
        _timed("List page, search", _get(as_admin, f"{page}?q=primary&phase=primary"), runs, "q + phase"),
        _timed("List page, near postcode", _get(as_admin, f"{page}?near=NR2&within_km=10"), runs, "10 km"),
        _timed("List page, LA officer", _get(as_officer, page), runs, authority.name),
        _timed("API list, national token", _get(anonymous, api, **token), runs, "page_size 50"),
        _timed("API list, 200 per page", _get(anonymous, f"{api}?page_size=200&page={middle_page}", **token),
               runs, f"page {middle_page}"),
    ]


def _brokerage_measurements(runs: int, leaders: int, deployments: int) -> list[Measurement]:
    """Matching a request against every LLE in England, and the deployment lists of a busy LA."""
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Organisation, User
    from bench.brokerage import generate_deployments, generate_leaders
    from brokerage.matching import match
    from brokerage.models import SupportRequest
    from designations.models import DesignationType

    officer = User.objects.get(email="officer@bench.invalid")
    council = Organisation.objects.get(memberships__user=officer)
    designations = generate_leaders(leaders)
    made = generate_deployments(designations, deployments, council)
    request = SupportRequest.objects.filter(commissioner=council).order_by("pk").first()
    request.designation_types.set([DesignationType.objects.get(code="LLE")])
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    request_page = reverse("brokerage:request-detail", args=[request.pk])
    return [
        _timed("Matching, every LLE", lambda: match(request, today=datetime.date.today()), runs,
               f"{leaders} leaders, {made} deployments"),
        _timed("Request page with candidates", _get(client, request_page), runs, "ranked list rendered"),
        _timed("Deployments list, LA officer", _get(client, reverse("deployments:deployment-list")), runs,
               f"{made} deployments"),
        _timed("Deployments API, LA officer", _get(client, reverse("deployments-api:deployment-list")), runs,
               "page_size 50"),
    ]


def _import_measurement(rows: int) -> Measurement:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.generate import write_gias_extract

    path = RESULTS_DIR / "gias_extract_bench.csv"
    written = write_gias_extract(path, rows)
    output = io.StringIO()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        call_command("import_gias", str(path), stdout=output)
        elapsed = (time.perf_counter() - started) * 1000
    # The command's first line is the run's summary: created, updated, unchanged, rejected.
    summary = output.getvalue().splitlines()[0].split(": ", 1)[-1]
    queries = len(captured.captured_queries)
    return Measurement(f"GIAS import, {written} rows", round(elapsed, 1), 1, queries, summary)


def _print_and_save(measurements: list[Measurement], setup: dict) -> Path:
    lines = [f"{'benchmark':<30} {'median ms':>10} {'runs':>5} {'queries':>8}  detail"]
    lines += [
        f"{m.name:<30} {m.median_ms:>10.1f} {m.runs:>5} {m.queries!s:>8}  {m.detail}" for m in measurements
    ]
    table = "\n".join(lines)
    print(table)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    output = RESULTS_DIR / f"bench-{stamp}.json"
    output.write_text(json.dumps({**setup, "results": [asdict(m) for m in measurements]}, indent=2))
    (RESULTS_DIR / f"bench-{stamp}.txt").write_text(table + "\n")
    return output


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--schools", type=int, default=22_000, help="Schools to generate (default 22,000).")
    parser.add_argument("--import-rows", type=int, default=20_000, help="Rows in the GIAS extract.")
    parser.add_argument("--leaders", type=int, default=2_000, help="Designated LLEs to generate.")
    parser.add_argument("--deployments", type=int, default=3_000, help="Deployments for one LA.")
    parser.add_argument("--runs", type=int, default=7, help="Timed runs per page (the median is kept).")
    arguments = parser.parse_args()

    RESULTS_DIR.mkdir(exist_ok=True)
    if "BENCH_DATABASE_URL" not in os.environ:
        BENCH_DB.unlink(missing_ok=True)
    _configure_django()
    from django.core.management import call_command

    from bench.generate import generate_schools

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    schools, inspections = generate_schools(arguments.schools)
    setup = {"schools": schools, "inspections": inspections,
             "setup_seconds": round(time.perf_counter() - started, 1)}
    print(f"Generated {schools} schools and {inspections} inspections in {setup['setup_seconds']} s.")
    measurements = _page_measurements(arguments.runs, schools)
    measurements += _brokerage_measurements(arguments.runs, arguments.leaders, arguments.deployments)
    measurements.append(_import_measurement(arguments.import_rows))
    output = _print_and_save(measurements, setup)
    print(f"Results written to {output.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
