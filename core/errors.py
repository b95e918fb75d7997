"""Anticipated failures of a use case. The API maps them to 400/409, the HTML views to a message."""

from collections.abc import Iterable, Mapping


class DomainError(Exception):
    """A rule of the domain refused the request; `message` is a full, translated sentence."""

    status_code = 400

    def __init__(self, message: str, *, errors: Mapping[str, Iterable[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # Field path → messages, for refusals that concern several fields at once.
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}


class ConflictError(DomainError):
    """The request conflicts with the current state of the object (HTTP 409)."""

    status_code = 409
