import datetime as dt
import io
import itertools
import os

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient

from recommendations.models import Officer, Organisation, PolicyDomain, Recommendation
from recommendations.roles import COORDINATORS, EDITORS
from reports.models import Institute, Report

_counter = itertools.count(1)


@pytest.fixture
def institute(db):
    return Institute.objects.create(name="IDEA Consult", short_name="IDEA", slug="idea-consult")


@pytest.fixture
def other_institute(db):
    return Institute.objects.create(name="HIVA - KU Leuven", short_name="HIVA", slug="hiva")


@pytest.fixture
def report(institute):
    report = Report.objects.create(
        number="1",
        sequence=1,
        slug="sectorale-insteek",
        title="Naar een vernieuwde sectorale insteek",
        published=dt.date(2015, 4, 1),
        authors="An De Coen",
        keywords=["sectorconvenants"],
        source_ranges=[[76, 454]],
    )
    report.institutes.add(institute)
    return report


@pytest.fixture
def other_report(other_institute):
    report = Report.objects.create(
        number="5.1",
        sequence=5,
        slug="arbeidsbemiddelaar",
        title="De rol en impact van de arbeidsbemiddelaar",
        published=dt.date(2017, 2, 1),
        source_ranges=[[1782, 2335], [2777, 2903]],
    )
    report.institutes.add(other_institute)
    return report


@pytest.fixture
def domains(db):
    work = PolicyDomain.objects.create(slug="werk", name_nl="Werk", name_en="Work")
    return {
        "werk": work,
        "activering": PolicyDomain.objects.create(
            slug="activering", name_nl="Activering", name_en="Activation", parent=work
        ),
        "onderwijs": PolicyDomain.objects.create(
            slug="onderwijs", name_nl="Onderwijs", name_en="Education"
        ),
    }


@pytest.fixture
def organisations(db):
    return {
        "vdab": Organisation.objects.create(
            slug="vdab",
            name="Vlaamse Dienst voor Arbeidsbemiddeling",
            short_name="VDAB",
            kind="agency",
        ),
        "syntra": Organisation.objects.create(
            slug="syntra-vlaanderen",
            name="Syntra Vlaanderen",
            short_name="Syntra",
            kind="agency",
        ),
    }


@pytest.fixture
def make_recommendation(report, domains):
    """Create a recommendation; keyword arguments override the defaults."""

    def make(**fields):
        n = next(_counter)
        addressees = fields.pop("addressees", [])
        related_domains = fields.pop("related_domains", [])
        the_report = fields.setdefault("report", report)
        fields.setdefault("position", str(n))
        fields.setdefault("code", f"{the_report.code_prefix}-{fields['position']}")
        fields.setdefault("title", f"Aanbeveling {n}")
        fields.setdefault("text", f"De volledige tekst van aanbeveling {n}.")
        fields.setdefault("source_start", 100 + n)
        fields.setdefault("source_end", 100 + n)
        fields.setdefault("primary_domain", domains["werk"])
        recommendation = Recommendation.objects.create(**fields)
        recommendation.addressees.set(addressees)
        recommendation.related_domains.set(related_domains)
        return recommendation

    return make


@pytest.fixture
def recommendation(make_recommendation, organisations):
    """A recommendation owned by VDAB."""
    return make_recommendation(
        position="1", title="Sectorconvenant continueren", owner=organisations["vdab"]
    )


@pytest.fixture
def make_user(django_user_model):
    """A user with a role ("editor" or "coordinator") and, for editors, an organisation."""

    def make(username, role=None, organisation=None, **fields):
        fields.setdefault("is_staff", role is not None)
        user = django_user_model.objects.create_user(username, password="pw", **fields)
        if role:
            user.groups.add(
                Group.objects.get(name={"editor": EDITORS, "coordinator": COORDINATORS}[role])
            )
        if organisation:
            Officer.objects.create(user=user, organisation=organisation)
        return user

    return make


@pytest.fixture
def editor(make_user, organisations):
    """An editor of VDAB."""
    return make_user("editor", "editor", organisations["vdab"])


@pytest.fixture
def other_editor(make_user, organisations):
    """An editor of Syntra."""
    return make_user("syntra-editor", "editor", organisations["syntra"])


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator", "coordinator")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw")


@pytest.fixture
def plain_user(django_user_model):
    return django_user_model.objects.create_user("reader", password="pw")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as():
    def login(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


@pytest.fixture
def english():
    """Messages in English for assertions on their wording (the default language is Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def source_path(settings):
    """The shared source document; CI must have it, a developer's machine may not."""
    path = settings.VIONA_SOURCE_FILE
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"The source document is missing in CI: {path}")
        pytest.skip(f"source document not present at {path}")
    return path


