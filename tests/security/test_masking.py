"""SEC-DP-01: masking. Every page and API answer reachable for citizen A's cases, read by each role
without the unmask permission (citizen B; a window clerk of A's department whose group lacks it;
the reviewer; the supervisor; the department admin; the auditor), holds no full ID number (18
characters with a valid GB 11643 check character, stdnum.cn.ric) and no full mobile of A's. PDFs
the pages link to are read too (text extracted with pypdfium2), and so are CSV exports.

The owner: A's own pages show A's ID number and mobile masked as well (110105********731X,
139****5678) — account, centre, submitted cases, API, inbox, wallet — except where A edits and
confirms a draft's form (the form step and 核对并提交): a masked value could not be corrected
there, and the draft is A's alone (404 to everyone else, tests/security/test_access_matrix.py).
Unmasking is for staff holding `accounts.unmask_personal_data`, with a reason (personal_data.py).
"""

import re
from typing import Any

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

import pypdfium2
import pytest
from stdnum.cn import ric

from accounts.choices import Role
from accounts.models import User
from accounts.roles import UNMASK
from accounts.services import staff_create
from matters.models import DepartmentMembership
from tests.auth import sign_in
from tests.security.world import A_ID, A_MOBILE, STAFF_PASSWORD, security_world

pytestmark = pytest.mark.django_db

world = security_world()

ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
PDF_LINK = re.compile(r'href="([^"]+(?:\.pdf|/receipt/|/download/|/pdf/)[^"]*)"')

# The pages a member of staff may open about A's cases (route, kwargs → world objects).
STAFF_PAGES = [
    ("workbench-queue", {}),
    ("workbench-case", {"pk": "received"}),
    ("workbench-case", {"pk": "in_review"}),
    ("workbench-case", {"pk": "completed"}),
    ("workbench-receipt", {"pk": "received"}),
    ("certificates:staff-list", {}),
    ("certificates:staff-detail", {"pk": "certificate"}),
    ("followup-list", {}),
    ("followup-appeals", {}),
    ("followup-detail", {"pk": "followup"}),
    ("supervision-dashboard", {}),
    ("supervision-dashboard-csv", {}),
    ("supervision-alerts", {}),
    ("notifications:inbox", {}),
]
QUEUE_TABS = ("intake", "review", "decided", "done", "mine", "overdue", "supplement")
# A's cases and objects, by the pages a citizen reaches them through (B gets 404).
CITIZEN_PAGES = [
    ("centre", {}),
    ("profile", {}),
    ("my-applications", {}),
    ("application-detail", {"pk": "received"}),
    ("application-detail", {"pk": "completed"}),
    ("application-confirmation", {"pk": "received"}),
    ("application-check", {"pk": "draft"}),
    ("application-certificate", {"pk": "completed"}),
    ("bundle-application-detail", {"pk": "bundle_application"}),
    ("notifications:inbox", {}),
    ("notifications:inbox-detail", {"pk": "notification"}),
    ("certificates:wallet", {}),
    ("certificates:wallet-detail", {"pk": "certificate"}),
    ("companies", {}),
    ("proxies", {}),
    ("api-application-list", {}),
    ("api-application-detail", {"pk": "received"}),
    ("api-application-detail", {"pk": "draft"}),
]
ROLES = ("b", "clerk_no_unmask", "reviewer", "supervisor", "department_admin", "auditor")


def full_ids(text: str) -> set[str]:
    """The whole, valid resident ID numbers in `text`."""
    found = set()
    for candidate in ID_CANDIDATE.findall(text):
        try:
            if ric.is_valid(candidate.upper()):
                found.add(candidate)
        except KeyError:  # stdnum's birth-place table lacks the area: still a candidate
            found.add(candidate)
    return found


def exposed(text: str) -> list[str]:
    """A's full ID number or mobile if `text` holds one, and any other full ID number."""
    hits = sorted(full_ids(text))
    hits += [m for m in MOBILE.findall(text) if m == A_MOBILE]
    if A_ID in text and A_ID not in hits:
        hits.append(A_ID)
    return hits


