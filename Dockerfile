# Production image: gunicorn serves the portal; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production

# WeasyPrint needs Pango and HarfBuzz (with subsetting); certificates and notices need CJK fonts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY portal ./portal
COPY core ./core
COPY accounts ./accounts
COPY matters ./matters
COPY notifications ./notifications
COPY certificates ./certificates
COPY applications ./applications
COPY supervision ./supervision
COPY audit ./audit
RUN pip install -c constraints.txt .
COPY . .
# The certificate font (GB2312 subset of Noto Sans CJK SC) is made once here, not at run time.
RUN SECRET_KEY=build ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input -v 0 \
 && (python manage.py compilemessages -v 0 || true) \
 && SECRET_KEY=build ALLOWED_HOSTS=localhost python manage.py build_certificate_font --skip-checks

# Request bodies over 2.5 MB are spooled here while they are read: a dedicated folder, so that
# `manage.py reconcile_files` can remove the ones a killed worker left behind (REL-FS-01).
ENV FILE_UPLOAD_TEMP_DIR=/app/var/upload-tmp
RUN useradd --system --uid 1000 tongban && mkdir -p /app/media /app/var/upload-tmp \
 && chown -R tongban /app/media /app/var
USER tongban
EXPOSE 8000
CMD ["gunicorn", "-c", "portal/gunicorn_config.py", "portal.wsgi:application"]
