"""The result of an approved case: the e-certificate is asked for in the approving transaction, and
its issue delivers the case (the signal comes up from the certificate library, STYLE R8)."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import UserKind
from applications.choices import DeliveryMethod, EventKind, Status
from applications.events import event_record
from applications.models import Application
from applications.services.common import deliver
from certificates.choices import HolderCodeType
from certificates.models import Certificate
from certificates.services import Holder, certificate_request


def result_certificate_request(application: Application, *, now: datetime) -> Certificate | None:
    """Ask for the matter's e-certificate (a PENDING row, the outbox) when the case is approved;
    None when the matter's result is not an e-certificate."""
    version = application.version
    if not (version.result_is_electronic and version.result_certificate_type):
        return None
    answers = {
        str(k): str(v) for k, v in (application.answers or {}).items() if v not in (None, "")
    }
    return certificate_request(
        type_code=version.result_certificate_type,
        holder=Holder(
            name=application.applicant_name,
            code=application.applicant_id_number,
            code_type=(
                HolderCodeType.USCC
                if application.applicant and application.applicant.kind == UserKind.LEGAL_PERSON
                else HolderCodeType.RESIDENT_ID
            ),
            user=application.applicant,
        ),
        data={**answers, "matter_name": version.name, "reference": application.reference or ""},
        source_ref=application.reference or "",
        issuer=application.department,
        now=now,
    )


@transaction.atomic
def application_certificate_issued(
    *, reference: str, certificate_id: int, now: datetime
) -> Application | None:
    """Record that the case's certificate is in the holder's wallet. A case the applicant asked to
    receive electronically is delivered (送达) and complete; one to be collected or mailed waits
    for the clerk. A case no longer approved (voided meanwhile) is left alone."""
    application = (
        Application.objects.select_for_update(of=("self",)).filter(reference=reference).first()
    )
    if application is None or application.status != Status.APPROVED:
        return None
    certificate = Certificate.objects.select_related("type").get(pk=certificate_id)
    data = {"certificate_id": certificate.pk, "number": certificate.number}
    # Electronic delivery means the certificate is in the applicant's wallet: only with an account.
    in_wallet = certificate.holder_user_id is not None
    if in_wallet and application.delivery_method in ("", DeliveryMethod.ELECTRONIC):
        deliver(
            application,
            actor=None,
            role="",
            method=DeliveryMethod.ELECTRONIC,
            note=_("电子证照“%(name)s”已签发，放入申请人的证照夹，电子送达。")
            % {"name": certificate.type.name},
            data=data,
            now=now,
        )
    else:
        event_record(
            application=application,
            kind=EventKind.CERTIFICATE_ISSUED,
            actor=None,
            at=now,
            from_status=application.status,
            step_name=_("制证"),
            note=(
                _("电子证照“%(name)s”已签发；纸质证照按申请人选择的方式送达。")
                if in_wallet
                else _("电子证照“%(name)s”已签发；申请人没有通办账号，请打印证照或当面送达。")
            )
            % {"name": certificate.type.name},
            data=data,
        )
    return application
