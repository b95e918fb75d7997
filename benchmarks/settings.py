"""Production settings plus the calibration URLs (selected with DJANGO_SETTINGS_MODULE).

Everything else, including every environment variable, is read exactly as in production.
"""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.calibration_urls"
