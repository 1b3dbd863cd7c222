# Production image: gunicorn serving config.wsgi with the same config file `make run` uses.
FROM python:3.11-slim AS build
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml ./
COPY config ./config
COPY core ./core
COPY tenants ./tenants
COPY clientes ./clientes
COPY documentos ./documentos
COPY ventas ./ventas
COPY cotizaciones ./cotizaciones
COPY demo ./demo
RUN python -m venv /venv && /venv/bin/pip install .

FROM python:3.11-slim
# Set DATABASE_URL, DJANGO_SECRET_KEY (shared by every replica) and FORWARDED_ALLOW_IPS (the
# proxy) at run time: with DJANGO_ENV=production the process refuses to start without the first two.
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production \
    DJANGO_DATA_DIR=/tmp/data GUNICORN_BIND=0.0.0.0:8000
RUN useradd --create-home --uid 10001 app
WORKDIR /app
COPY --from=build /venv /venv
COPY manage.py ./
COPY config ./config
COPY core ./core
COPY tenants ./tenants
COPY clientes ./clientes
COPY documentos ./documentos
COPY ventas ./ventas
COPY cotizaciones ./cotizaciones
COPY demo ./demo
# collectstatic needs settings but no database connection; a throwaway key is enough here.
RUN DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput --verbosity 0
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"
CMD ["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi:application"]
