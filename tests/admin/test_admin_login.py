"""The admin's login form: the API login's limits (per address, per account, shared with the
API), and closed to users who are not ACTIVO or whose empresa is suspended, superuser or not.

Defaults: 20 attempts a minute per address, 10 per email. A throttled attempt answers 429 with
``Retry-After`` and the form again, saying «Demasiados intentos; intente de nuevo más tarde».
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tenants.models import User
from tenants.services import tenant_suspend
from tests.admin.conftest import make_staff
from tests.admin.helpers import LOGIN, admin_login, is_logged_in
from tests.auth.helpers import WRONG_PASSWORD
from tests.auth.helpers import login as api_login
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ENOUGH = 40  # the red team's count: more than either limit
DEMASIADOS = "Demasiados intentos; intente de nuevo más tarde"


def non_field_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def attempts(emails, *, address="10.9.0.1", password=WRONG_PASSWORD, client=None):
    client = client or Client()
    return [admin_login(client, email, password, REMOTE_ADDR=address) for email in emails]


def first_throttled(responses) -> int:
    statuses = [r.status_code for r in responses]
    assert 429 in statuses, statuses
    return statuses.index(429)


@pytest.fixture(autouse=True)
def _throttle_clock_mid_window(monkeypatch):
    """The limits count in fixed one-minute windows: a test crossing a window's end would see
    its counters restart, so the throttles' clock stands still mid-window."""
    monkeypatch.setattr(SimpleRateThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))


@pytest.fixture
def staff_user(tenant) -> User:
    return make_staff(tenant, rol=User.Rol.ADMIN, email="gerente@example.test")


# -- the right password, at first -----------------------------------------------------------


def test_wrong_password_is_a_form_error_and_the_right_one_logs_in(staff_user):
    client = Client()

    wrong = admin_login(client, staff_user.email, WRONG_PASSWORD)
    assert (wrong.status_code, is_logged_in(client)) == (200, False)
    assert non_field_errors(wrong)
    right = admin_login(client, staff_user.email, PASSWORD)

    assert right.status_code == 302
    assert right["Location"] == "/admin/"
    assert is_logged_in(client)
    assert client.get("/admin/").status_code == 200


# -- throttling ------------------------------------------------------------------------------


def test_forty_wrong_passwords_then_the_right_one_does_not_log_in(staff_user):
    """The red team's finding: every attempt answered 200 and the 41st logged in."""
    client = Client()
    responses = attempts([staff_user.email] * ENOUGH, client=client)

    last = admin_login(client, staff_user.email, PASSWORD, REMOTE_ADDR="10.9.0.1")

    index = first_throttled(responses)
    assert index > 0, "the first attempt must not be throttled"
    assert all(r.status_code == 200 for r in responses[:index])
    assert all(r.status_code == 429 for r in responses[index:])
    assert last.status_code == 429
    assert not is_logged_in(client)


def test_throttled_attempt_shows_the_form_with_a_clear_message_and_retry_after(staff_user):
    responses = attempts([staff_user.email] * ENOUGH)

    throttled = responses[first_throttled(responses)]
    assert non_field_errors(throttled) == [DEMASIADOS]
    assert DEMASIADOS in throttled.content.decode()
    assert int(throttled["Retry-After"]) > 0
    assert b'name="username"' in throttled.content


def test_per_address_limit_matches_the_api_login_and_spares_other_addresses(staff_user):
    responses = attempts([f"intento{i}@example.test" for i in range(ENOUGH)], address="10.9.4.1")
    client = Client()

    assert first_throttled(responses) == 20
    response = admin_login(client, staff_user.email, PASSWORD, REMOTE_ADDR="10.9.4.2")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_per_account_limit_matches_the_api_login_from_many_addresses(staff_user):
    client = Client()
    responses = [
        admin_login(client, staff_user.email, WRONG_PASSWORD, REMOTE_ADDR=f"10.9.1.{i}")
        for i in range(1, ENOUGH)
    ]

    assert first_throttled(responses) == 10
    right = admin_login(client, staff_user.email, PASSWORD, REMOTE_ADDR="10.9.2.1")
    assert right.status_code == 429
    assert not is_logged_in(client)


def test_the_account_is_counted_by_its_canonical_email(staff_user):
    variants = [f"  {staff_user.email.upper()} ", staff_user.email.title()] * 6
    client = Client()
    responses = [
        admin_login(client, email, WRONG_PASSWORD, REMOTE_ADDR=f"10.9.3.{i}")
        for i, email in enumerate(variants, start=1)
    ]

    assert first_throttled(responses) == 10


def test_api_and_admin_logins_share_the_account_limit(staff_user):
    """Trying the API's door first does not buy fresh attempts at the admin's."""
    for i in range(10):
        api_login(APIClient(), staff_user.email, WRONG_PASSWORD, REMOTE_ADDR=f"10.9.5.{i}")
    client = Client()

    response = admin_login(client, staff_user.email, PASSWORD, REMOTE_ADDR="10.9.6.1")

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_admin_attempts_count_for_the_api_login_too(staff_user):
    attempts([f"intento{i}@example.test" for i in range(20)], address="10.9.7.1")

    response = api_login(APIClient(), staff_user.email, REMOTE_ADDR="10.9.7.1")

    assert response.status_code == 429


