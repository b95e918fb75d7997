"""Acting for others (ADR 0006): a company's legal representative registers it and authorises a
经办人; a citizen lets a proxy (代办人) apply for them. Cases say for whom and by whom, and access
follows the authority of the moment."""

from typing import Any

from django.test import Client

import pytest

from accounts import mandates
from accounts.models import Mandate, User
from applications import services
from applications.models import Application
from core.errors import DomainError
from tests.applications.conftest import LATER, NOW, shared
from tests.auth import sign_in
from tests.html import visible_text

pytestmark = pytest.mark.django_db

applicant = shared("applicant")
other_citizen = shared("other_citizen")
elder_applicant = shared("elder_applicant")
COMPANY_USCC = "91350100M000100Y43"


@pytest.fixture
def company(world: dict[str, Any]) -> User:
    return mandates.company_register(
        representative=world["applicant"], uscc=COMPANY_USCC, name="好味餐饮有限公司", now=NOW
    )


@pytest.fixture
def agent_mandate(world: dict[str, Any], company: User) -> Mandate:
    other = world["other_citizen"]
    return authorise(world["applicant"], company, other)


def authorise(
    granted_by: User,
    principal: User,
    agent: User,
    *,
    matter_codes: list[str] | None = None,
    consent: bool = True,
) -> Mandate:
    """A mandate for `agent`, named by their real name and ID number as the page asks."""
    return mandates.mandate_grant(
        granted_by=granted_by,
        principal=principal,
        agent_name=agent.real_name,
        agent_id_number=str(agent.id_number),
        matter_codes=matter_codes or [],
        consent=consent,
        now=NOW,
    )


def page_of(client: Client, user: User, url: str) -> Any:
    sign_in(client, user)
    return client.get(url)


def test_a_registration_with_a_wrong_or_taken_credit_code_is_refused_and_stores_nothing(
    world: dict[str, Any], company: User
) -> None:
    with pytest.raises(DomainError) as wrong:
        mandates.company_register(
            representative=world["other_citizen"], uscc="91350100M000100Y44", name="某公司", now=NOW
        )
    with pytest.raises(DomainError) as taken:
        mandates.company_register(
            representative=world["other_citizen"], uscc=COMPANY_USCC, name="某公司", now=NOW
        )

    assert "校验位" in wrong.value.errors["uscc"][0]
    assert "已由其他账户登记" in taken.value.errors["uscc"][0]
    assert User.objects.filter(uscc__isnull=False).count() == 1


def test_an_agent_is_found_only_by_matching_name_and_id_number(
    world: dict[str, Any], company: User
) -> None:
    other = world["other_citizen"]
    with pytest.raises(DomainError) as wrong_name:
        mandates.mandate_grant(
            granted_by=world["applicant"],
            principal=company,
            agent_name="别人",
            agent_id_number=other.id_number,
            matter_codes=[],
            consent=True,
            now=NOW,
        )

    assert "未找到姓名与公民身份号码一致的实名用户" in wrong_name.value.message
    assert not Mandate.objects.exists()


def test_only_the_representative_authorises_and_consent_is_required(
    world: dict[str, Any], company: User
) -> None:
    elder = world["elder_applicant"]
    with pytest.raises(DomainError, match="只有法定代表人"):
        authorise(world["other_citizen"], company, elder)
    with pytest.raises(DomainError, match="授权声明"):
        authorise(world["applicant"], company, elder, consent=False)
    assert not Mandate.objects.exists()


