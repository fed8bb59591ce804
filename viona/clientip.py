"""The client's address: one rule for the API throttles and the login lockout."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The address of whoever sent the request, as far as this deployment can trust it.

    With no trusted proxy (``VIONA_TRUSTED_PROXIES=0``) that is the peer of the connection,
    and ``X-Forwarded-For`` is the client's own claim: ignored. Behind N proxies, each of which
    appends the address it received the request from, it is the N-th entry from the right;
    entries further left were written by the client and never count. A missing or malformed
    entry falls back to the peer (the proxy), which throttles too much rather than too little.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = settings.VIONA_TRUSTED_PROXIES
    if not proxies:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    claimed = forwarded[-min(proxies, len(forwarded))].strip()
    try:
        return str(ipaddress.ip_address(claimed))
    except ValueError:
        return peer
