FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY clinic clinic
COPY conditions conditions
COPY intake intake
COPY audit audit
COPY staff staff
COPY notifications notifications
COPY interop interop
COPY scheduling scheduling
COPY scripts/compile_messages.py scripts/
COPY manage.py ./
RUN pip install --no-cache-dir . \
    && python scripts/compile_messages.py \
    && CLINIC_ENV=production ALLOWED_HOSTS=build SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
       python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 clinic && mkdir -p /app/var/fhir-exports && chown -R clinic /app/var

USER clinic
EXPOSE 8000
CMD ["gunicorn", "--config", "clinic/gunicorn.conf.py", "clinic.wsgi"]