@pytest.fixture
def loaded(db):
    """The curated fixtures, as `make run` loads them."""
    call_command("load_initial_data", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts, and leaves, in the default language (Dutch): a test that wants
    English asks for it (``english``), whatever ran before it in the same process."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Throttling counts in the cache: each test starts with none, in memory. (A deployment
    counts in the database, which would add queries to every anonymous request;
    tests/test_throttling.py covers that cache.)"""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def brussels(day: str, hour: int = 10) -> dt.datetime:
    """A moment in the tracker's time zone, for scripted histories."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


SCENARIO_TODAY = dt.date(2026, 10, 1)


@pytest.fixture
def scenario(make_recommendation, other_report, organisations, coordinator):
    """A scripted follow-up history on known dates; the test then runs on SCENARIO_TODAY.

    2026-01-10  A, B (report 1, VDAB), C (report 5.1, Syntra), D (5.1, no owner) created
    2026-03-01  A open → accepted; C open → under consideration
    2026-04-15  E (report 1, Syntra) created
    2026-05-01  A → in progress; B → not accepted; C gets its first due date, 2026-06-01
    2026-07-15  A → implemented; C → accepted
    2026-09-01  C's due date moves to 2026-12-31
    """
    import time_machine

    from recommendations.services import transition_status, update_recommendation

    vdab, syntra = organisations["vdab"], organisations["syntra"]

    def move(item, to_status, note=""):
        transition_status(recommendation=item, to_status=to_status, user=coordinator, note=note)

    with time_machine.travel(brussels("2026-01-10"), tick=False):
        a = make_recommendation(position="1", title="Sectorconvenants verlengen", owner=vdab)
        b = make_recommendation(position="2", title="Opleidingscheques", owner=vdab)
        c = make_recommendation(report=other_report, position="1", owner=syntra)
        d = make_recommendation(report=other_report, position="2")
    with time_machine.travel(brussels("2026-03-01"), tick=False):
        move(a, "accepted")
        move(c, "under_consideration")
    with time_machine.travel(brussels("2026-04-15"), tick=False):
        e = make_recommendation(position="3", title="Leerwinkels", owner=syntra)
    with time_machine.travel(brussels("2026-05-01"), tick=False):
        move(a, "in_progress")
        move(b, "not_accepted", note="Geen budget")
        update_recommendation(
            recommendation=c, user=coordinator, changes={"due_date": dt.date(2026, 6, 1)}
        )
    with time_machine.travel(brussels("2026-07-15"), tick=False):
        move(a, "implemented", note="Decreet van 2026")
        move(c, "accepted")
    with time_machine.travel(brussels("2026-09-01"), tick=False):
        update_recommendation(
            recommendation=c,
            user=coordinator,
            changes={"due_date": dt.date(2026, 12, 31)},
            due_date_reason="wacht op het uitvoeringsbesluit",
        )
    with time_machine.travel(brussels(SCENARIO_TODAY.isoformat(), 12), tick=False):
        yield {"a": a, "b": b, "c": c, "d": d, "e": e}


@pytest.fixture
def grow_catalogue(make_recommendation, coordinator):
    """Add ``count`` items, each in a new report of a new institute, with a new owner and a
    new primary domain, and each accepted today: new groups of every kind, and changes."""
    from recommendations.services import transition_status

    def grow(count):
        for n in range(count):
            institute = Institute.objects.create(
                name=f"Instituut {n}", short_name=f"I{n}", slug=f"i{n}"
            )
            report = Report.objects.create(
                number=str(20 + n),
                sequence=20 + n,
                slug=f"rapport-{n}",
                title=f"Rapport {n}",
                published=dt.date(2026, 1, 1),
                source_ranges=[[1, 2]],
            )
            report.institutes.add(institute)
            item = make_recommendation(
                report=report,
                position="1",
                owner=Organisation.objects.create(slug=f"org-{n}", name=f"Organisatie {n}"),
                primary_domain=PolicyDomain.objects.create(
                    slug=f"domein-{n}", name_nl=f"Domein {n}", name_en=f"Domain {n}"
                ),
            )
            transition_status(recommendation=item, to_status="accepted", user=coordinator)

    return grow


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module; skipped when missing, unless
    VIONA_REQUIRE_BROWSER=1 (as in CI), then the test fails."""
    import os

    from browser_support import CHROMIUM, missing

    reason = missing()
    if reason:
        if os.environ.get("VIONA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"VIONA_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API marks this thread as running an event loop; the ORM calls of the
    # tests and the database teardown run here too.
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def watched(browser, live_server):
    """A fresh browser page that records requests and errors (tests/browser_support.py)."""
    from browser_support import Watched, is_local

    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    # Recorded by Watched; aborted here so that a stray request never reaches the network.
    context.route(lambda url: not is_local(url, live_server.url), lambda route: route.abort())
    yield Watched(context.new_page())
    context.close()
