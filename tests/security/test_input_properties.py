"""SEC-IN-02: the ID-number validator agrees with python-stdnum's reference implementation, and
hostile free text (CJK, emoji, RTL, zero-width, NUL, 10 kB) into the sign-up form and the
application API is answered 2xx/4xx, never 5xx, with the declared lengths enforced."""

import random
from typing import Any

from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.iso7064 import mod_11_2

from accounts.services import normalise_citizen_id
from applications.models import Application
from core.identifiers import normalise_resident_id
from tests.applications.conftest import GOOD_ANSWERS
from tests.security.world import client_for, security_world

world = security_world()

# Area codes in use since before 1950 (stdnum checks the birth place against the date).
AREAS = ("110101", "110105", "120101", "310101", "320102", "330102", "420102", "440103", "510104")


def _product_accepts(number: str) -> bool:
    try:
        normalise_resident_id(number)
    except ValueError:
        return False
    return True


def _reference(number: str) -> bool:
    """stdnum's verdict. `ric.is_valid` raises KeyError on area codes known only at province
    level (python-stdnum bug); such a number is not valid."""
    try:
        return bool(ric.is_valid(number))
    except KeyError:
        return False


def _valid(rng: random.Random) -> str:
    while True:
        year = rng.randint(1950, 2010)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        body = f"{rng.choice(AREAS)}{year:04d}{month:02d}{day:02d}{rng.randint(0, 999):03d}"
        number = body + mod_11_2.calc_check_digit(body)
        if _reference(number):
            return number


def test_the_validator_agrees_with_stdnum_on_ten_thousand_numbers() -> None:
    rng = random.Random(20250611)
    numbers = [_valid(rng) for _ in range(5000)]
    # Half random 18-character strings of digits (and X), mostly invalid.
    numbers += ["".join(rng.choice("0123456789") for _ in range(17)) + rng.choice("0123456789X")
                for _ in range(5000)]  # fmt: skip

    disagreements = [n for n in numbers if _product_accepts(n) != _reference(n)]

    assert not disagreements, disagreements[:10]
    assert sum(map(_reference, numbers)) >= 5000  # the valid half is valid


def test_every_single_character_mutation_of_a_valid_number_is_rejected() -> None:
    rng = random.Random(7)
    accepted_mutants = []
    for _ in range(300):
        number = _valid(rng)
        assert _product_accepts(number), number
        for index in range(18):
            for char in "0123456789X" if index == 17 else "0123456789":
                if char == number[index]:
                    continue
                mutant = number[:index] + char + number[index + 1 :]
                if _product_accepts(mutant):
                    accepted_mutants.append((number, mutant))
    assert not accepted_mutants, accepted_mutants[:5]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_accepted_only_when_stdnum_accepts_its_normal_form(text: str) -> None:
    """The product's citizen-facing parser (full-width digits, spaces, lower-case x) never
    accepts a number the reference rejects, and never raises anything but ValueError."""
    try:
        number = normalise_citizen_id(text)
    except ValueError:
        return
    assert _reference(number), (text, number)
    assert len(number) == 18


def test_an_area_code_known_only_at_province_level_is_invalid_not_an_error() -> None:
    """python-stdnum raises KeyError for 112485…; the product must answer "invalid" (a
    ValueError), or the sign-up and sign-in forms answer 500."""
    assert not _product_accepts("112485375803055739")


def test_the_documented_vectors() -> None:
    assert _product_accepts("11010519491231002X")
    assert _product_accepts("11010519491231002x".upper())
    assert not _product_accepts("110105194912310021")
    assert normalise_citizen_id("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


# --- Hostile text into forms and the API -------------------------------------------------------

HOSTILE = [
    "张三李四王五赵六" * 3,
    "👩‍👩‍👧‍👦🎉🏳️‍🌈",
    "\u202egnp.exe",  # RTL override
    "مرحبا بالعالم",
    "a\u200bb\u200cc\u200d\ufeff",  # zero-width
    "nul\x00byte",
    "\r\n<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 10_240,
    "长" * 10_240,
]


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_the_sign_up_form_answers_hostile_text_without_a_server_error(text: str) -> None:
    response = Client().post(
        "/accounts/sign-up/",
        {"real_name": text, "id_number": text, "mobile": text, "code": text, "password1": text,
         "password2": text, "username": text},
    )  # fmt: skip
    assert response.status_code < 500
    assert response.status_code != 302  # nothing of that registers an account


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_the_application_api_answers_hostile_text_without_a_server_error(
    world: dict[str, Any], text: str
) -> None:
    client = client_for(world["a"])
    pk = world["draft"].pk
    before = Application.objects.get(pk=pk).answers

    response = client.patch(
        f"/api/v1/applications/{pk}/",
        {"answers": {**GOOD_ANSWERS, "shop_name": text}, "delivery_address": text},
        content_type="application/json",
    )

    assert response.status_code < 500, response.content[:300]
    after = Application.objects.get(pk=pk).answers
    if response.status_code < 300:
        # shop_name has max_length 30 in the form: a longer value must not be stored
        assert len(after.get("shop_name", "")) <= 30, len(after.get("shop_name", ""))
        assert "\x00" not in str(after)
    else:
        assert after == before


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.text(
        st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Z", "C"]),
        max_size=300,
    )
)
def test_staff_and_citizen_text_fields_never_give_a_server_error(
    world: dict[str, Any], text: str
) -> None:

    citizen = client_for(world["a"])
    answers = {"answers": {"shop_name": text}, "delivery_address": text}
    pk = world["draft"].pk
    response = citizen.patch(
        f"/api/v1/applications/{pk}/", answers, content_type="application/json"
    )
    assert response.status_code < 500
    response = citizen.post(
        "/api/v1/applications/", {"matter": text, "client_key": text},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code < 500
    search = Client().get("/search/", {"q": text})
    assert search.status_code < 500
    api_search = Client().get("/api/v1/matters/", {"search": text})
    assert api_search.status_code < 500
