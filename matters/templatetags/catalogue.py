"""Formatting filters for catalogue templates."""

from django import template

register = template.Library()


@register.filter
def lines(value: str) -> list[str]:
    """Split a multi-line guide text into its non-empty lines."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]
