"""Every named route of the site, read from the URL resolver, and the requests the matrix makes."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
SIGN_IN = "/accounts/sign-in/"
TWO_FACTOR = "/accounts/two-factor/"

# Plausible values for every form and serializer field of the object routes, so that a missing
# access check would let the action through rather than stop at validation.
PAYLOAD: dict[str, Any] = {
    "reason": "安全测试理由，长度足够。",
    "opinion": "同意。",
    "note": "安全测试备注。",
    "text": "安全测试说明。",
    "result": "已完成。",
    "comment": "安全测试评价。",
    "level": "1",
    "days": "7",
    "purpose": "安全测试",
    "kind": "OTHER",
    "expected_days": "3",
    "method": "WINDOW",
    "delivery_method": "WINDOW",
    "consent": "on",
    "declaration": "on",
    "upheld": "false",
    "name": "乙某某",
    "material_key": "M04",
    "alternative": "DEFICIENCY",
    "respond_within": 20,
}
# API-only values (JSON shapes a form field would not take).
API_PAYLOAD: dict[str, Any] = {
    **PAYLOAD,
    "level": 1,
    "days": 7,
    "expected_days": 3,
    "assignee": 1,
    "items": [{"kind": "material", "key": "M01", "reason": "安全测试。"}],
    "answers": {},
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str


def routes() -> Iterator[Route]:
    """Every named route outside the admin, namespaced names as `ns:name`."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                if pattern.startswith("admin/"):
                    continue
                name = entry.name or f"<unnamed {pattern}>"
                yield Route(f"{namespace}:{name}" if namespace else name, pattern)

    yield from walk(get_resolver().url_patterns, "", "")


def resolve_kwargs(target: dict[str, str], world: dict[str, Any]) -> dict[str, Any]:
    """Replace a kwarg naming an object of the world by its pk (a string of the world by itself)."""
    kwargs: dict[str, Any] = {}
    for key, value in target.items():
        found = world.get(value)
        if isinstance(found, Model):
            kwargs[key] = found.pk
        elif isinstance(found, str):
            kwargs[key] = found
        else:
            kwargs[key] = value
    return kwargs


def url_of(name: str, target: dict[str, str], world: dict[str, Any]) -> str:
    return reverse(name, kwargs=resolve_kwargs(target, world))


def request(client: Client, method: str, path: str) -> "TestResponse":
    """One request; unsafe methods carry the plausible payload (JSON for the API)."""
    if method in ("GET", "HEAD"):
        return client.generic(method, path)
    if path.startswith("/api/"):
        return client.generic(method, path, data=_json(), content_type="application/json")
    if method == "POST":
        return client.post(path, PAYLOAD)
    return client.generic(method, path, data="", content_type="application/x-www-form-urlencoded")


def _json() -> str:
    import json

    return json.dumps(API_PAYLOAD)


def body_of(response: "TestResponse") -> bytes:
    """The whole body, streamed or not, and the headers, for the canary search."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        content = response.content
    headers = "\n".join(f"{k}: {v}" for k, v in response.items()).encode()
    return content + b"\n" + headers


def leaked(response: "TestResponse", canaries: list[str]) -> list[str]:
    """The canaries found in a response's body or headers (also percent-encoded in a URL)."""
    from urllib.parse import quote

    data = body_of(response)
    return [c for c in canaries if c.encode() in data or quote(c).encode() in data]
