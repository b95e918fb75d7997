"""Shared foundations: the base model, DomainError, the working-day calendar and identifier checks."""
