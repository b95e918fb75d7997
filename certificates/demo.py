"""Demo certificate types for `make run` and the signing keys of every department."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from certificates.choices import HolderKind
from certificates.models import CertificateType
from certificates.rendering import default_template
from certificates.services import signing_keys_ensure
from matters.demo import build_catalogue as catalogue
from matters.models import Department, MatterVersion


@dataclass(frozen=True)
class DemoType:
    code: str
    name: str
    prefix: str
    validity_years: int | None
    renewable: bool
    fields: tuple[tuple[str, str], ...] = ()


DEMO_TYPES = (
    DemoType(catalogue.CERT_INDIVIDUAL_BUSINESS, "营业执照（个体工商户）", "GT", None, False, (("address", "经营场所"),)),
    DemoType(catalogue.CERT_FOOD_BUSINESS, "食品经营许可证", "JY", 5, True, (("business_type", "经营项目"), ("premises_address", "经营场所"))),
    DemoType(catalogue.CERT_RESIDENCE_PERMIT, "广东省居住证", "JZ", 1, True, (("address", "居住地址"),)),
    DemoType(catalogue.CERT_DRIVING_LICENCE, "中华人民共和国机动车驾驶证", "JS", 6, True),
    DemoType(catalogue.CERT_MARRIAGE, "结婚证", "JH", None, False),
    DemoType(catalogue.CERT_SENIOR, "广东省老年人优待证", "YD", None, False, (("address", "住址"),)),
    DemoType(catalogue.CERT_PHYSICIAN, "医师执业证书", "YS", None, False),
    DemoType(catalogue.CERT_NURSE, "护士执业证书", "HS", 5, True),
    DemoType(catalogue.CERT_DISABILITY, "中华人民共和国残疾人证", "CJ", 10, True, (("address", "住址"),)),
    DemoType(catalogue.CERT_RIDE_HAILING_DRIVER, "网络预约出租汽车驾驶员证", "WY", 6, True),
)  # fmt: skip


def _issuing_department(code: str) -> Department | None:
    """The department of the first published version whose result is this type."""
    version = (
        MatterVersion.objects.filter(result_certificate_type=code)
        .select_related("matter__department")
        .order_by("pk")
        .first()
    )
    return version.matter.department if version is not None else None


@transaction.atomic
def demo_certificates_load(*, now: datetime) -> tuple[int, int]:
    """Create the demo certificate types that are missing and a signing key for every department.
    Returns (types made, keys made); running it again makes nothing."""
    html, css = default_template()
    made = 0
    for demo in DEMO_TYPES:
        if CertificateType.objects.filter(code=demo.code).exists():
            continue
        department = _issuing_department(demo.code)
        if department is None:
            continue
        CertificateType.objects.create(
            code=demo.code,
            name=demo.name,
            department=department,
            holder_kind=HolderKind.PERSON,
            number_prefix=demo.prefix,
            validity_years=demo.validity_years,
            renewable=demo.renewable,
            fields=[{"key": key, "label": label} for key, label in demo.fields],
            template_html=html,
            template_css=css,
        )
        made += 1
    keys = signing_keys_ensure(departments=list(Department.objects.order_by("pk")), now=now)
    return made, keys
