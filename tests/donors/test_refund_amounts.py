"""What a refund's amount means: a positive amount is that much, no amount is what remains,
and zero or a negative amount is refused (it never stands for "everything")."""

from __future__ import annotations

import pytest
from moneyed import Money

from common.errors import ApplicationError
from donors.models import DonationStatus, Refund
from donors.services import refund_request

pytestmark = pytest.mark.usefixtures("tx")


@pytest.fixture
def paid(gift, deliver):
    g = gift(amount="100")
    deliver.send("checkout.session.completed", g.session())
    return g


def refund_url(g) -> str:
    return f"/api/v1/donations/{g.donation.reference}/refunds/"


def refunds_at_the_provider(g) -> list:
    return g.sandbox.client.v1.refunds.list({"payment_intent": g.payment_intent_id}).data


@pytest.mark.parametrize("amount", ["0", "0.00", "-5", "-0.01"])
def test_a_refund_of_zero_or_less_is_refused_and_never_refunds_the_whole_gift(
    api, treasurer, paid, amount
):
    api.force_authenticate(treasurer)
    response = api.post(refund_url(paid), {"amount": amount}, format="json",
                        HTTP_IDEMPOTENCY_KEY=f"zero-{amount}")  # fmt: skip
    assert response.status_code == 400, response.content
    body = response.json()
    assert "above zero" in body["message"] and "amount" in body["fields"]
    assert not Refund.objects.exists() and not refunds_at_the_provider(paid)
    assert paid.refresh().status == DonationStatus.SUCCEEDED


def test_the_refund_service_refuses_a_zero_amount(treasurer, paid):
    with pytest.raises(ApplicationError) as error:
        refund_request(donation=paid.donation, amount=Money(0, "MYR"), idempotency_key="svc-0",
                       actor=treasurer)  # fmt: skip
    assert error.value.status_code == 400 and "amount" in error.value.fields
    assert not Refund.objects.exists()


def test_no_amount_or_null_refunds_what_remains(api, treasurer, paid):
    api.force_authenticate(treasurer)
    part = api.post(refund_url(paid), {"amount": "30"}, format="json", HTTP_IDEMPOTENCY_KEY="a")
    assert part.status_code == 202
    rest = api.post(refund_url(paid), {"amount": None}, format="json", HTTP_IDEMPOTENCY_KEY="b")
    assert rest.status_code == 202 and rest.json()["amount"]["amount"] == "70.00"
    assert paid.refresh().status == DonationStatus.REFUNDED
    again = api.post(refund_url(paid), {}, format="json", HTTP_IDEMPOTENCY_KEY="c")
    assert again.status_code == 409 and Refund.objects.count() == 2


def test_no_amount_while_the_rest_is_already_on_its_way_is_refused(treasurer, paid):
    # A refund of the whole gift asked for and not yet confirmed by the provider.
    Refund.objects.create(donation=paid.donation, amount=Money(100, "MYR"),
                          idempotency_key="in-flight")  # fmt: skip
    with pytest.raises(ApplicationError) as error:
        refund_request(donation=paid.donation, amount=None, idempotency_key="svc-rest",
                       actor=treasurer)  # fmt: skip
    assert error.value.status_code == 400 and "nothing left" in error.value.message
    assert Refund.objects.count() == 1


def test_the_admin_refund_form_refuses_zero(client, treasurer, paid):
    treasurer.is_staff = True
    treasurer.save()
    client.force_login(treasurer)
    url = f"/admin/donors/donation/{paid.donation.pk}/refund/"
    response = client.post(url, {"amount": "0", "reason": "", "idempotency_key": "adm-0"})
    assert response.status_code == 200 and b"above zero" in response.content
    assert not Refund.objects.exists() and not refunds_at_the_provider(paid)
    assert paid.refresh().status == DonationStatus.SUCCEEDED


def test_the_refund_schema_says_what_no_amount_means(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    amount = schema["components"]["schemas"]["RefundInputRequest"]["properties"]["amount"]
    assert "what remains" in amount["description"] and "zero" in amount["description"]
