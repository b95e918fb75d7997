"""Chinese search over the published catalogue, the same on PostgreSQL and SQLite.

Neither database tokenises Chinese usefully (PostgreSQL's parsers treat a run of Hanzi as one token,
and pg_trgm degrades on 1–2 character queries: PERFORMANCE.md §2), and the catalogue is small and
changes rarely. So each process keeps an in-memory n-gram index of the visible matters (ADR 0004):

* documents are numbered in static rank order (popularity, then shorter names), so within a tier
  "best first" is "lowest number first";
* each field has its own postings (every character and every pair of adjacent characters → sorted
  document numbers, as numpy arrays): the name, the aliases, their pinyin (full and initials, for
  "laonian" or "lnr"), and guide text (summary, result, materials); departments are matched by name;
* a query is normalised, expanded with the admin-edited synonyms (开饭店 → 餐饮 / 食品经营) and
  without filler words (我要办理…), and matched by intersecting the postings of its bigrams (or its one
  character) as boolean masks over all documents, then verified as a substring; if nothing matches,
  its characters are matched in order (老年证 → 老年人优待证);
* a document is ranked by the best tier it matched in: whole name or alias, name, alias, pinyin,
  department, guide text.

The index is rebuilt when the catalogue's fingerprint (latest change of matters, published versions,
departments and synonyms) changes; a process looks at most once per SEARCH_GENERATION_CHECK_SECONDS.
With SEARCH_REBUILD_IN_BACKGROUND a process keeps answering from its old index while it rebuilds.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.models import Count, Max

import numpy as np
from numpy.typing import NDArray
from pypinyin import lazy_pinyin

from matters.choices import Audience, VersionStatus
from matters.models import Department, Material, Matter, MatterVersion, Synonym

logger = logging.getLogger(__name__)

Ids = NDArray[np.int32]
Mask = NDArray[np.bool_]

# Tiers, best first. A document is ranked by the best tier it matched in.
TIER_EXACT, TIER_NAME, TIER_ALIAS, TIER_PINYIN, TIER_DEPARTMENT, TIER_TEXT = range(6)
# Fields of IndexedMatter.texts, and the tier each is matched in.
NAME, ALIASES, PINYIN, DEPARTMENT, TEXT = range(5)
FIELD_TIERS = ((NAME, TIER_NAME), (ALIASES, TIER_ALIAS), (PINYIN, TIER_PINYIN), (TEXT, TIER_TEXT))
# Above this many candidates a long query's matches are verified lazily, page by page, and the
# total is the number of candidates (an estimate that can only be a little too high).
VERIFY_ALL_LIMIT = 1_000  # checking one candidate in Python costs ~1 µs
FILLER_WORDS = ("我要", "我想", "怎么", "如何", "在哪", "哪里", "需要", "办理", "申请", "申领", "手续", "流程", "的")  # fmt: skip
_KEEP = re.compile(r"[\w]+")  # letters, digits and Hanzi; punctuation and spaces split
_NO_CHAR = (1 << 21) - 1  # above every code point: marks a unigram key
_pinyin_cache: dict[str, tuple[str, str]] = {}


def normalise(text: str) -> str:
    """Fold width and case, drop punctuation and spaces: "ＬａoNian，证" → "laonian证"."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(_KEEP.findall(folded)).replace("_", "")


def _char_pinyin(char: str) -> tuple[str, str]:
    """(full pinyin, initial) of one character, cached: pypinyin takes ~0.1 ms a call."""
    found = _pinyin_cache.get(char)
    if found is None:
        if char.isascii():
            found = (char, char) if char.isalnum() else ("", "")
        else:
            full = "".join(s for s in lazy_pinyin(char, errors="ignore") if s.isascii())
            found = (full, full[:1])
        _pinyin_cache[char] = found
    return found


def pinyin_forms(text: str) -> str:
    """Full pinyin and initials of `text`, e.g. 老年证 → "laonianzheng lnz".

    Characters are read one by one (the default reading of a polyphone), which is what makes indexing
    100k names take a second rather than a minute.
    """
    readings = [_char_pinyin(char) for char in text]
    return f"{''.join(r[0] for r in readings)} {''.join(r[1] for r in readings)}"


