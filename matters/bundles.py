"""一件事一次办 (DOMAIN §4.2) in the catalogue: what a bundle asks for, and whether it can be offered.

A bundle is data: the matters it joins, each one's prerequisites, and how they run. From the
current published versions of its matters it derives

* one form (一表申请): the form fields of every matter, a field key asked once (the first matter's
  label and rules are shown; every matter still checks the answer by its own rules at submission);
* one set of materials (一套材料): the materials of every matter, a material name uploaded once and
  filed with each matter that asks for it;
* its promised time: the longest chain of promised working days through the prerequisites.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from matters.choices import Audience, BundleOrder, MatterStatus
from matters.models import Bundle, BundleItem, FormField, Material, MatterVersion
from matters.selectors import matter_guide_for_version


@dataclass(frozen=True)
class Member:
    item: BundleItem
    version: MatterVersion
    prerequisites: tuple[int, ...]  # matter ids this one waits for

    @property
    def matter_id(self) -> int:
        return self.item.matter_id


@dataclass
class SharedMaterial:
    """One material of the bundle's set: a name, and the matters (and their keys) that ask for it."""

    slot: str
    name: str
    example: Material
    keys: dict[int, str] = field(default_factory=dict)  # matter id → material key


@dataclass
class SharedField:
    form_field: FormField
    matter_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class BundleGuide:
    bundle: Bundle
    members: list[Member]
    fields: list[SharedField]
    materials: list[SharedMaterial]
    promised_days: int | None

    @property
    def departments(self) -> list[str]:
        return list(dict.fromkeys(m.version.matter.department.name for m in self.members))


def bundles_for_public(*, audience: str | None = None) -> QuerySet[Bundle]:
    bundles = Bundle.objects.filter(is_published=True).select_related("lead_department")
    if audience in Audience.values:
        bundles = bundles.filter(audience=audience)
    return bundles.prefetch_related(
        Prefetch("items", queryset=BundleItem.objects.select_related("matter__current_version"))
    )


def _items(bundle: Bundle) -> list[BundleItem]:
    return list(
        bundle.items.select_related("matter").prefetch_related("depends_on").order_by("order", "pk")
    )


def _waits(bundle: Bundle, item: BundleItem) -> tuple[int, ...]:
    if bundle.order_mode != BundleOrder.DEPENDENCIES:
        return ()
    return tuple(d.matter_id for d in item.depends_on.all())


def bundle_prerequisites(bundle: Bundle) -> dict[int, tuple[int, ...]]:
    """Matter id → the matter ids it waits for (none when the bundle runs in parallel); two
    queries, without reading the guides."""
    return {item.matter_id: _waits(bundle, item) for item in _items(bundle)}


def _members(bundle: Bundle) -> list[Member]:
    members = []
    for item in _items(bundle):
        if item.matter.current_version_id is None:
            continue
        version = matter_guide_for_version(version_id=item.matter.current_version_id)
        members.append(Member(item=item, version=version, prerequisites=_waits(bundle, item)))
    return members


def _promised(members: list[Member]) -> int | None:
    """The longest chain of promised days through the prerequisites (parallel: the longest one)."""
    days = {m.matter_id: m.version.promised_limit for m in members}
    if any(d is None for d in days.values()):
        return None
    by_matter = {m.matter_id: m for m in members}
    memo: dict[int, int] = {}

    def finish(matter_id: int, seen: frozenset[int]) -> int:
        if matter_id in memo:
            return memo[matter_id]
        member = by_matter[matter_id]
        before = [finish(p, seen | {matter_id}) for p in member.prerequisites if p not in seen]
        memo[matter_id] = (days[matter_id] or 0) + max(before, default=0)
        return memo[matter_id]

    return max((finish(m, frozenset()) for m in by_matter), default=None)


def bundle_guide(bundle: Bundle) -> BundleGuide:
    """The bundle's matters with their current versions, its one form and its one set of materials."""
    members = _members(bundle)
    fields: dict[str, SharedField] = {}
    materials: dict[str, SharedMaterial] = {}
    for member in members:
        for form_field in sorted(member.version.form_fields.all(), key=lambda f: (f.order, f.pk)):
            shared = fields.setdefault(form_field.key, SharedField(form_field=form_field))
            shared.matter_ids.append(member.matter_id)
        for material in sorted(member.version.materials.all(), key=lambda m: (m.order, m.pk)):
            name = material.name.strip()
            if name not in materials:
                materials[name] = SharedMaterial(
                    slot=f"B{len(materials) + 1}", name=name, example=material
                )
            materials[name].keys[member.matter_id] = material.key
    return BundleGuide(
        bundle=bundle,
        members=members,
        fields=list(fields.values()),
        materials=list(materials.values()),
        promised_days=_promised(members),
    )


def bundle_problems(bundle: Bundle, items: list[BundleItem] | None = None) -> list[str]:
    """Why the bundle cannot be offered as it stands (empty when it can): every matter in use,
    online, for the bundle's audience; prerequisites inside the bundle and without a cycle."""
    items = items if items is not None else list(bundle.items.select_related("matter"))
    problems: list[str] = []
    if len(items) < 2:
        problems.append(_("一件事至少包含两个事项。"))
    for item in items:
        matter = item.matter
        version: MatterVersion | None = matter.current_version
        name = version.name if version else matter.implementation_code
        if matter.status != MatterStatus.IN_USE or version is None:
            problems.append(_("“%(name)s”未发布或已停用。") % {"name": name})
            continue
        if not version.is_online:
            problems.append(_("“%(name)s”不支持网上办理。") % {"name": name})
        serves = version.for_legal if bundle.audience == Audience.LEGAL else version.for_person
        if not serves:
            problems.append(
                _("“%(name)s”不面向%(audience)s办理。")
                % {"name": name, "audience": Audience(bundle.audience).label}
            )
    if bundle.order_mode == BundleOrder.DEPENDENCIES and bundle.pk is not None:
        graph = {item.pk: {d.pk for d in item.depends_on.all()} for item in items}
        if any(not deps <= graph.keys() for deps in graph.values()):
            problems.append(_("前置事项必须属于同一件事。"))
        if _has_cycle(graph):
            problems.append(_("前置关系不能循环。"))
    return problems


def _has_cycle(graph: dict[int, set[int]]) -> bool:
    state: dict[int, int] = {}  # 1 visiting, 2 done

    def visit(node: int) -> bool:
        if state.get(node) == 1:
            return True
        if state.get(node) == 2:
            return False
        state[node] = 1
        if any(visit(n) for n in graph.get(node, ()) if n in graph):
            return True
        state[node] = 2
        return False

    return any(visit(node) for node in graph)
