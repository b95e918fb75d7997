"""Caching of the public catalogue pages, and telling every process the catalogue changed.

A rendered page is keyed by the catalogue generation, a counter in the shared cache that every
change to what citizens see increments (publishing, retiring, importing, an admin edit). Bumping it
makes every cached page stale at once, in every process, without listing them.
"""

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils import translation

from redis.exceptions import RedisError

from matters import search, selectors

logger = logging.getLogger(__name__)

GENERATION_KEY = "catalogue:generation"


def cache_get(key: str) -> Any:
    """Read the shared cache; an unreachable Redis is a miss, not an error page."""
    try:
        return cache.get(key)
    except RedisError:
        logger.warning("Cache unavailable, reading %s from the source", key.split(":", 1)[0])
        return None


def cache_set(key: str, value: Any, seconds: int | None) -> None:
    """Write the shared cache if it can be reached (the page was answered either way)."""
    try:
        cache.set(key, value, seconds)
    except RedisError:
        logger.warning("Cache unavailable, %s not stored", key.split(":", 1)[0])


_local: dict[str, float | int] = {"generation": 0, "read_at": float("-inf")}


def page_generation() -> int:
    """The current catalogue generation (read from the shared cache at most once a second)."""
    now = time.monotonic()
    if now - _local["read_at"] >= settings.SEARCH_GENERATION_CHECK_SECONDS:
        try:
            value = cache.get(GENERATION_KEY)
            if value is None:
                cache.add(GENERATION_KEY, 1, timeout=None)
                value = cache.get(GENERATION_KEY, 1)
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
        cache_set(GENERATION_KEY, 2, None)
    except RedisError:  # pages expire by themselves within CATALOGUE_PAGE_CACHE_SECONDS
        logger.warning("Cache unavailable, catalogue generation not bumped")
    _local["read_at"] = float("-inf")
    search.catalogue_changed()
    selectors.guide_cache_clear()


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
        key = f"page:{page_generation()}:{translation.get_language()}:{accept}:{request.get_full_path()}"
        cached = cache_get(key)
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
                cache_set(key, (rendered.content, rendered["Content-Type"]), seconds)

        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.add_post_render_callback(store)  # DRF responses are rendered after the view
        else:
            store(response)
        return response

    return wrapped
