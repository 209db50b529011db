"""The FHIR R4 validator of these tests (fhir.resources), a demo clinic, and a system
client with a real token from the real token endpoint."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from intake.demo import demo_intakes_ensure, demo_staff_ensure
from interop.clients import system_client_prepare
from interop.models import SystemClient

TOKEN_URL = "/fhir/R4/auth/token"


def validated(resource: dict[str, Any]) -> Any:
    """The resource parsed by the FHIR model of its type; raises on any invalid element."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def round_tripped(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource serialised by the FHIR model and read back as JSON."""
    return json.loads(validated(resource).model_dump_json(exclude_none=True))


def demo_clinic(count: int = 30, seed: int = 7) -> None:
    demo_staff_ensure(password="a demo password for tests")
    demo_intakes_ensure(count=count, seed=seed)


@dataclass
class System:
    """A practice system: its client, its secret and a test client sending its token."""

    client: SystemClient
    secret: str
    http: Client
    token: str = ""

    def basic(self) -> str:
        pair = f"{self.client.client_id}:{self.secret}".encode()
        return "Basic " + base64.b64encode(pair).decode()

    def ask_token(self, scope: str | None = None) -> Any:
        data = {"grant_type": "client_credentials"}
        if scope is not None:
            data["scope"] = scope
        return self.http.post(TOKEN_URL, data, HTTP_AUTHORIZATION=self.basic())

    def sign_in(self, scope: str | None = None) -> System:
        response = self.ask_token(scope)
        assert response.status_code == 200, response.content
        self.token = response.json()["access_token"]
        return self

    def get(self, path: str, **headers: Any) -> Any:
        if self.token:
            headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return self.http.get(path, **headers)


def system(scope: str = "system/*.read", name: str = "Acme Practice Manager") -> System:
    client = SystemClient(name=name, scope=scope)
    secret = system_client_prepare(client=client)
    client.save()
    return System(client, secret, Client())