@dataclass(frozen=True)
class MatterCard:
    """What a result list shows of a matter (and the API's summary): kept in the index, so that a
    page of search results needs no database query."""

    implementation_code: str
    name: str
    version: int
    summary: str
    department_name: str
    matter_type: str
    is_online: bool
    visits_required: int | None
    promised_limit: int | None
    promised_unit: str


@dataclass(frozen=True)
class IndexedMatter:
    """What the index keeps of one visible matter."""

    matter_id: int
    card: MatterCard
    texts: tuple[str, ...]  # normalised, by field: name, aliases, pinyin, department, guide text

    @property
    def implementation_code(self) -> str:
        return self.card.implementation_code

    @property
    def name(self) -> str:
        return self.card.name


@dataclass
class SearchIndex:
    fingerprint: tuple[object, ...]
    documents: list[IndexedMatter] = field(default_factory=list)
    postings: dict[int, dict[str, Ids]] = field(default_factory=dict)  # field → gram → documents
    exact: dict[str, Ids] = field(default_factory=dict)  # whole name or alias → documents
    department_names: dict[int, str] = field(default_factory=dict)  # normalised, by department id
    # Document numbers per filter value, so that filters are vector operations.
    by_topic: dict[int, Ids] = field(default_factory=dict)
    by_life_event: dict[int, Ids] = field(default_factory=dict)
    by_department: dict[int, Ids] = field(default_factory=dict)
    by_region: dict[int, Ids] = field(default_factory=dict)
    for_person: Ids = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    for_legal: Ids = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    synonyms: dict[str, list[str]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.documents)

    def mask(self, numbers: Ids) -> Mask:
        mask = np.zeros(self.size, dtype=np.bool_)
        mask[numbers] = True
        return mask


@dataclass(frozen=True)
class SearchFilters:
    topic_id: int | None = None
    life_event_id: int | None = None
    department_id: int | None = None
    region_id: int | None = None
    audience: str | None = None

    def allowed(self, index: SearchIndex) -> Mask | None:
        """The documents these filters let through; None when nothing is filtered."""
        chosen: list[Ids] = []
        empty = np.zeros(0, dtype=np.int32)
        for value, table in (
            (self.topic_id, index.by_topic),
            (self.life_event_id, index.by_life_event),
            (self.department_id, index.by_department),
            (self.region_id, index.by_region),
        ):
            if value is not None:
                chosen.append(table.get(value, empty))
        if self.audience == Audience.PERSON:
            chosen.append(index.for_person)
        elif self.audience == Audience.LEGAL:
            chosen.append(index.for_legal)
        if not chosen:
            return None
        mask = index.mask(chosen[0])
        for numbers in chosen[1:]:
            mask &= index.mask(numbers)
        return mask


@dataclass(frozen=True)
class SearchResult:
    """One page of matter ids in relevance order, the total, and the tier each page entry matched in."""

    matter_ids: list[int]
    total: int
    tiers: dict[int, int]
    cards: list[MatterCard] = field(default_factory=list)
    total_is_estimate: bool = False


def catalogue_fingerprint() -> tuple[object, ...]:
    """Values that change whenever anything the index shows changes (indexed maxima: cheap)."""
    return (
        Matter.objects.aggregate(m=Max("updated_at"))["m"],
        MatterVersion.objects.filter(status=VersionStatus.PUBLISHED).aggregate(m=Max("updated_at"))[
            "m"
        ],
        Department.objects.aggregate(m=Max("updated_at"))["m"],
        tuple(Synonym.objects.aggregate(m=Max("updated_at"), c=Count("pk")).values()),
    )


