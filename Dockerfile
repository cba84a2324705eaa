# Хозрасчёт: the application image (PostgreSQL runs as its own service, see compose).
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-paratype fonts-dejavu-core libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .
COPY . .
RUN python manage.py compilemessages --ignore=.venv -v0 \
    && DEBUG=false SECRET_KEY=build-only-key-not-used-at-run-time-0123456789abcdefghij \
       ALLOWED_HOSTS=build python manage.py collectstatic --noinput -v0

# media/: uploaded claim documents and printed batches of plan sheets (a volume in compose)
RUN useradd --system --home /app khozraschet && mkdir -p /app/media && chown -R khozraschet /app
USER khozraschet
EXPOSE 8000
# gunicorn serves the application, WhiteNoise its static files; its workers, threads and
# keep-alive come from GUNICORN_CMD_ARGS (the recommended ones by default; compose sets them).
ENV GUNICORN_CMD_ARGS="--workers 4 --worker-class gthread --threads 4 --keep-alive 75"
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_demo && exec gunicorn config.wsgi --bind 0.0.0.0:8000 --access-logfile -"]
