"""Acting for others (ADR 0006): companies (法人) registered by their legal representative, the
经办人 a company authorises, and proxies (代办) a citizen consents to. Write use cases and the
reads that answer "who may this person act for"."""

from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import MandateKind, UserKind
from accounts.models import Mandate, User
from accounts.services import normalise_citizen_id
from core.crypto import blind_index
from core.errors import DomainError
from core.identifiers import normalise_uscc

COMPANY_CONSENT = gettext_lazy(
    "本人作为法定代表人，授权上述人员以本单位名义在通办办理所选事项，"
    "并对其在授权范围内的申报行为负责。授权可随时撤销。"
)
PROXY_CONSENT = gettext_lazy(
    "本人同意上述人员代本人在通办办理所选事项，可查看这些办件的进度和结果，"
    "并知悉其提交的材料视为本人提交。授权可随时撤销。"
)


def companies_represented_by(user: User) -> list[User]:
    """Companies whose legal representative `user` is."""
    return list(
        User.objects.filter(
            kind=UserKind.LEGAL_PERSON, legal_representative=user, is_active=True
        ).order_by("real_name")
    )


def mandates_held_by(user: User) -> list[Mandate]:
    """Active authorisations to act for someone else (companies and people)."""
    return list(
        Mandate.objects.active()
        .filter(agent=user)
        .select_related("principal")
        .order_by("-granted_at")
    )


def mandates_given_by(user: User) -> list[Mandate]:
    """Active authorisations `user` gave, or gave for a company they represent."""
    return list(
        Mandate.objects.active()
        .filter(Q(principal=user) | Q(principal__legal_representative=user))
        .select_related("principal", "agent")
        .order_by("-granted_at")
    )


def may_act_for(*, agent: User, principal: User, matter_code: str) -> bool:
    """Whether `agent` may file or follow `principal`'s cases of this matter right now."""
    if agent.pk == principal.pk:
        return True
    if principal.kind == UserKind.LEGAL_PERSON and principal.legal_representative_id == agent.pk:
        return True
    return any(
        m.covers(matter_code)
        for m in Mandate.objects.active().filter(principal=principal, agent=agent)
    )


def principals_for(*, agent: User, matter_code: str | None = None) -> list[User]:
    """Everyone `agent` may apply for (companies first), restricted to the matter if given."""
    people: dict[int, User] = {c.pk: c for c in companies_represented_by(agent)}
    for mandate in mandates_held_by(agent):
        if matter_code is None or mandate.covers(matter_code):
            people.setdefault(mandate.principal_id, mandate.principal)
    return sorted(people.values(), key=lambda u: (u.kind != UserKind.LEGAL_PERSON, u.real_name))


@transaction.atomic
def company_register(*, representative: User, uscc: str, name: str, now: datetime) -> User:
    """Register a company with `representative` as its legal representative.

    Verification against the market-regulation register is an adapter still to write; today the
    declaration is recorded, as at a counter.

    :raises DomainError: invalid or taken USCC, missing name (`errors` names the fields).
    """
    errors: dict[str, list[str]] = {}
    if representative.kind != UserKind.CITIZEN or not representative.id_number:
        raise DomainError(_("请使用实名认证的个人账户登记企业。"))
    try:
        code = normalise_uscc(uscc)
    except ValueError:
        errors["uscc"] = [_("统一社会信用代码应为18位，且校验位正确，请核对营业执照。")]
    else:
        if User.objects.filter(uscc=code).exists():
            errors["uscc"] = [_("该统一社会信用代码已由其他账户登记，如有疑问请联系12345。")]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请输入单位名称，与营业执照一致。")]
    elif len(name) > 64:
        errors["name"] = [_("单位名称不能超过64个字。")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    try:
        with transaction.atomic():
            return User.objects.create(
                username=code,
                password=make_password(None),  # nobody signs in as the company
                kind=UserKind.LEGAL_PERSON,
                uscc=code,
                real_name=name,
                legal_representative=representative,
            )
    except IntegrityError:
        taken = _("该统一社会信用代码已由其他账户登记，如有疑问请联系12345。")
        raise DomainError(taken, errors={"uscc": [taken]}) from None


def _citizen_named(name: str, id_number: str) -> User:
    not_found = _("未找到姓名与公民身份号码一致的实名用户，请对方先在通办实名注册。")
    try:
        number = normalise_citizen_id(id_number)
    except ValueError:
        raise DomainError(not_found, errors={"id_number": [not_found]}) from None
    agent = User.objects.filter(
        kind=UserKind.CITIZEN,
        id_number_index=blind_index(number, kind="id_number"),
        real_name=name.strip(),
        is_active=True,
    ).first()
    if agent is None:
        raise DomainError(not_found, errors={"id_number": [not_found]})
    return agent


@transaction.atomic
def mandate_grant(
    *,
    granted_by: User,
    principal: User,
    agent_name: str,
    agent_id_number: str,
    matter_codes: list[str],
    consent: bool,
    now: datetime,
) -> Mandate:
    """Authorise a person to act for `principal`: a company (granted by its representative) or
    `granted_by` themselves. Empty `matter_codes` means all matters.

    :raises DomainError: not the principal's to grant, no consent, unknown agent, self, or an
        authorisation already active for that person.
    """
    if principal.kind == UserKind.LEGAL_PERSON:
        if principal.legal_representative_id != granted_by.pk:
            raise DomainError(_("只有法定代表人可以为本单位授权经办人。"))
        kind, statement = MandateKind.COMPANY_AGENT, COMPANY_CONSENT
    elif principal.pk == granted_by.pk and principal.kind == UserKind.CITIZEN:
        kind, statement = MandateKind.PROXY, PROXY_CONSENT
    else:
        raise DomainError(_("您不能为该账户授权。"))
    if not consent:
        message = _("请阅读并确认授权声明。")
        raise DomainError(message, errors={"consent": [message]})
    agent = _citizen_named(agent_name, agent_id_number)
    if agent.pk in (principal.pk, granted_by.pk):
        message = _("不能授权给自己。")
        raise DomainError(message, errors={"id_number": [message]})
    try:
        with transaction.atomic():
            return Mandate.objects.create(
                kind=kind,
                principal=principal,
                agent=agent,
                all_matters=not matter_codes,
                matter_codes=sorted(set(matter_codes)),
                consent_text=str(statement),
                granted_by=granted_by,
                granted_at=now,
            )
    except IntegrityError:
        message = _("已授权该人员，如需调整事项范围，请先撤销原授权。")
        raise DomainError(message, errors={"id_number": [message]}) from None


@transaction.atomic
def mandate_revoke(*, user: User, mandate_id: int, now: datetime) -> Mandate:
    """End an authorisation: by the principal (or the company's representative) or by the agent,
    who renounces it. Access through it ends at once.

    :raises Mandate.DoesNotExist: if it is not the user's to end (404).
    """
    mandate = (
        Mandate.objects.select_for_update(of=("self",))
        .select_related("principal")
        .filter(Q(principal=user) | Q(agent=user) | Q(principal__legal_representative=user))
        .get(pk=mandate_id)
    )
    if mandate.revoked_at is None:
        mandate.revoked_at = now
        mandate.revoked_by = user
        mandate.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    return mandate
