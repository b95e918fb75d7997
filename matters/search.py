"""Chinese search over the published catalogue, the same on PostgreSQL and SQLite.

Neither database tokenises Chinese usefully (PostgreSQL's parsers treat a run of Hanzi as one token,
and pg_trgm degrades on 1–2 character queries: PERFORMANCE.md §2), and the catalogue is small and
changes rarely. So each process keeps an in-memory n-gram index of the visible matters:

* documents are numbered in static rank order (popularity, then shorter names), so every posting list
  is sorted by rank and "best first" is just "lowest number first";
* each field tier has its own postings: the name, aliases and keywords, pinyin of both (full and
  initials, for "laonian" or "lnr"), the department's names, and guide text (summary, result, materials);
* a query is normalised, expanded with the admin-edited synonyms (开饭店 → 餐饮 / 食品经营), and matched
  by intersecting the postings of its bigrams (or its single character), then verified as a substring;
  filler words are dropped too (我要办理…), and if nothing matches, characters are matched in order.

The index is rebuilt when the catalogue's fingerprint (latest change of matters, versions, departments
and synonyms) changes; a process looks at most once per SEARCH_GENERATION_CHECK_SECONDS.
"""

from __future__ import annotations

import heapq
import re
import threading
import time
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Max

from pypinyin import Style, lazy_pinyin

from matters.choices import Audience, VersionStatus
from matters.models import Department, Matter, MatterVersion, Synonym

# Field tiers, best first. A document is ranked by the best tier it matched in.
TIER_EXACT, TIER_NAME, TIER_ALIAS, TIER_PINYIN, TIER_DEPARTMENT, TIER_TEXT = range(6)
INDEXED_TIERS = (TIER_NAME, TIER_ALIAS, TIER_PINYIN, TIER_TEXT)
FILLER_WORDS = (
    "我要",
    "我想",
    "怎么",
    "如何",
    "在哪",
    "哪里",
    "需要",
    "办理",
    "申请",
    "申领",
    "手续",
    "流程",
    "的",
)
_KEEP = re.compile(r"[\w]+")  # letters, digits and Hanzi; punctuation and spaces split


