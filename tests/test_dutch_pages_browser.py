"""The main pages in Dutch, as a browser shows them: no text that the message catalogues
(the project's and its dependencies') translate is left in English, nor a known English label
of a dependency that ships no Dutch."""

import re

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from recommendations.models import Recommendation
from recommendations.services import transition_status, update_recommendation

PAGES = [
    "/",
    "/overview/?since=2000-01-01",
    "/admin/",
    "/admin/recommendations/recommendation/",
    "/admin/recommendations/recommendation/{pk}/change/",
    "/admin/recommendations/statuschange/",
    "/admin/auditlog/logentry/",
    "/api/v1/recommendations/",
]

# English labels of dependencies without a Dutch catalogue, as they showed before.
KNOWN_ENGLISH = ["Resource", "Correlation ID", "Recommendation List", "Api Root", "1 change:"]

# Catalogue entries whose English text also reads as Dutch or is a name.
ALLOWED = {"Django", "VIONA", "Redoc", "Swagger UI", "OpenAPI", "is in"}  # "is in": Dutch too


def _english_phrases() -> dict[str, str]:
    """msgid → msgstr of every Dutch catalogue entry that a reader would notice untranslated:
    at least two words, translated to something else."""
    catalogue = trans_real.translation("nl-be")._catalog
    phrases = {}
    for msgid, msgstr in catalogue.items():
        if not isinstance(msgid, str) or "%" in msgid or "{" in msgid:
            continue
        if len(msgid.split()) >= 2 and msgstr and msgstr != msgid and msgid not in ALLOWED:
            phrases[msgid] = msgstr
    return phrases


@pytest.fixture
def dutch_browser(watched, live_server, superuser, client):
    client.force_login(superuser)
    context = watched.page.context
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": "nl-be", "url": live_server.url},
        ]
    )
    context.set_extra_http_headers({"Accept-Language": "nl-BE,nl;q=0.9"})
    return watched


def test_the_main_pages_speak_dutch(dutch_browser, live_server, loaded, superuser):
    item = Recommendation.objects.get(code="R01-1")
    transition_status(recommendation=item, to_status="accepted", user=superuser, note="akkoord")
    update_recommendation(recommendation=item, user=superuser, changes={"priority": "high"})
    with translation.override("nl-be"):
        phrases = _english_phrases()
    assert len(phrases) > 100  # the catalogues were read
    page = dutch_browser.page
    for path in PAGES:
        response = page.goto(live_server.url + path.format(pk=item.pk))
        assert response.status == 200, path
        text = page.inner_text("body")
        left_in_english = [
            msgid for msgid in phrases if re.search(rf"(?<!\w){re.escape(msgid)}(?!\w)", text)
        ]
        left_in_english += [label for label in KNOWN_ENGLISH if label in text]
        assert left_in_english == [], (path, left_in_english)
    dutch_browser.assert_clean(live_server.url)
