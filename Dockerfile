# The app image for compose.yaml: web and worker run from it with the Procfile's commands.
FROM python:3.11-slim-bookworm
# Pango for WeasyPrint (PDFs); the PDF fonts ship in static/fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Hashed, compressed static files are part of the image; the values here only let the
# production settings load for collectstatic and are never used at run time.
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput
RUN useradd --system --no-create-home app
USER app
CMD ["gunicorn", "--config", "gunicorn.conf.py", "valgus_app.wsgi:application"]
