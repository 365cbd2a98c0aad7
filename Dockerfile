# The production image: gunicorn for the web, the same image for Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Production packages only (no test tools), each file checked against its hash in the lock.
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
RUN DEBUG=1 STATIC_MANIFEST=1 python manage.py collectstatic --noinput \
    && DEBUG=1 python manage.py compilemessages --ignore=.venv

RUN useradd --create-home --uid 1000 app && mkdir -p /app/media /app/beat && chown app /app/media /app/beat
USER app
EXPOSE 8000
# Workers, threads, timeouts and recycling: config/gunicorn.conf.py (GUNICORN_* variables).
CMD ["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi"]
