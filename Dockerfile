# Digibank web, worker and beat image (the same image runs all three).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 digibank

COPY pyproject.toml README.md ./
COPY digibank ./digibank
COPY points ./points
COPY trainings ./trainings
COPY devices ./devices
COPY atelier ./atelier
COPY soundboard ./soundboard
COPY outreach ./outreach
RUN pip install .

COPY . .
# Static files are collected at build time with production storage
# (hashed names, compressed); the key below only exists for this step.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only-0123 \
    ALLOWED_HOSTS=build python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/var && chown -R digibank /app/var

USER digibank
EXPOSE 8000
CMD ["gunicorn", "digibank.wsgi", "--bind", "0.0.0.0:8000"]