def field_postings(values: Sequence[str]) -> dict[str, Ids]:
    """Postings of one field: every character and adjacent pair within a word → sorted documents.

    Vectorised: the field's texts become one array of code points; each unigram or bigram is a
    42-bit key, packed with its document number into one int64, so that one sort both groups by
    gram and orders each group by document, and repeats are dropped by comparing neighbours.
    """
    count = len(values)
    if count == 0:
        return {}
    doc_bits = max(1, count.bit_length())
    assert doc_bits <= 21, "the index packs document numbers into 21 bits"
    joined = "\x00".join(values) + "\x00"
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter((len(v) + 1 for v in values), dtype=np.int64, count=count)
    documents = np.repeat(np.arange(count, dtype=np.int64), lengths)
    is_char = (points != 0) & (points != 32)  # separators: end of document, space between words
    unigrams = (points[is_char] << 21) | _NO_CHAR
    pair = is_char[:-1] & is_char[1:]
    bigrams = (points[:-1][pair] << 21) | points[1:][pair]
    keys = np.concatenate((unigrams, bigrams))
    owners = np.concatenate((documents[is_char], documents[:-1][pair]))
    packed = (keys << doc_bits) | owners
    packed.sort()  # sort, then drop repeats: ~10x faster here than np.unique's hash path
    if len(packed):
        packed = packed[np.concatenate(([True], packed[1:] != packed[:-1]))]
    if len(packed) == 0:  # every text of the field is empty
        return {}
    gram_keys = packed >> doc_bits
    numbers = (packed & ((1 << doc_bits) - 1)).astype(np.int32)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(gram_keys)) + 1))
    ends = np.concatenate((starts[1:], [len(packed)]))
    postings: dict[str, Ids] = {}
    for key, start, end in zip(
        gram_keys[starts].tolist(), starts.tolist(), ends.tolist(), strict=True
    ):
        first, second = key >> 21, key & _NO_CHAR
        gram = chr(first) if second == _NO_CHAR else chr(first) + chr(second)
        postings[gram] = numbers[start:end]
    return postings


def _grouped(pairs: Iterable[tuple[int, int]]) -> dict[int, Ids]:
    groups: dict[int, list[int]] = {}
    for key, number in pairs:
        groups.setdefault(key, []).append(number)
    return {key: np.asarray(numbers, dtype=np.int32) for key, numbers in groups.items()}


def build_index(fingerprint: tuple[object, ...] | None = None) -> SearchIndex:
    """Read the visible catalogue and build a fresh index."""
    started = time.perf_counter()
    fingerprint = fingerprint if fingerprint is not None else catalogue_fingerprint()
    department_rows = list(Department.objects.values_list("pk", "name", "short_name"))
    departments = {pk: normalise(f"{name} {short}") for pk, name, short in department_rows}
    department_titles = {pk: name for pk, name, _short in department_rows}
    visible = MatterVersion.objects.current()
    rows = visible.values_list(
        "pk", "number", "name", "short_name", "aliases", "summary", "result_name", "for_person",
        "for_legal", "matter_type", "is_online", "visits_required", "promised_limit", "promised_unit",
        "matter_id", "matter__implementation_code", "matter__department_id", "matter__region_id",
        "matter__popularity", named=True,
    )  # fmt: skip
    ranked = sorted(
        rows, key=lambda r: (-r.matter__popularity, len(r.name), r.matter__implementation_code)
    )
    number_of = {row.pk: number for number, row in enumerate(ranked)}
    # Subqueries, not lists of 100k ids: the database joins faster than it parses a huge IN list.
    topics = MatterVersion.topics.through.objects.filter(matterversion_id__in=visible.values("pk"))
    events = MatterVersion.life_events.through.objects.filter(
        matterversion_id__in=visible.values("pk")
    )
    materials: dict[int, list[str]] = {}
    for version_id, material in Material.objects.filter(
        version_id__in=visible.values("pk")
    ).values_list("version_id", "name"):
        materials.setdefault(version_id, []).append(material)

    index = SearchIndex(fingerprint=fingerprint, department_names=departments)
    texts: list[list[str]] = [[] for _ in range(5)]
    exact: dict[str, list[int]] = {}
    for number, row in enumerate(ranked):
        name_text = normalise(row.name)
        alias_words = [normalise(a) for a in [row.short_name, *(row.aliases or [])] if a]
        card = MatterCard(
            implementation_code=row.matter__implementation_code,
            name=row.name,
            version=row.number,
            summary=row.summary,
            department_name=department_titles.get(row.matter__department_id, ""),
            matter_type=row.matter_type,
            is_online=row.is_online,
            visits_required=row.visits_required,
            promised_limit=row.promised_limit,
            promised_unit=row.promised_unit,
        )
        document = IndexedMatter(
            matter_id=row.matter_id,
            card=card,
            texts=(
                name_text,
                " ".join(alias_words),
                pinyin_forms(name_text + "".join(alias_words)),
                departments.get(row.matter__department_id, ""),
                " ".join(
                    normalise(t)
                    for t in (row.summary, row.result_name, *materials.get(row.pk, ()))
                    if t
                ),
            ),
        )
        index.documents.append(document)
        for position in (NAME, ALIASES, PINYIN, TEXT):
            texts[position].append(document.texts[position])
        # A query that is a matter's whole name, or one of its aliases, ranks that matter first.
        for whole in {name_text, *alias_words}:
            exact.setdefault(whole, []).append(number)
    index.exact = {whole: np.asarray(numbers, dtype=np.int32) for whole, numbers in exact.items()}
    index.postings = {
        position: field_postings(texts[position]) for position in (NAME, ALIASES, PINYIN, TEXT)
    }
    index.by_department = _grouped((r.matter__department_id, n) for n, r in enumerate(ranked))
    index.by_region = _grouped((r.matter__region_id, n) for n, r in enumerate(ranked))
    index.by_topic = _grouped(
        (t, number_of[v]) for v, t in topics.values_list("matterversion_id", "topic_id")
    )
    index.by_life_event = _grouped(
        (e, number_of[v]) for v, e in events.values_list("matterversion_id", "lifeevent_id")
    )
    index.for_person = np.asarray([n for n, r in enumerate(ranked) if r.for_person], dtype=np.int32)
    index.for_legal = np.asarray([n for n, r in enumerate(ranked) if r.for_legal], dtype=np.int32)
    index.synonyms = {
        normalise(s.term): [normalise(e) for e in s.expansions] for s in Synonym.objects.all()
    }
    logger.info(
        "Search index of %d matters built in %.2f s", index.size, time.perf_counter() - started
    )
    return index


