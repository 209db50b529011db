"""gunicorn's settings for the web service (Dockerfile, docker-compose.yml):
`gunicorn -c clinic/gunicorn.conf.py clinic.wsgi`.

The access log goes through `clinic.log_redaction.redact`, so a status link's token, an
acknowledge link's token or a secret in a query string never reaches it.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from clinic.log_redaction import redact

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
# The default format, without the referrer (another page's address, with its own tokens).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(a)s"'


class RedactingLogger(Logger):
    """gunicorn's logger, with the request line, path and query redacted."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "U", "q", "f"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redact(atoms[name])
        return atoms


logger_class = RedactingLogger
