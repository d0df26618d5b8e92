# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.13-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PYTHON_DOWNLOADS=never \
    DJANGO_SETTINGS_MODULE=config.settings \
    STATIC_ROOT=/app/static-collected \
    MEDIA_ROOT=/app/media

RUN useradd --create-home --uid 1000 masthead
WORKDIR /app

# The production lock only: the test suite and dev tools are not in the image.
COPY requirements.lock pyproject.toml ./
RUN pip install "uv==0.13.9" && uv pip install --system --require-hashes -r requirements.lock

COPY --chown=masthead:masthead . .
# collectstatic needs settings, not secrets: a throwaway key is enough at build time.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown masthead:masthead /app/media

USER masthead
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "-c", "gunicorn.conf.py"]
