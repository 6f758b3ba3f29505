# syslead: one image for the web server, the Celery worker and Celery beat.

# GOV.UK Frontend's compiled CSS, JS, fonts and images, from the pinned npm package.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Runtime dependencies only (not the dev extras), read from pyproject.toml so they live in one place.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=assets /build/node_modules/govuk-frontend/dist node_modules/govuk-frontend/dist

# collectstatic only reads files: the key and host below exist for this build step alone.
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=collectstatic-build-step-only DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --uid 10001 --home-dir /app syslead \
    && mkdir -p /app/media \
    && chown syslead /app/media
USER syslead

ENV DJANGO_ENV=production \
    MEDIA_ROOT=/app/media
EXPOSE 8000
# config/gunicorn.py: bind, workers, and an access log without tokens, query strings or Referer.
CMD ["gunicorn", "config.wsgi", "--config", "python:config.gunicorn"]