def _pdf_text(data: bytes) -> str:
    """The text of a PDF; of one PDFium cannot read (the world's stand-in files), the raw bytes."""
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return data.decode("latin-1")
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def _text(response: Any) -> str:
    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if content.startswith(b"%PDF"):
        return _pdf_text(content)
    return content.decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def people(world: dict[str, Any]) -> dict[str, Any]:
    """The world plus an auditor and a window clerk of A's department without the unmask right."""
    world["auditor"] = staff_create(
        username="mask_auditor", password=STAFF_PASSWORD, real_name="审计员", roles=[Role.AUDITOR]
    )
    clerks = Group.objects.get(name=Role.WINDOW_CLERK.label)
    group = Group.objects.create(name="窗口人员（无查询权限）")
    group.permissions.set(clerks.permissions.exclude(codename=UNMASK.split(".")[1]))
    clerk = staff_create(
        username="clerk_no_unmask", password=STAFF_PASSWORD, real_name="窗口乙", roles=[]
    )
    clerk.groups.set([group])
    DepartmentMembership.objects.create(
        user=clerk, department=world["market"], role=Role.WINDOW_CLERK
    )
    world["clerk_no_unmask"] = User.objects.get(pk=clerk.pk)
    return world


def _crawl(
    client: Client, pages: list[tuple[str, dict[str, str]]], world: dict[str, Any]
) -> dict[str, str]:
    """URL → text of every page that answered 200, with the PDFs they link to and the queue's
    tabs."""
    seen: dict[str, str] = {}
    queue = list(pages)
    urls = [reverse(name, kwargs={k: world[v].pk for k, v in kw.items()}) for name, kw in queue]
    urls += [f"{reverse('workbench-queue')}?tab={tab}" for tab in QUEUE_TABS]
    while urls:
        url = urls.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code != 200:
            seen[url] = ""
            continue
        text = _text(response)
        seen[url] = text
        urls += [link for link in PDF_LINK.findall(text) if link.startswith("/")]
    return seen


def _client(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_no_full_id_number_or_mobile_of_a_reaches_a_role_without_unmask(
    people: dict[str, Any], role: str
) -> None:
    user = people[role]
    assert not user.has_perm(UNMASK)
    client = _client(user)

    pages = _crawl(client, STAFF_PAGES + CITIZEN_PAGES, people)
    leaks = {url: exposed(text) for url, text in pages.items() if exposed(text)}

    assert not leaks, f"{role} sees full personal data: {leaks}"
    if role in ("clerk_no_unmask", "reviewer"):
        read = [url for url, text in pages.items() if text and "/workbench/cases/" in url]
        assert len(read) >= 2, f"{role} should read A's cases (masked): {sorted(pages)}"


def test_the_case_page_shows_a_masked_for_staff(people: dict[str, Any]) -> None:
    page = _client(people["reviewer"]).get(reverse("workbench-case", args=[people["received"].pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert A_ID[:6] + "********" + A_ID[-4:] in text


def test_a_clerk_without_the_permission_cannot_reveal(people: dict[str, Any]) -> None:
    client = _client(people["clerk_no_unmask"])
    response = client.post(
        reverse("workbench-case-reveal", args=[people["received"].pk]),
        {"field": "id_number", "reason": "核对申请人身份信息。"},
    )
    assert response.status_code in {302, 403}
    assert not exposed(_text(response))
    if response.status_code == 302:
        assert not exposed(_text(client.get(response["Location"])))


def test_the_owner_sees_their_own_data_masked_but_on_the_draft_they_edit(
    people: dict[str, Any],
) -> None:
    client = _client(people["a"])
    pages = _crawl(client, CITIZEN_PAGES, people)
    answered = {url for url, text in pages.items() if text}
    editing = {
        reverse("application-check", args=[people["draft"].pk]),
        reverse("application-step", args=[people["draft"].pk, "form"]),
    }
    leaks = {url: exposed(text) for url, text in pages.items() if exposed(text)}
    leaks = {url: hits for url, hits in leaks.items() if url not in editing}

    assert len(answered) >= len(CITIZEN_PAGES) - 2, sorted(set(pages) - answered)
    assert not leaks, f"A's own pages print A's full data: {leaks}"
    profile = pages[reverse("profile")]
    assert A_MOBILE[:3] + "****" + A_MOBILE[-4:] in profile
    check = client.get(reverse("application-check", args=[people["draft"].pk]))
    assert A_ID in check.content.decode()  # the draft's own form answers, to confirm


def test_the_detectors_find_what_they_look_for() -> None:
    """The crawl cannot pass for want of a working detector."""
    assert exposed(f"身份证号 {A_ID}。") == [A_ID]
    assert exposed(f"电话{A_MOBILE}") == [A_MOBILE]
    assert exposed(f"{A_ID[:6]}********{A_ID[-4:]} 139****5678") == []
    assert exposed("申报号 11440300MB00001077300011100200020250611000004") == []
