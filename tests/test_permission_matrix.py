"""The API's permission matrix, generated from the URL configuration.

Every route under /api/ (the REST API, its schema and docs), the webhook receiver and
/healthz is found by walking the URL resolver, with the methods its view allows. `MATRIX`
gives, for each route and method, the exact status each role gets when it calls the route
with an empty JSON body (or no query) and path parameters that name nothing that exists. A
route or method without a row fails `test_every_route_and_method_has_a_row`, and so do its
cells; a row for a route or method that is gone fails the same test.

Refused roles get 401 (anonymous) or 403 (signed in) with the API's error body
`{"message", "code", "fields"}`; roles let in get the status of the input they sent: 404 for
the missing object, 400 for the empty body, 200 for lists and reports.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from common.exports import XLSX_CONTENT_TYPE
from ledger.models import JournalEntry
from ledger.services.chart import chart_ensure_default
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "donor", "member", "reviewer", "treasurer", "admin")
# The fixture of tests/conftest.py that signs each role in (anonymous: no credentials).
ROLE_FIXTURES = {"donor": "donor", "member": "member_user", "reviewer": "reviewer",
                 "treasurer": "treasurer", "admin": "admin_user"}  # fmt: skip
METHODS = ("get", "post", "put", "patch", "delete")
REFUSED = (401, 403)

# What each path parameter is called with: something that does not exist.
PATH_VALUES = {
    "pk": "999999",
    "campaign_id": "999999",
    "slug": "no-such-campaign",
    "reference": "5a1d1c1e-0000-4000-8000-000000000999",
    "item_type": "bank_line",
    "provider": "stripe",
    "code": "NO-SUCH-CODE",
}

# Function views have no class to read their methods from: they are stated here, and
# `test_a_function_view_refuses_every_other_method` checks the statement (405).
FUNCTION_VIEW_METHODS = {
    "healthz": ("get",),  # @require_GET (fundraising/health.py)
    "webhooks:receive": ("post",),  # @require_POST (webhooks/apis.py)
}

# Answers that legitimately do not use the API's error body, and why.
NOT_THE_API_ERROR_BODY = {
    # The payment provider's endpoint, a plain Django view: it answers the provider with
    # {"error": "invalid signature"} (400), not an API client.
    ("webhooks:receive", "post"): "the provider-facing webhook receiver",
}

# fmt: off
# The exact status per role, in the order of ROLES.
#                                             anon donor member review treas admin
MATRIX: dict[tuple[str, str], tuple[int, int, int, int, int, int]] = {
    # --- Public, or open to everyone; the role plays no part. ---------------------------
    ("healthz", "get"):                            (200, 200, 200, 200, 200, 200),
    ("schema", "get"):                             (200, 200, 200, 200, 200, 200),
    ("api-docs", "get"):                           (200, 200, 200, 200, 200, 200),
    # The signature is checked, not the caller: an unsigned empty body is a 400.
    ("webhooks:receive", "post"):                  (400, 400, 400, 400, 400, 400),
    # Username and password come in the body, whoever is signed in.
    ("api-token", "post"):                         (400, 400, 400, 400, 400, 400),
    # Revokes the token the request is signed with: signed in without one (a session, or
    # here forced), there is none to revoke (401, as for anonymous callers).
    ("api-token-logout", "post"):                  (401, 401, 401, 401, 401, 401),
    # Revokes every token of whoever is signed in (none here: nothing to do).
    ("api-token-logout-all", "post"):              (401, 204, 204, 204, 204, 204),
    # --- Enterprises and campaigns: anyone reads what they may see; anyone signed in may
    # apply or propose (the services check the enterprise and the reviewer role, after the
    # object is found: a missing one is a 404 for every signed-in role). ----------------
    ("api-enterprises", "get"):                    (200, 200, 200, 200, 200, 200),
    ("api-enterprises", "post"):                   (401, 400, 400, 400, 400, 400),
    ("api-enterprise", "get"):                     (404, 404, 404, 404, 404, 404),
    ("api-enterprise-accept", "post"):             (401, 404, 404, 404, 404, 404),
    ("api-enterprise-decline", "post"):            (401, 404, 404, 404, 404, 404),
    ("api-enterprise-suspend", "post"):            (401, 404, 404, 404, 404, 404),
    ("api-campaigns", "get"):                      (200, 200, 200, 200, 200, 200),
    ("api-campaigns", "post"):                     (401, 400, 400, 400, 400, 400),
    ("api-campaign", "get"):                       (404, 404, 404, 404, 404, 404),
    ("api-campaign", "patch"):                     (401, 404, 404, 404, 404, 404),
    ("api-campaign-submit", "post"):               (401, 404, 404, 404, 404, 404),
    ("api-campaign-request-changes", "post"):      (401, 404, 404, 404, 404, 404),
    ("api-campaign-approve", "post"):              (401, 404, 404, 404, 404, 404),
    ("api-campaign-reject", "post"):               (401, 404, 404, 404, 404, 404),
    ("api-campaign-end", "post"):                  (401, 404, 404, 404, 404, 404),
    # --- Giving: public by campaign or reference; the list and refunds are the treasurer's.
    # A campaign that is not live or ended answers these three as one that does not exist,
    # for every role (campaigns.selectors.campaigns_public; tests/donors/test_unpublished_*).
    ("donation-start", "post"):                    (404, 404, 404, 404, 404, 404),
    ("donor-wall", "get"):                         (404, 404, 404, 404, 404, 404),
    ("campaign-giving", "get"):                    (404, 404, 404, 404, 404, 404),
    ("donation-detail", "get"):                    (404, 404, 404, 404, 404, 404),
    ("donation-list", "get"):                      (401, 403, 403, 403, 200, 200),
    # The donation is looked up before the Idempotency-Key header is asked for.
    ("donation-refund", "post"):                   (401, 403, 403, 403, 404, 404),
    # Anyone signed in reads the reference rates; the treasurer publishes.
    ("exchange-rates", "get"):                     (401, 200, 200, 200, 200, 200),
    ("exchange-rates", "post"):                    (401, 403, 403, 403, 400, 400),
    # --- The treasurer's ledger: reports and lists. -------------------------------------
    ("api-ledger-trial-balance", "get"):           (401, 403, 403, 403, 200, 200),
    ("api-ledger-balance-sheet", "get"):           (401, 403, 403, 403, 200, 200),
    ("api-ledger-income-expenditure", "get"):      (401, 403, 403, 403, 200, 200),
    ("api-ledger-foreign-contributions", "get"):   (401, 403, 403, 403, 200, 200),
    ("api-ledger-changes-in-funds", "get"):        (401, 403, 403, 403, 200, 200),
    # A campaign that does not exist is a 404, not an empty statement (as the fee share of
    # the same campaign and an unknown account's statement answer).
    ("api-ledger-fund-statement", "get"):          (401, 403, 403, 403, 404, 404),
    ("api-ledger-journal", "get"):                 (401, 403, 403, 403, 200, 200),
    ("api-ledger-late-entries", "get"):            (401, 403, 403, 403, 200, 200),
    ("api-ledger-accounts", "get"):                (401, 403, 403, 403, 200, 200),
    ("api-ledger-account-statement", "get"):       (401, 403, 403, 403, 404, 404),
    ("api-ledger-periods", "get"):                 (401, 403, 403, 403, 200, 200),
    ("api-ledger-period-close", "post"):           (401, 403, 403, 403, 400, 400),
    # The body is validated before the period (or entry, item, bank line) is looked up.
    ("api-ledger-period-reopen", "post"):          (401, 403, 403, 403, 400, 400),
    # --- Reconciliation. -----------------------------------------------------------------
    ("api-ledger-imports", "get"):                 (401, 403, 403, 403, 200, 200),
    ("api-ledger-imports", "post"):                (401, 403, 403, 403, 400, 400),
    ("api-ledger-import", "get"):                  (401, 403, 403, 403, 404, 404),
    ("api-ledger-import-file", "get"):             (401, 403, 403, 403, 404, 404),
    ("api-ledger-reconciliation-report", "get"):   (401, 403, 403, 403, 200, 200),
    ("api-ledger-workbench", "get"):               (401, 403, 403, 403, 200, 200),
    # Takes no body: runs the matcher (nothing to match in an empty ledger) and counts.
    ("api-ledger-auto-match", "post"):             (401, 403, 403, 403, 200, 200),
    ("api-ledger-item-match", "post"):             (401, 403, 403, 403, 400, 400),
    ("api-ledger-item-explain", "post"):           (401, 403, 403, 403, 400, 400),
    ("api-ledger-item-unmatch", "post"):           (401, 403, 403, 403, 400, 400),
    ("api-ledger-link-payouts", "post"):           (401, 403, 403, 403, 400, 400),
    # --- The treasurer's posting operations and disbursements. --------------------------
    ("api-ledger-offline-gifts", "post"):          (401, 403, 403, 403, 400, 400),
    ("api-ledger-releases", "post"):               (401, 403, 403, 403, 400, 400),
    ("api-ledger-manual-adjustments", "post"):     (401, 403, 403, 403, 400, 400),
    ("api-ledger-entry-reverse", "post"):          (401, 403, 403, 403, 400, 400),
    ("api-ledger-fx-revaluations", "post"):        (401, 403, 403, 403, 400, 400),
    # The campaign is looked up first (and the disbursement, for pay and cancel).
    ("api-ledger-fee-share", "get"):               (401, 403, 403, 403, 404, 404),
    ("api-ledger-fee-share", "put"):               (401, 403, 403, 403, 404, 404),
    ("api-ledger-disbursements", "get"):           (401, 403, 403, 403, 200, 200),
    ("api-ledger-disbursements", "post"):          (401, 403, 403, 403, 400, 400),
    ("api-ledger-disbursement", "get"):            (401, 403, 403, 403, 404, 404),
    ("api-ledger-disbursement-pay", "post"):       (401, 403, 403, 403, 404, 404),
    ("api-ledger-disbursement-cancel", "post"):    (401, 403, 403, 403, 404, 404),
}
# fmt: on


# --- The walk ---------------------------------------------------------------------------


# A path converter, `<int:pk>` or `<pk>`; group 1 is the parameter's name.
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced, e.g. "webhooks:receive"
    path: str  # as routed, e.g. "api/v1/ledger/entries/<int:pk>/reverse/"
    view_class: type | None
    methods: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.name or self.path

    @property
    def label(self) -> str:
        """The path the test ids show: relative to /api/v1/, parameters as {name}."""
        return PARAMETER.sub(r"{\1}", self.path.removeprefix("api/v1/"))

    def url(self, **values: str) -> str:
        """The path with each parameter replaced by PATH_VALUES' value, or by `values`'."""
        values = {**PATH_VALUES, **values}
        return "/" + PARAMETER.sub(lambda m: values.get(m.group(1), m.group(0)), self.path)

    def parameters(self) -> list[str]:
        return PARAMETER.findall(self.path)


def _covered(path: str) -> bool:
    return path.startswith(("api/", "webhooks/")) or path == "healthz"


def _patterns(patterns: list, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield prefix + str(entry.pattern), name, entry.callback


def walk() -> list[Route]:
    routes = []
    for path, name, callback in _patterns(get_resolver().url_patterns):
        if not _covered(path):
            continue
        view_class = getattr(callback, "view_class", None)
        if view_class is not None:  # an APIView (or a Django class-based view)
            methods = tuple(m for m in METHODS if hasattr(view_class, m))
        else:
            methods = FUNCTION_VIEW_METHODS.get(name or path, ())
        routes.append(Route(name, path, view_class, methods))
    return routes


ROUTES = walk()
CELLS = [
    pytest.param(route, method, role, id=f"{method} {route.label} {role}")
    for route in ROUTES
    for method in route.methods
    for role in ROLES
]


def _expected(route: Route, method: str, role: str) -> int:
    row = MATRIX.get((route.key, method))
    if row is None:
        pytest.fail(f"No row in MATRIX for ({route.key!r}, {method!r}) at /{route.path}: "
                    "add the exact status of each role.")  # fmt: skip
    return row[ROLES.index(role)]


def _user(request: pytest.FixtureRequest, role: str):
    """The signed-in user of a role (None: anonymous), from the fixtures of tests/conftest.py."""
    if role == "anonymous":
        return None
    if role == "member":
        request.getfixturevalue("enterprise")  # makes member_user a member
    return request.getfixturevalue(ROLE_FIXTURES[role])


def _sign_in(request: pytest.FixtureRequest, api: APIClient, role: str) -> APIClient:
    api.force_authenticate(_user(request, role))
    return api


def _call(api: APIClient, method: str, url: str, body: dict | None = None):
    if method == "get":
        return api.get(url, {})
    return getattr(api, method)(url, body or {}, format="json")


def _assert_error_body(route: Route, method: str, response: Any) -> None:
    if not 400 <= response.status_code < 500 or (route.key, method) in NOT_THE_API_ERROR_BODY:
        return
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert isinstance(body.get("message"), str) and body["message"].strip(), body
    assert "code" in body and "fields" in body, body


# --- The matrix ---------------------------------------------------------------------------


def test_every_route_and_method_has_a_row():
    assert ROUTES, "The walk found no route: is the URL configuration loaded?"
    problems = []
    names = [route.key for route in ROUTES]
    problems += [f"two routes are named {name!r}" for name in sorted(set(names))
                 if names.count(name) > 1]  # fmt: skip
    for route in ROUTES:
        if route.name is None:
            problems.append(f"/{route.path} has no name: name it so MATRIX can key it")
        if not route.methods:
            problems.append(f"/{route.path} ({route.key}) is a function view: state its "
                            "methods in FUNCTION_VIEW_METHODS")  # fmt: skip
        unknown = [p for p in route.parameters() if p not in PATH_VALUES]
        if unknown:
            problems.append(f"/{route.path}: no value in PATH_VALUES for {unknown}")
    found = {(route.key, method): route for route in ROUTES for method in route.methods}
    problems += [f"no row in MATRIX for {key} (/{route.path})"
                 for key, route in found.items() if key not in MATRIX]  # fmt: skip
    problems += [f"MATRIX has a row for {key}, which the URL configuration no longer has"
                 for key in MATRIX if key not in found]  # fmt: skip
    stale = set(FUNCTION_VIEW_METHODS) - {r.key for r in ROUTES if r.view_class is None}
    problems += [f"FUNCTION_VIEW_METHODS names {name!r}, no longer a function view route"
                 for name in sorted(stale)]  # fmt: skip
    assert not problems, "The permission matrix is out of date:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(("route", "method", "role"), CELLS)
def test_cell(request, api, route: Route, method: str, role: str):
    expected = _expected(route, method, role)

    response = _call(_sign_in(request, api, role), method, route.url())

    assert response.status_code == expected, (
        f"{method.upper()} /{route.path} as {role}: {response.status_code}, expected "
        f"{expected}: {response.content[:500]!r}"
    )
    _assert_error_body(route, method, response)


FUNCTION_VIEW_OTHER_METHODS = [
    pytest.param(route, method, id=f"{method} {route.label}")
    for route in ROUTES
    if route.view_class is None and route.methods
    for method in METHODS
    if method not in route.methods
]


@pytest.mark.parametrize(("route", "method"), FUNCTION_VIEW_OTHER_METHODS)
def test_a_function_view_refuses_every_other_method(api, route: Route, method: str):
    # Django's require_GET / require_POST answer 405 with an empty body.
    assert _call(api, method, route.url()).status_code == 405


# --- A refusal writes nothing -------------------------------------------------------------


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy}  # fmt: skip


WRITES = [
    pytest.param(route, method, id=f"{method} {route.label}")
    for route in ROUTES
    for method in route.methods
    if method != "get" and any(status in REFUSED for status in MATRIX.get((route.key, method), ()))
]


@pytest.fixture
def bookable(db):
    """A live MYR campaign in the default chart, and a bank transfer it could book."""
    chart_ensure_default()
    campaign = CampaignFactory()
    gift = {"campaign": campaign.pk, "reference": "bank-1", "amount": "10.00",
            "currency": "MYR", "donor_country": "MY",
            "effective_date": timezone.localdate().isoformat()}  # fmt: skip
    return campaign, gift


@pytest.mark.parametrize(("route", "method"), WRITES)
def test_a_refused_write_leaves_every_table_as_it_was(request, api, bookable, route, method):
    campaign, gift = bookable
    url = route.url(campaign_id=str(campaign.pk), slug=campaign.slug)
    row = MATRIX[(route.key, method)]
    refused = {role: status for role, status in zip(ROLES, row, strict=True) if status in REFUSED}
    users = {role: _user(request, role) for role in refused}
    before = _row_counts()

    for role, status in refused.items():
        api.force_authenticate(users[role])
        response = _call(api, method, url, gift)
        assert response.status_code == status, (role, response.content)
        assert response.json()["message"], role

    assert not JournalEntry.objects.exists()
    after = _row_counts()
    written = {label: (before[label], n) for label, n in after.items() if n != before[label]}
    assert not written, f"a refused {method.upper()} /{route.path} wrote {written}"


def test_the_same_gift_is_booked_when_the_treasurer_sends_it(api, treasurer, bookable):
    # The control of the test above: its body really books something when let in.
    _, gift = bookable
    api.force_authenticate(treasurer)

    response = api.post(reverse("api-ledger-offline-gifts"), gift, format="json")

    assert response.status_code == 201, response.content
    assert JournalEntry.objects.count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ROLES)
def test_a_download_is_refused_the_same_way(request, api, role, fmt):
    expected = MATRIX[("api-ledger-trial-balance", "get")][ROLES.index(role)]
    url = reverse("api-ledger-trial-balance")

    response = _sign_in(request, api, role).get(url, {"format": fmt})

    assert response.status_code == expected, response.content
    if expected in REFUSED:
        # The error body is JSON whatever format was asked for, and labelled so
        # (common.api._FileRenderer): a spreadsheet program is not handed an error.
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content)["message"]
    else:
        content_type = {"csv": "text/csv", "xlsx": XLSX_CONTENT_TYPE}[fmt]
        assert response["Content-Type"].startswith(content_type)


# --- The API docs ---------------------------------------------------------------------------


def _schema_path(route: Route) -> str:
    def parameter(match: re.Match) -> str:
        name = "id" if match.group(1) == "pk" else match.group(1)
        return "{" + name + "}"

    # drf-spectacular names a `pk` path parameter `id`.
    return "/" + PARAMETER.sub(parameter, route.path)


@pytest.fixture
def schema(api) -> dict:
    response = api.get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_api_docs_describe_every_route_and_method(schema):
    paths = schema["paths"]
    missing = [
        f"{method.upper()} {_schema_path(route)}"
        for route in ROUTES
        if route.path.startswith("api/v1/")
        for method in route.methods
        if method not in paths.get(_schema_path(route), {})
    ]
    assert not missing, f"Not in the OpenAPI schema: {missing}"
    for route in ROUTES:
        if not route.path.startswith("api/v1/ledger/"):
            continue
        for method in route.methods:
            operation = paths[_schema_path(route)][method]
            assert operation["summary"], (route.path, method)
            assert operation["tags"][0].startswith("ledger: "), (route.path, method)


def test_the_api_docs_describe_downloads_conflicts_and_bodies(schema):
    paths = schema["paths"]
    trial = paths["/api/v1/ledger/trial-balance/"]["get"]
    assert {"text/csv", "application/json"} <= set(trial["responses"]["200"]["content"])
    assert {p["name"] for p in trial["parameters"]} >= {"as_of", "format"}
    gift = paths["/api/v1/ledger/offline-gifts/"]["post"]
    assert {"201", "400", "409"} <= set(gift["responses"])
    assert gift["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "OfflineGiftInRequest"
    )
    pay = paths["/api/v1/ledger/disbursements/{id}/pay/"]["post"]
    assert "Conflicts" in pay["responses"]["409"]["description"]
