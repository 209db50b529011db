"""System clients: what a clinic manager does with them in the staff admin. Services write."""

from __future__ import annotations

from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model

from interop.models import SystemClient


def system_client_prepare(*, client: SystemClient) -> str:
    """Make a new client a confidential client-credentials one with a fresh secret; returns
    the secret, which is hashed when saved and can be shown only now."""
    secret = generate_client_secret()
    client.client_type = SystemClient.CLIENT_CONFIDENTIAL
    client.authorization_grant_type = SystemClient.GRANT_CLIENT_CREDENTIALS
    client.hash_client_secret = True
    client.client_secret = secret
    return secret


def system_client_new_secret(*, client: SystemClient) -> str:
    """Replace the secret and end every token issued with the old one; returns the new
    secret, to be shown once."""
    secret = generate_client_secret()
    with transaction.atomic():
        client.client_secret = secret
        client.save(update_fields=["client_secret", "updated"])
        system_client_revoke(client=client)
    return secret


def system_client_revoke(*, client: SystemClient) -> int:
    """End every access token the client holds; returns how many."""
    deleted, _by_model = get_access_token_model().objects.filter(application=client).delete()
    return deleted