def normalise(text: str) -> str:
    """Fold width and case, drop punctuation and spaces: "ＬａoNian，证" → "laonian证"."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(_KEEP.findall(folded)).replace("_", "")


def grams(text: str) -> set[str]:
    """Unigrams and bigrams of a normalised text."""
    return set(text) | {text[i : i + 2] for i in range(len(text) - 1)}


def pinyin_forms(text: str) -> str:
    """Full pinyin and initials of the Hanzi in `text`, e.g. 老年证 → "laonianzheng lnz"."""
    syllables = [s for s in lazy_pinyin(text, errors="ignore") if s.isascii()]
    initials = [
        s[0]
        for s in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
        if s.isascii() and s
    ]
    return f"{''.join(syllables)} {''.join(initials)}"


@dataclass(frozen=True)
class IndexedMatter:
    """What the index keeps of one visible matter: enough to filter without the database."""

    matter_id: int
    implementation_code: str
    department_id: int
    region_id: int
    topic_ids: frozenset[int]
    life_event_ids: frozenset[int]
    for_person: bool
    for_legal: bool
    name: str
    texts: tuple[str, ...]  # normalised: name, aliases, pinyin, department, guide text (by tier)


@dataclass
class SearchIndex:
    fingerprint: tuple[object, ...]
    documents: list[IndexedMatter] = field(default_factory=list)
    postings: dict[int, dict[str, array[int]]] = field(default_factory=dict)
    exact: dict[str, list[int]] = field(default_factory=dict)
    department_postings: dict[str, array[int]] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    # Document numbers per filter value, so filters are set intersections, not per-document checks.
    by_topic: dict[int, set[int]] = field(default_factory=dict)
    by_life_event: dict[int, set[int]] = field(default_factory=dict)
    by_department: dict[int, set[int]] = field(default_factory=dict)
    by_region: dict[int, set[int]] = field(default_factory=dict)
    for_person: set[int] = field(default_factory=set)
    for_legal: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class SearchFilters:
    topic_id: int | None = None
    life_event_id: int | None = None
    department_id: int | None = None
    region_id: int | None = None
    audience: str | None = None

    def allowed(self, index: SearchIndex) -> set[int] | None:
        """The document numbers these filters let through; None when nothing is filtered."""
        sets: list[set[int]] = []
        for value, table in (
            (self.topic_id, index.by_topic),
            (self.life_event_id, index.by_life_event),
            (self.department_id, index.by_department),
            (self.region_id, index.by_region),
        ):
            if value is not None:
                sets.append(table.get(value, set()))
        if self.audience == Audience.PERSON:
            sets.append(index.for_person)
        elif self.audience == Audience.LEGAL:
            sets.append(index.for_legal)
        if not sets:
            return None
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])


@dataclass(frozen=True)
class SearchResult:
    """Matter ids in relevance order, and which tier each matched in (for highlighting and tests)."""

    matter_ids: list[int]
    total: int
    tiers: dict[int, int]


def catalogue_fingerprint() -> tuple[object, ...]:
    """One query that changes whenever anything the index shows changes."""
    matters = Matter.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    return (
        matters["changed"],
        matters["count"],
        MatterVersion.objects.filter(status=VersionStatus.PUBLISHED).aggregate(m=Max("updated_at"))[
            "m"
        ],
        Department.objects.aggregate(m=Max("updated_at"))["m"],
        tuple(Synonym.objects.aggregate(m=Max("updated_at"), c=Count("pk")).values()),
    )


def build_index(fingerprint: tuple[object, ...] | None = None) -> SearchIndex:
    """Read the visible catalogue and build a fresh index."""
    fingerprint = fingerprint if fingerprint is not None else catalogue_fingerprint()
    departments = {d.pk: d for d in Department.objects.only("pk", "name", "short_name")}
    versions = (
        MatterVersion.objects.filter(
            matter__status="IN_USE", matter__current_version=F("pk"), status=VersionStatus.PUBLISHED
        )
        .select_related("matter")
        .prefetch_related("topics", "life_events", "materials")
        .only(
            "pk", "name", "short_name", "aliases", "summary", "result_name", "for_person", "for_legal",
            "matter__id", "matter__implementation_code", "matter__department_id", "matter__region_id",
            "matter__popularity",
        )
    )  # fmt: skip
    ranked = sorted(
        versions, key=lambda v: (-v.matter.popularity, len(v.name), v.matter.implementation_code)
    )
    index = SearchIndex(fingerprint=fingerprint)
    tier_postings: dict[int, dict[str, list[int]]] = {tier: {} for tier in INDEXED_TIERS}
    for number, version in enumerate(ranked):
        department = departments[version.matter.department_id]
        name = normalise(version.name)
        aliases = " ".join(normalise(a) for a in [version.short_name, *version.aliases] if a)
        pinyin = pinyin_forms(version.name + "".join(version.aliases))
        text = " ".join(
            normalise(t)
            for t in [
                version.summary,
                version.result_name,
                *(m.name for m in version.materials.all()),
            ]
            if t
        )
        doc = IndexedMatter(
            matter_id=version.matter.pk,
            implementation_code=version.matter.implementation_code,
            department_id=department.pk,
            region_id=version.matter.region_id,
            topic_ids=frozenset(t.pk for t in version.topics.all()),
            life_event_ids=frozenset(e.pk for e in version.life_events.all()),
            for_person=version.for_person,
            for_legal=version.for_legal,
            name=version.name,
            texts=(name, aliases, pinyin, normalise(department.name + department.short_name), text),
        )
        index.documents.append(doc)
        # A query that is a matter's whole name, or one of its aliases, ranks that matter first.
        for whole in {name, *(normalise(a) for a in [version.short_name, *version.aliases] if a)}:
            index.exact.setdefault(whole, []).append(number)
        for tier, value in (
            (TIER_NAME, name),
            (TIER_ALIAS, aliases),
            (TIER_PINYIN, pinyin),
            (TIER_TEXT, text),
        ):
            for gram in _document_grams(value):
                tier_postings[tier].setdefault(gram, []).append(number)
    index.postings = {
        tier: {gram: array("i", numbers) for gram, numbers in postings.items()}
        for tier, postings in tier_postings.items()
    }
    by_department: dict[int, list[int]] = {}
    for number, doc in enumerate(index.documents):
        by_department.setdefault(doc.department_id, []).append(number)
    department_postings: dict[str, list[int]] = {}
    for department in departments.values():
        numbers = by_department.get(department.pk, [])
        for gram in _document_grams(normalise(department.name + " " + department.short_name)):
            department_postings.setdefault(gram, []).extend(numbers)
    index.department_postings = {
        gram: array("i", sorted(numbers)) for gram, numbers in department_postings.items()
    }
    for number, doc in enumerate(index.documents):
        for topic_id in doc.topic_ids:
            index.by_topic.setdefault(topic_id, set()).add(number)
        for event_id in doc.life_event_ids:
            index.by_life_event.setdefault(event_id, set()).add(number)
        index.by_department.setdefault(doc.department_id, set()).add(number)
        index.by_region.setdefault(doc.region_id, set()).add(number)
        if doc.for_person:
            index.for_person.add(number)
        if doc.for_legal:
            index.for_legal.add(number)
    index.synonyms = {
        normalise(s.term): [normalise(e) for e in s.expansions] for s in Synonym.objects.all()
    }
    return index


def _document_grams(value: str) -> set[str]:
    out: set[str] = set()
    for word in value.split():
        out |= grams(word)
    return out


def _grams_of(query: str) -> set[str]:
    return {query} if len(query) == 1 else {query[i : i + 2] for i in range(len(query) - 1)}


def _candidates(postings: dict[str, array[int]], keys: Iterable[str]) -> set[int]:
    """Documents whose postings hold every key (a superset: verify substrings after)."""
    lists = []
    for key in keys:
        found = postings.get(key)
        if found is None:
            return set()
        lists.append(found)
    if not lists:
        return set()
    lists.sort(key=len)
    result = set(lists[0])
    for other in lists[1:]:
        result.intersection_update(other)
        if not result:
            break
    return result


def _subsequence(query: str, text: str) -> bool:
    chars = iter(text)
    return all(char in chars for char in query)


class _Matcher:
    """Collects, per tier, the documents that match; a document counts in its best tier only."""

    def __init__(self, index: SearchIndex, allowed: set[int] | None) -> None:
        self.index = index
        self.allowed = allowed
        self.tiers: dict[int, set[int]] = {}

    def _add(self, tier: int, numbers: set[int]) -> None:
        if self.allowed is not None:
            numbers &= self.allowed
        if numbers:
            self.tiers.setdefault(tier, set()).update(numbers)

    def _verified(self, numbers: set[int], query: str, position: int) -> set[int]:
        if len(query) <= 2:  # the postings of a 1–2 character query are exact
            return numbers
        documents = self.index.documents
        return {n for n in numbers if query in documents[n].texts[position]}

    def substring(self, query: str) -> None:
        """Strict stage: `query` occurs as written in a field."""
        index = self.index
        self._add(TIER_EXACT, set(index.exact.get(query, ())))
        keys = _grams_of(query)
        for tier, position in ((TIER_NAME, 0), (TIER_ALIAS, 1), (TIER_PINYIN, 2), (TIER_TEXT, 4)):
            if tier == TIER_PINYIN and not query.isascii():
                continue
            self._add(
                tier, self._verified(_candidates(index.postings[tier], keys), query, position)
            )
        self._add(
            TIER_DEPARTMENT, self._verified(_candidates(index.department_postings, keys), query, 3)
        )

    def in_order(self, query: str) -> None:
        """Loose stage: every character of `query` occurs, in order, in the name or aliases."""
        documents = self.index.documents
        for tier, position in ((TIER_NAME, 0), (TIER_ALIAS, 1)):
            numbers = _candidates(self.index.postings[tier], set(query))
            self._add(
                tier + 1, {n for n in numbers if _subsequence(query, documents[n].texts[position])}
            )

    def ranked(self, offset: int, limit: int | None) -> tuple[list[tuple[int, int]], int]:
        """(document number, tier) of one page in rank order, and the total number matched."""
        seen: set[int] = set()
        page: list[tuple[int, int]] = []
        wanted = None if limit is None else offset + limit
        for tier in sorted(self.tiers):
            fresh = self.tiers[tier] - seen
            seen |= fresh
            if wanted is None:
                page.extend((n, tier) for n in sorted(fresh))
            elif len(page) < wanted:
                page.extend((n, tier) for n in heapq.nsmallest(wanted - len(page), fresh))
        return page[offset:wanted], len(seen)

    @property
    def empty(self) -> bool:
        return not self.tiers


def _variants(query: str, synonyms: dict[str, list[str]]) -> list[str]:
    variants = [query]
    for term, expansions in synonyms.items():
        if term and term in query:
            variants.extend(query.replace(term, expansion) for expansion in expansions)
            variants.extend(expansions)
    return list(dict.fromkeys(v for v in variants if v))


def strip_filler(query: str) -> str:
    for word in FILLER_WORDS:
        query = query.replace(word, "")
    return query


def search(
    query: str, *, filters: SearchFilters | None = None, offset: int = 0, limit: int | None = None
) -> SearchResult:
    """Return one page of the visible matters matching `query`, most relevant first, and the total."""
    index = current_index()
    text = normalise(query)
    matcher = _Matcher(index, (filters or SearchFilters()).allowed(index))
    if text:
        stripped = strip_filler(text)  # 我要办理营业执照 means 营业执照
        variants = _variants(text, index.synonyms)
        if stripped and stripped != text:
            variants += _variants(stripped, index.synonyms)
        for variant in dict.fromkeys(variants):
            matcher.substring(variant)
        if matcher.empty and len(stripped or text) >= 2:
            matcher.in_order(stripped or text)
    page, total = matcher.ranked(offset, limit)
    documents = index.documents
    return SearchResult(
        matter_ids=[documents[number].matter_id for number, _tier in page],
        total=total,
        tiers={documents[number].matter_id: tier for number, tier in page},
    )


def suggest(query: str, *, limit: int = 8) -> list[tuple[str, str]]:
    """(implementation code, name) of the best few matches, for the search box."""
    result = search(query, limit=limit)
    by_id = {doc.matter_id: doc for doc in current_index().documents}
    return [(by_id[i].implementation_code, by_id[i].name) for i in result.matter_ids]


# --- the per-process index and its freshness ---------------------------------------------------------

_lock = threading.Lock()
_state: dict[str, object] = {"index": None, "checked_at": 0.0}


def current_index() -> SearchIndex:
    """The process's index, rebuilt if the catalogue changed since it was built."""
    now = time.monotonic()
    index = _state["index"]
    interval = float(settings.SEARCH_GENERATION_CHECK_SECONDS)
    if isinstance(index, SearchIndex) and now - float(str(_state["checked_at"])) < interval:
        return index
    with _lock:
        fingerprint = catalogue_fingerprint()
        index = _state["index"]
        if not isinstance(index, SearchIndex) or index.fingerprint != fingerprint:
            index = build_index(fingerprint)
            _state["index"] = index
        _state["checked_at"] = time.monotonic()
        return index


def catalogue_changed() -> None:
    """Make this process look at the catalogue again on its next search (others follow within
    SEARCH_GENERATION_CHECK_SECONDS, through the fingerprint)."""
    _state["checked_at"] = float("-inf")


def ranked_ids(ids: Sequence[int]) -> dict[int, int]:
    """Position of each id, for ordering a queryset by a search result."""
    return {matter_id: position for position, matter_id in enumerate(ids)}