class _Matcher:
    """Collects, per tier, a mask of the documents that match; a document counts in its best tier."""

    def __init__(self, index: SearchIndex, allowed: Mask | None) -> None:
        self.index = index
        self.allowed = allowed
        self.tiers: dict[int, Mask] = {}
        self.unverified: dict[
            int, list[tuple[str, int]]
        ] = {}  # tier → (query, field) still to check

    def _add(self, tier: int, mask: Mask) -> None:
        if self.allowed is not None:
            mask &= self.allowed
        if tier in self.tiers:
            self.tiers[tier] |= mask
        else:
            self.tiers[tier] = mask

    def _candidates(self, postings: dict[str, Ids], keys: Iterable[str]) -> Mask | None:
        """Documents whose postings hold every key; None if some key is unknown."""
        lists = []
        for key in keys:
            found = postings.get(key)
            if found is None:
                return None
            lists.append(found)
        if not lists:
            return None
        lists.sort(key=len)
        mask = self.index.mask(lists[0])
        for other in lists[1:]:
            mask &= self.index.mask(other)
        return mask

    def _verify(self, mask: Mask, query: str, position: int, tier: int) -> Mask:
        """Keep the documents whose field really holds `query`; above the limit, check lazily."""
        if len(query) <= 2:  # the postings of a 1–2 character query are exact
            return mask
        numbers = np.flatnonzero(mask)
        if len(numbers) > VERIFY_ALL_LIMIT:
            self.unverified.setdefault(tier, []).append((query, position))
            return mask
        documents = self.index.documents
        kept = [n for n in numbers.tolist() if query in documents[n].texts[position]]
        return self.index.mask(np.asarray(kept, dtype=np.int32))

    def substring(self, query: str) -> None:
        """Strict stage: `query` occurs as written in a field."""
        index = self.index
        whole = index.exact.get(query)
        if whole is not None:
            self._add(TIER_EXACT, index.mask(whole))
        keys = {query} if len(query) == 1 else {query[i : i + 2] for i in range(len(query) - 1)}
        for position, tier in FIELD_TIERS:
            if position == PINYIN and not query.isascii():
                continue
            mask = self._candidates(index.postings[position], keys)
            if mask is not None:
                self._add(tier, self._verify(mask, query, position, tier))
        for department_id, name in index.department_names.items():
            numbers = index.by_department.get(department_id)
            if numbers is not None and query in name:
                self._add(TIER_DEPARTMENT, index.mask(numbers))

    def in_order(self, query: str) -> None:
        """Loose stage: every character of `query` occurs, in order, in the name or the aliases."""
        documents = self.index.documents
        for position, tier in ((NAME, TIER_NAME), (ALIASES, TIER_ALIAS)):
            mask = self._candidates(self.index.postings[position], set(query))
            if mask is None:
                continue
            numbers = np.flatnonzero(mask)[:VERIFY_ALL_LIMIT].tolist()
            kept = [n for n in numbers if _subsequence(query, documents[n].texts[position])]
            self._add(tier + 1, self.index.mask(np.asarray(kept, dtype=np.int32)))

    def _holds(self, number: int, tier: int) -> bool:
        checks = self.unverified.get(tier)
        if not checks:
            return True
        texts = self.index.documents[number].texts
        return any(query in texts[position] for query, position in checks)

    def ranked(self, offset: int, limit: int | None) -> tuple[list[tuple[int, int]], int]:
        """(document number, tier) of one page in rank order, and the total number matched."""
        seen = np.zeros(self.index.size, dtype=np.bool_)
        page: list[tuple[int, int]] = []
        wanted = None if limit is None else offset + limit
        for tier in sorted(self.tiers):
            fresh = self.tiers[tier] & ~seen
            seen |= fresh
            numbers = np.flatnonzero(fresh)
            start = 0
            # Walk the tier in slices: turning 90k numbers into a Python list for a page of 20
            # would cost milliseconds.
            while start < len(numbers) and (wanted is None or len(page) < wanted):
                for number in numbers[start : start + 256].tolist():
                    if self._holds(number, tier):
                        page.append((number, tier))
                        if wanted is not None and len(page) >= wanted:
                            break
                start += 256
        return page[offset:wanted], int(seen.sum())

    @property
    def empty(self) -> bool:
        return not any(mask.any() for mask in self.tiers.values())


