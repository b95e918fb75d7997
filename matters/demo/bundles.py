"""The demo 一件事 (DOMAIN §4.2): three bundles made of matters of the demo catalogue, found by
name. 开办餐饮店 and 开办运输企业 are national key items; 新生儿出生 is a common local one."""

from dataclasses import dataclass

from django.db import transaction

from matters.choices import Audience, BundleOrder, MatterStatus
from matters.models import Bundle, BundleItem, Department, Matter


@dataclass(frozen=True)
class DemoBundle:
    code: str
    name: str
    summary: str
    audience: str
    order_mode: str
    matters: tuple[str, ...]  # names of current versions; the first leads
    prerequisites: dict[str, tuple[str, ...]]


DEMO_BUNDLES = (
    DemoBundle(
        "kaiban-canyindian",
        "开办餐饮店",
        "个体工商户登记、食品经营许可、户外招牌设置，一次申请。先办营业执照，其余两项在执照核准后自动提交。",
        Audience.PERSON,
        BundleOrder.DEPENDENCIES,
        ("个体工商户设立登记", "食品经营许可", "户外广告设置许可"),
        {"食品经营许可": ("个体工商户设立登记",), "户外广告设置许可": ("个体工商户设立登记",)},
    ),
    DemoBundle(
        "xinshenger-chusheng",
        "新生儿出生一件事",
        "出生医学证明、户口登记、医保参保，一次申请，卫生健康、公安、医保部门同时办理。",
        Audience.PERSON,
        BundleOrder.PARALLEL,
        ("出生医学证明办理", "出生登记", "基本医疗保险参保登记"),
        {},
    ),
    DemoBundle(
        "qiye-kaiban",
        "企业开办一件事",
        "企业设立登记后，公章刻制备案、社会保险登记、住房公积金缴存登记自动提交。",
        Audience.LEGAL,
        BundleOrder.DEPENDENCIES,
        ("企业设立登记", "公章刻制备案", "社会保险登记", "单位住房公积金缴存登记"),
        {
            "公章刻制备案": ("企业设立登记",),
            "社会保险登记": ("企业设立登记",),
            "单位住房公积金缴存登记": ("企业设立登记",),
        },
    ),
)


def _matter(name: str) -> Matter | None:
    return (
        Matter.objects.filter(status=MatterStatus.IN_USE, current_version__name=name)
        .select_related("department")
        .order_by("pk")
        .first()
    )


@transaction.atomic
def demo_bundles_load() -> list[Department]:
    """Create the demo bundles that are missing; return the departments their matters belong to."""
    departments: dict[int, Department] = {}
    for spec in DEMO_BUNDLES:
        matters = {name: _matter(name) for name in spec.matters}
        found = {name: m for name, m in matters.items() if m is not None}
        for matter in found.values():
            departments[matter.department_id] = matter.department
        if len(found) < 2 or Bundle.objects.filter(code=spec.code).exists():
            continue
        bundle = Bundle.objects.create(
            code=spec.code,
            name=spec.name,
            summary=spec.summary,
            audience=spec.audience,
            lead_department=found[spec.matters[0]].department
            if spec.matters[0] in found
            else next(iter(found.values())).department,
            order_mode=spec.order_mode,
            is_published=True,
            order=DEMO_BUNDLES.index(spec),
        )
        items = {
            name: BundleItem.objects.create(bundle=bundle, matter=matter, order=n)
            for n, (name, matter) in enumerate(found.items(), start=1)
        }
        for name, before in spec.prerequisites.items():
            if name in items:
                items[name].depends_on.add(*(items[b] for b in before if b in items))
    return list(departments.values())
