"""The client address recorded in the trail and used by the sign-in lockout."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from clinic.network import client_ip


def request_from(address: str, forwarded_for: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return RequestFactory().get("/", REMOTE_ADDR=address, **headers)


def test_without_a_proxy_a_forwarded_for_header_is_ignored():
    assert client_ip(request_from("198.51.100.7", "10.0.0.1")) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_appended_is_used():
    # The client wrote "10.0.0.1" itself; our proxy appended the real address.
    request = request_from("172.16.0.2", "10.0.0.1, 203.0.113.9")

    assert client_ip(request) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_request_without_the_header_falls_back_to_the_socket():
    assert client_ip(request_from("172.16.0.2")) == "172.16.0.2"
