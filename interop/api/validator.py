"""django-oauth-toolkit's validator for system clients (settings.OAUTH2_PROVIDER names it).

Apart from `interop.api.scopes` because the toolkit's validator module loads requests and
jwcrypto's JWS and JWT: the toolkit imports this one only when it handles a token, so a
process that never does (a web worker serving the patient pages) does not carry them.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from interop.api.scopes import covered


class SystemClientValidator(OAuth2Validator):
    """The toolkit's validator, for system clients: a client turned off gets no token, and
    a client given ``system/*.read`` may ask for any single type's scope."""

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        authenticated = bool(super().authenticate_client(request, *args, **kwargs))
        return authenticated and bool(getattr(request.client, "is_active", False))

    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        return covered(scopes, str(client.scope).split())
