"""Reading pages the way a visitor does."""

from typing import Protocol

from django.utils.html import strip_tags


class Page(Protocol):
    content: bytes


def visible_text(response: Page) -> str:
    """The page's text as a reader sees it: tags removed, each run of white space one space."""
    return " ".join(strip_tags(response.content.decode()).split())
