"""Caching of the public catalogue pages, and telling every process the catalogue changed.

A rendered page is keyed by the catalogue generation, a counter in the shared cache that every
change to what citizens see increments (publishing, retiring, importing, an admin edit). Bumping it
makes every cached page stale at once, in every process, without listing them.

Each process also keeps the pages it served last in its own memory, in front of Redis: a hot page
then costs no round trip, no new Redis client (Django builds one per call) and no unpickling. Those
copies use the same keys, so they go stale with the generation like the shared ones; each process
reads the generation at most once per SEARCH_GENERATION_CHECK_SECONDS.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils import translation

from redis.exceptions import RedisError

from core.caching import cache_get, cache_set
from matters import search, selectors

logger = logging.getLogger(__name__)

GENERATION_KEY = "catalogue:generation"


_local: dict[str, float | int] = {"generation": 0, "read_at": float("-inf")}


def _first_generation() -> int:
    # A counter that is missing (a new, restarted or cleared Redis) starts from the clock, not
    # from 1, so it never names again pages that processes still keep from before.
    return time.time_ns() // 1000


def page_generation() -> int:
    """The current catalogue generation (read from the shared cache at most once a second)."""
    now = time.monotonic()
    if now - _local["read_at"] >= settings.SEARCH_GENERATION_CHECK_SECONDS:
        try:
            value = cache.get(GENERATION_KEY)
            if value is None:
                first = _first_generation()
                cache.add(GENERATION_KEY, first, timeout=None)
                value = cache.get(GENERATION_KEY, first)
        except RedisError:
            logger.warning(
                "Cache unavailable, keeping catalogue generation %s", _local["generation"]
            )
            value = _local["generation"]
        _local.update(generation=int(value), read_at=now)
    return int(_local["generation"])


def catalogue_changed() -> None:
    """Call after a change citizens can see is committed: pages and the search index follow."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet
        cache_set(GENERATION_KEY, _first_generation(), None)
    except RedisError:  # pages expire by themselves within CATALOGUE_PAGE_CACHE_SECONDS
        logger.warning("Cache unavailable, catalogue generation not bumped")
    _local["read_at"] = float("-inf")
    search.catalogue_changed()
    selectors.guide_cache_clear()


# Pages kept in each process: a hot set of a couple of thousand guides (10–20 KB each).
LOCAL_PAGES = 2000
LOCAL_PAGE_BYTES = 32 * 1024 * 1024
# A copy in memory is dropped after this long even if the generation did not change, as the
# shared one expires after CATALOGUE_PAGE_CACHE_SECONDS.
LOCAL_PAGE_SECONDS = 60.0

CachedPage = tuple[bytes, str]  # content, content type
_pages: "OrderedDict[str, tuple[float, CachedPage]]" = OrderedDict()
_pages_size = [0]
_pages_lock = threading.Lock()


def _local_page_get(key: str) -> CachedPage | None:
    with _pages_lock:
        entry = _pages.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            _pages_size[0] -= len(_pages.pop(key)[1][0])
            return None
        _pages.move_to_end(key)
        return entry[1]


def _local_page_set(key: str, page: CachedPage, seconds: float) -> None:
    expires = time.monotonic() + min(seconds, LOCAL_PAGE_SECONDS)
    with _pages_lock:
        old = _pages.pop(key, None)
        if old is not None:
            _pages_size[0] -= len(old[1][0])
        _pages[key] = (expires, page)
        _pages_size[0] += len(page[0])
        while len(_pages) > LOCAL_PAGES or _pages_size[0] > LOCAL_PAGE_BYTES:
            _pages_size[0] -= len(_pages.popitem(last=False)[1][1][0])


def _cached_page(key: str, seconds: int) -> CachedPage | None:
    page = _local_page_get(key)
    if page is None:
        page = cache_get(key)
        if page is not None:
            _local_page_set(key, page, seconds)
    return page


def public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve a public catalogue page from the cache for visitors who are not signed in.

    The page must not depend on the visitor beyond the language (no CSRF token, no user), which holds
    for the catalogue pages. Only complete 200 answers that set no cookie are stored.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        seconds = settings.CATALOGUE_PAGE_CACHE_SECONDS
        if (
            request.method != "GET"
            or seconds <= 0
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return view(request, *args, **kwargs)
        accept = request.headers.get("Accept", "")  # the API answers JSON or its browsable HTML
        # The request's own part (Accept header, path and query) is hashed: visitors choose it, so
        # it may be of any length or hold spaces, and a cache key must be short and plain.
        variant = hashlib.sha256(f"{accept}\n{request.get_full_path()}".encode()).hexdigest()
        key = f"page:{page_generation()}:{translation.get_language()}:{variant}"
        cached = _cached_page(key, seconds)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)

        def store(rendered: HttpResponseBase) -> None:
            if (
                isinstance(rendered, HttpResponse)
                and rendered.status_code == 200
                and not rendered.cookies
            ):
                page = (rendered.content, rendered["Content-Type"])
                cache_set(key, page, seconds)
                _local_page_set(key, page, seconds)

        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.add_post_render_callback(store)  # DRF responses are rendered after the view
        else:
            store(response)
        return response

    return wrapped
