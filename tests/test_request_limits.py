"""Limits on what one request may make the server do: the body's size per kind of endpoint
(refused with 413 before anything parses it), the length of list fields (checked before any
lookup), and the role check before the payload's."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.urls import path
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

URL = "/api/v1/recommendations/"
ONE_MB = 1_000_000


def write(client, item, body: bytes, content_type="application/json", action="", **extra):
    method = client.post if action else client.patch
    return method(
        f"{URL}{item.code}/{action}",
        body,
        content_type=content_type,
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


def untouched(item) -> bool:
    item.refresh_from_db()
    return (item.version, item.status, list(item.addressees.all())) == (1, "open", [])


# The body's size


OVERSIZED = [
    ("application/json", json.dumps({"to_status": "accepted", "note": "x" * ONE_MB}).encode()),
    ("application/x-www-form-urlencoded", b"to_status=accepted&note=" + b"x" * ONE_MB),
    (
        "multipart/form-data; boundary=B",
        b'--B\r\nContent-Disposition: form-data; name="note"\r\n\r\n'
        + b"x" * ONE_MB
        + b"\r\n--B--\r\n",
    ),
    ("text/plain", b"x" * (ONE_MB + 1)),
]


@pytest.mark.parametrize(("content_type", "body"), OVERSIZED)
@pytest.mark.parametrize("action", ["", "transition/"])
def test_a_body_over_the_limit_is_a_413_before_it_is_parsed(
    api_as, coordinator, recommendation, content_type, body, action, django_assert_max_num_queries
):
    client = api_as(coordinator)
    with django_assert_max_num_queries(0):
        response = write(client, recommendation, body, content_type, action)
    assert response.status_code == 413, response.content
    assert response.json() == {
        "detail": "The request body is too large: this endpoint takes at most 1,000,000 bytes."
    }
    assert untouched(recommendation)


def test_the_declared_length_is_what_counts(api_as, coordinator, recommendation):
    """Django reads no more than Content-Length says: a larger claim is refused unread, a body
    just under the limit is read."""
    client = api_as(coordinator)
    claim = write(client, recommendation, b"{}", action="transition/", CONTENT_LENGTH="9" * 5000)
    assert claim.status_code == 413

    body = json.dumps({"to_status": "accepted", "note": "x" * (ONE_MB - 100)}).encode()
    assert len(body) <= ONE_MB
    response = write(client, recommendation, body, action="transition/")
    assert response.status_code == 400  # read and validated: the note is too long
    assert "note" in response.json()


def test_too_many_form_fields_is_a_400_in_json(api_as, coordinator, recommendation):
    body = "&".join(f"f{n}=x" for n in range(1001)).encode()  # DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = write(
        api_as(coordinator),
        recommendation,
        body,
        "application/x-www-form-urlencoded",
        action="transition/",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request has too many fields or files."}


def test_a_body_without_a_length_is_a_411(api_as, coordinator, recommendation):
    response = write(
        api_as(coordinator),
        recommendation,
        b'{"to_status": "accepted"}',
        action="transition/",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]
    assert untouched(recommendation)


def test_a_length_that_is_no_number_is_a_400(api_as, coordinator, recommendation):
    response = write(
        api_as(coordinator), recommendation, b"{}", action="transition/", CONTENT_LENGTH="-1"
    )
    assert response.status_code == 400
    assert "Content-Length" in response.json()["detail"]


# An endpoint that takes files (later issues add evidence files and spreadsheets)


class Upload(APIView):
    """Declares the upload limit, as an endpoint that takes files does."""

    max_body_size = settings.VIONA_UPLOAD_MAX_BYTES
    parser_classes = [MultiPartParser]
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        upload = request.data["file"]
        return Response({"size": upload.size, "on_disk": isinstance(upload, TemporaryUploadedFile)})


urlpatterns = [path("upload/", Upload.as_view())]


def multipart(name: str, content: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return (
        f"--B\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n--B--\r\n"
    )


@pytest.mark.urls(__name__)
def test_an_upload_endpoint_takes_files_up_to_its_own_limit_streamed_to_disk(client, settings):
    assert settings.VIONA_UPLOAD_MAX_BYTES == 20_000_000
    body = multipart("file", b"x" * (2 * ONE_MB), "evidence.pdf")
    response = client.post("/upload/", body, content_type="multipart/form-data; boundary=B")
    assert response.status_code == 200, response.content
    assert response.json() == {"size": 2 * ONE_MB, "on_disk": True}

    too_large = client.post(
        "/upload/",
        body,
        content_type="multipart/form-data; boundary=B",
        CONTENT_LENGTH=str(settings.VIONA_UPLOAD_MAX_BYTES + 1),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert too_large.status_code == 413
    assert "20,000,000 bytes" in too_large.json()["detail"]


@pytest.mark.urls(__name__)
def test_form_fields_beside_the_files_keep_the_json_limit(client):
    body = multipart("note", b"x" * (ONE_MB + 1))
    response = client.post("/upload/", body, content_type="multipart/form-data; boundary=B")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"


# List fields


@pytest.mark.parametrize("field", ["addressees", "related_domains"])
def test_a_list_of_10000_entries_is_refused_before_any_lookup(
    api_as, coordinator, recommendation, organisations, field, django_assert_max_num_queries
):
    payload = {field: ["vdab"] * 10_000}
    client = api_as(coordinator)
    with django_assert_max_num_queries(6):  # login, roles, the item: no lookup of the entries
        response = client.patch(
            f"{URL}{recommendation.code}/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 400
    assert response.json() == {field: ["At most 50 entries are allowed."]}
    assert untouched(recommendation)


def test_an_editor_of_another_organisation_is_refused_before_the_payload_is_read(
    api_as, other_editor, recommendation, django_assert_max_num_queries
):
    payload = {"addressees": [f"org-{n}" for n in range(10_000)], "priority": "bogus"}
    with django_assert_max_num_queries(6):
        response = api_as(other_editor).patch(
            f"{URL}{recommendation.code}/", payload, format="json"
        )
    assert response.status_code == 403
    assert untouched(recommendation)


def test_a_transition_by_someone_who_may_not_is_refused_before_the_payload_is_read(
    api_as, other_editor, recommendation
):
    response = api_as(other_editor).post(
        f"{URL}{recommendation.code}/transition/", {"to_status": "bogus"}, format="json"
    )
    assert response.status_code == 403
    assert untouched(recommendation)


def test_a_list_at_its_limit_is_looked_up_in_one_query(
    api_as, coordinator, recommendation, organisations, django_assert_max_num_queries
):
    from recommendations.models import Organisation

    Organisation.objects.bulk_create(
        Organisation(slug=f"org-{n}", name=f"Organisatie {n}") for n in range(48)
    )
    slugs = ["vdab", "syntra-vlaanderen", *(f"org-{n}" for n in range(48))]
    client = api_as(coordinator)
    payload = {"addressees": slugs, "priority": "bogus"}  # stops at validation
    with django_assert_max_num_queries(10) as queries:
        response = client.patch(f"{URL}{recommendation.code}/", payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"priority"}
    lookups = [q["sql"] for q in queries.captured_queries if '"slug" IN' in q["sql"]]
    assert len(lookups) == 1

    response = client.patch(f"{URL}{recommendation.code}/", {"addressees": slugs}, format="json")
    assert response.status_code == 200, response.content
    assert {o["slug"] for o in response.json()["addressees"]} == set(slugs)


def test_an_entry_named_twice_or_unknown_is_refused(
    api_as, coordinator, recommendation, organisations
):
    response = api_as(coordinator).patch(
        f"{URL}{recommendation.code}/",
        {"addressees": ["vdab", "syntra-vlaanderen", "vdab"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"addressees": ["“vdab” is listed more than once."]}
    assert untouched(recommendation)

    unknown = api_as(coordinator).patch(
        f"{URL}{recommendation.code}/",
        {"addressees": ["vdab", "nobody"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert unknown.json() == {"addressees": ["Object with slug=nobody does not exist."]}

    # One list of messages per field, as the schema documents errors (not one per entry).
    for entries, message in [
        (["vdab", "a\x00b"], "Null characters are not allowed."),
        (["vdab", 5], "Invalid value."),
        (["vdab", ""], "Invalid value."),
        (["vdab", ["vdab"]], "Invalid value."),
    ]:
        response = api_as(coordinator).patch(
            f"{URL}{recommendation.code}/",
            {"addressees": entries},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.json() == {"addressees": [message]}, entries


# The schema says so


@pytest.fixture
def schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_the_schema_documents_the_limits(schema):
    writes = [
        schema["paths"]["/api/v1/recommendations/{code}/"]["patch"],
        schema["paths"]["/api/v1/recommendations/{code}/transition/"]["post"],
    ]
    for operation in writes:
        assert "1,000,000 bytes" in operation["responses"]["413"]["description"]
        assert "411" in operation["responses"]
    update = schema["components"]["schemas"]["PatchedRecommendationUpdateRequest"]
    for field in ("addressees", "related_domains"):
        assert update["properties"][field]["maxItems"] == 50
        assert update["properties"][field]["uniqueItems"] is True
    assert "413" not in schema["paths"]["/api/v1/recommendations/"]["get"]["responses"]
