"""The Tongban Django project: settings, root URLs, the Celery app and the site pages."""

from portal.celery import app as celery_app

__all__ = ("celery_app",)