def test_unknown_email_and_wrong_password_answer_alike(staff_user):
    unknown = attempts(["nadie@example.test"] * ENOUGH, address="10.9.8.1")
    wrong = attempts([staff_user.email] * ENOUGH, address="10.9.8.2")

    def shape(responses):
        return [(r.status_code, non_field_errors(r)) for r in responses]

    assert shape(unknown) == shape(wrong)
    assert {r.status_code for r in unknown} == {200, 429}


def test_forged_x_forwarded_for_does_not_escape_the_address_limit(staff_user):
    client = Client()
    responses = [
        admin_login(
            client,
            f"intento{i}@example.test",
            WRONG_PASSWORD,
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
        for i in range(ENOUGH)
    ]

    assert first_throttled(responses) == 20


def test_looking_at_the_login_page_is_not_an_attempt(staff_user):
    client = Client()
    for _ in range(ENOUGH):
        page = client.get(LOGIN, REMOTE_ADDR="10.9.10.1")
        assert page.status_code == 200
        assert b'name="username"' in page.content

    response = admin_login(client, staff_user.email, PASSWORD, REMOTE_ADDR="10.9.10.1")

    assert response.status_code == 302


# -- closed accounts -------------------------------------------------------------------------


def closed_account(kind: str, tenant) -> User:
    """A user who may not use the admin, of the ``kind`` named by the test's parameter."""
    if kind.startswith("superuser"):
        attached = {"tenant": tenant} if kind == "superuser_of_tenant" else {}
        estado = User.Estado.SUSPENDIDO if kind == "superuser" else User.Estado.ACTIVO
        return User.objects.create_superuser(
            "root@example.test", PASSWORD, nombre="Root", estado=estado, **attached
        )
    estado = User.Estado.ACTIVO if kind == "staff_of_tenant" else User.Estado(kind)
    return make_staff(tenant, rol=User.Rol.ADMIN, estado=estado)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (User.Estado.SUSPENDIDO, "Usuario inactivo o suspendido"),
        (User.Estado.PENDIENTE, "Usuario inactivo o suspendido"),
        ("superuser", "Usuario inactivo o suspendido"),
        ("staff_of_tenant", "Empresa suspendida"),  # the tenant is suspended below
        ("superuser_of_tenant", "Empresa suspendida"),
    ],
)
def test_closed_account_cannot_log_in_and_is_told_why(tenant, kind, message):
    user = closed_account(kind, tenant)
    if message == "Empresa suspendida":
        tenant_suspend(tenant=tenant)
    client = Client()

    response = admin_login(client, user.email, PASSWORD)

    assert response.status_code == 200
    assert non_field_errors(response) == [message]
    assert message in response.content.decode()
    assert not is_logged_in(client)


def test_disabled_superuser_cannot_log_in(db):
    User.objects.create_superuser("root@example.test", PASSWORD, nombre="R", is_active=False)
    client = Client()

    response = admin_login(client, "root@example.test", PASSWORD)

    assert response.status_code == 200
    assert non_field_errors(response)
    assert not is_logged_in(client)


def test_a_suspension_closes_only_that_tenant(tenant, other_tenant, superuser):
    outsider = make_staff(other_tenant, rol=User.Rol.ADMIN)
    tenant_suspend(tenant=tenant)

    for user in [superuser, outsider]:  # a platform superuser has no tenant
        client = Client()
        assert admin_login(client, user.email, PASSWORD).status_code == 302
        assert is_logged_in(client)


def test_wrong_password_of_a_suspended_user_says_nothing_about_the_account(tenant):
    user = make_staff(tenant, rol=User.Rol.ADMIN, estado=User.Estado.SUSPENDIDO)

    response = admin_login(Client(), user.email, WRONG_PASSWORD)

    assert non_field_errors(response)
    assert "suspendido" not in " ".join(non_field_errors(response))


def test_non_staff_member_cannot_log_in(tenant):
    member = make_user(tenant)
    client = Client()

    response = admin_login(client, member.email, PASSWORD)

    assert response.status_code == 200
    assert non_field_errors(response)
    assert not is_logged_in(client)


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "", "password": ""},
        {"username": "gerente@example.test"},
        {"password": PASSWORD},
        {"username": "x" * 5000, "password": PASSWORD},
        {"username": ["gerente@example.test", "nadie@example.test"], "password": PASSWORD},
        {"username": "gerente@example.test\x00", "password": PASSWORD},
    ],
)
def test_malformed_login_is_a_form_error_and_opens_no_session(staff_user, data):
    client = Client()

    response = client.post(LOGIN, data)

    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert response.context["form"].errors
    assert not is_logged_in(client)