def _subsequence(query: str, text: str) -> bool:
    chars = iter(text)
    return all(char in chars for char in query)


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
    if text and index.size:
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
        cards=[documents[number].card for number, _tier in page],
        total_is_estimate=bool(matcher.unverified),
    )


# --- the per-process index and its freshness ---------------------------------------------------------

_lock = threading.Lock()
_state: dict[str, object] = {"index": None, "checked_at": 0.0, "rebuilding": False}


def _rebuild_in_background(fingerprint: tuple[object, ...]) -> None:
    try:
        _state["index"] = build_index(fingerprint)
    except Exception:
        logger.exception("Unable to rebuild the search index")
        raise
    finally:
        _state["rebuilding"] = False
        connections.close_all()  # this thread's own connections


def current_index() -> SearchIndex:
    """The process's index, rebuilt if the catalogue changed since it was built."""
    index = _state["index"]
    interval = float(settings.SEARCH_GENERATION_CHECK_SECONDS)
    checked_at = _state["checked_at"]
    assert isinstance(checked_at, float)
    if isinstance(index, SearchIndex) and time.monotonic() - checked_at < interval:
        return index
    with _lock:
        index = _state["index"]
        fingerprint = catalogue_fingerprint()
        _state["checked_at"] = time.monotonic()
        if isinstance(index, SearchIndex) and index.fingerprint == fingerprint:
            return index
        if isinstance(index, SearchIndex) and settings.SEARCH_REBUILD_IN_BACKGROUND:
            if not _state["rebuilding"]:
                _state["rebuilding"] = True
                threading.Thread(
                    target=_rebuild_in_background, args=(fingerprint,), daemon=True
                ).start()
            return index  # answer from the old index meanwhile
        index = build_index(fingerprint)
        _state["index"] = index
        return index


def warm_up() -> None:
    """Build the index now (gunicorn calls this in the master before forking workers)."""
    current_index()
    close_old_connections()
    connections.close_all()


def catalogue_changed() -> None:
    """Make this process look at the catalogue again on its next search (others follow within
    SEARCH_GENERATION_CHECK_SECONDS, through the fingerprint)."""
    _state["checked_at"] = float("-inf")