def test_the_agent_applies_for_the_company_and_the_case_says_for_whom(
    world: dict[str, Any], company: User, agent_mandate: Mandate, client: Client
) -> None:
    agent = world["other_citizen"]
    food = world["workflow_catalogue"]["food"]
    start = page_of(client, agent, f"/matters/{food.implementation_code}/apply/")
    assert "好味餐饮有限公司" in visible_text(start)

    response = client.post(
        f"/matters/{food.implementation_code}/apply/", {"on_behalf": str(company.pk)}
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert (application.applicant, application.filed_by) == (company, agent)
    assert application.applicant_id_number == COMPANY_USCC
    assert application.applicant_mobile == agent.mobile
    assert agent_mandate.consent_text.startswith("本人作为法定代表人")


def test_a_proxy_applies_for_a_citizen_who_consented_and_both_follow_the_case(
    world: dict[str, Any], client: Client
) -> None:
    principal, proxy = world["elder_applicant"], world["other_citizen"]
    authorise(principal, principal, proxy)
    food = world["workflow_catalogue"]["food"]
    draft = services.application_draft_create(
        applicant=principal, filed_by=proxy, matter_id=food.pk, now=NOW
    )

    proxy_list = visible_text(page_of(client, proxy, "/my/applications/"))
    principal_page = page_of(Client(), principal, f"/applications/{draft.pk}/")

    assert draft.applicant_id_number == principal.id_number
    assert "食品经营许可" in proxy_list
    assert principal_page.status_code == 302  # a draft opens its first step, for either of them


def test_a_third_person_gets_not_found(
    world: dict[str, Any], company: User, agent_mandate: Mandate, client: Client
) -> None:
    food = world["workflow_catalogue"]["food"]
    draft = services.application_draft_create(
        applicant=company, filed_by=world["other_citizen"], matter_id=food.pk, now=NOW
    )

    response = page_of(client, world["elder_applicant"], f"/applications/{draft.pk}/")

    assert response.status_code == 404


def test_revoking_cuts_access_at_once_and_blocks_submission(
    world: dict[str, Any], company: User, agent_mandate: Mandate
) -> None:
    agent = world["other_citizen"]
    food = world["workflow_catalogue"]["food"]
    draft = services.application_draft_create(
        applicant=company, filed_by=agent, matter_id=food.pk, now=NOW
    )

    mandates.mandate_revoke(user=world["applicant"], mandate_id=agent_mandate.pk, now=LATER)

    with pytest.raises(Application.DoesNotExist):
        services.application_submit(user=agent, application_id=draft.pk, now=LATER)
    assert Application.objects.get(pk=draft.pk).status == "DRAFT"
    assert Mandate.objects.get().revoked_by == world["applicant"]


def test_a_mandate_for_chosen_matters_does_not_reach_others(
    world: dict[str, Any], company: User
) -> None:
    other = world["other_citizen"]
    elder_matter = world["workflow_catalogue"]["elder"]
    authorise(world["applicant"], company, other, matter_codes=[elder_matter.implementation_code])
    food = world["workflow_catalogue"]["food"]

    with pytest.raises(DomainError, match="没有代该申请人办理此事项的授权"):
        services.application_draft_create(
            applicant=company, filed_by=other, matter_id=food.pk, now=NOW
        )
    assert mandates.principals_for(agent=other, matter_code=food.implementation_code) == []


def test_the_pages_register_a_company_and_authorise_an_agent(
    world: dict[str, Any], client: Client
) -> None:
    sign_in(client, world["applicant"])
    other = world["other_citizen"]

    client.post(
        "/my/companies/register/",
        {"uscc": COMPANY_USCC.lower(), "name": "好味餐饮有限公司", "declaration": "on"},
    )
    company = User.objects.get(uscc=COMPANY_USCC)
    refused = client.post(
        f"/my/companies/{company.pk}/agents/add/",
        {"name": other.real_name, "id_number": other.id_number},
    )
    granted = client.post(
        f"/my/companies/{company.pk}/agents/add/",
        {"name": other.real_name, "id_number": other.id_number, "consent": "on"},
        follow=True,
    )

    assert refused.status_code == 400
    assert "请阅读并确认授权声明" in visible_text(refused)
    assert "授权已生效" in visible_text(granted)
    assert "赵*" in visible_text(granted) or other.real_name in visible_text(granted)
    assert Mandate.objects.get().agent == other


def test_the_proxy_hears_what_the_principal_hears(world: dict[str, Any]) -> None:
    from notifications.models import Notification
    from tests.applications.conftest import GOOD_ANSWERS, pdf

    principal, proxy = world["applicant"], world["other_citizen"]
    authorise(principal, principal, proxy)
    food = world["workflow_catalogue"]["food"]
    draft = services.application_draft_create(
        applicant=principal, filed_by=proxy, matter_id=food.pk, now=NOW
    )
    services.application_draft_update(
        user=proxy,
        application_id=draft.pk,
        now=NOW,
        situation={"Q1": "Q1A"},
        answers={**GOOD_ANSWERS, "agent_name": proxy.real_name},
        delivery_method="ELECTRONIC",
    )
    for key in ("M01", "M02"):
        services.application_material_upload(
            user=proxy, application_id=draft.pk, material_key=key, file=pdf(), now=NOW
        )
    for key, source in (("M04", "DEFICIENCY"), ("M05", "COMMITMENT")):
        services.application_material_choose(
            user=proxy, application_id=draft.pk, material_key=key, source=source, now=NOW
        )

    services.application_submit(user=proxy, application_id=draft.pk, now=NOW)

    inboxes = set(
        Notification.objects.filter(channel="INBOX").values_list("recipient__username", flat=True)
    )
    assert inboxes == {principal.username, proxy.username}
