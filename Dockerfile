# One image for the web server, the Celery worker and beat; docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 kudus \
    && useradd --system --uid 10001 --gid kudus --home-dir /app --shell /usr/sbin/nologin kudus

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so a code change reuses this layer. The project
# has no packages to install (packages = []): this installs its pinned dependencies.
COPY pyproject.toml ./
RUN pip install . && rm -rf build ./*.egg-info

# The code stays owned by root: the app user can read it, not change it.
COPY . .

# Static files are collected into the image and served by WhiteNoise. The build needs settings
# but no secrets and no servers: a throwaway key, the embedded defaults.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --noinput --verbosity 0

# Uploads live on the `media` volume, owned by the app user, readable by nobody else.
RUN install -d -o kudus -g kudus -m 0750 /data/media /data/beat

USER kudus
ENV STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# The health check (docker/healthcheck.py) is declared on the web service in docker-compose.yml:
# the worker and beat containers run this image too, with no HTTP server to probe.
EXPOSE 8000

# WEB_CONCURRENCY (gunicorn reads it) sets the number of worker processes.
CMD ["gunicorn", "kudus_pengaduan.wsgi:application", \
     "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "60", \
     "--forwarded-allow-ips", "*"]
