"""What every HTML form view does with a refused use case."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import Form

from core.errors import DomainError


def add_domain_error(form: Form, exc: DomainError) -> None:
    """Show a refusal at the fields it names, or at the top of the form."""
    for field, field_messages in (exc.errors or {NON_FIELD_ERRORS: [exc.message]}).items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
