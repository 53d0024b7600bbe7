"""The client's address, as seen through the reverse proxies the city runs.

Behind a proxy every request comes from the proxy's address (REMOTE_ADDR), so a
lockout keyed on it would lock everyone out together (anyone could lock a named
user out). With ``TRUSTED_PROXY_COUNT`` = n proxies in front of the app, the
client is the n-th address from the right of ``X-Forwarded-For`` (or of the
header named by ``CLIENT_IP_HEADER``): the one the outermost trusted proxy saw.
Addresses to the left of it were written by the client and are not believed.
Used by the login lockout (django-axes) and the rate limits (django-ratelimit).
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    header = request.META.get(getattr(settings, "CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR"), "")
    hops = [h.strip() for h in header.split(",") if h.strip()]
    if len(hops) >= count:
        return hops[-count]
    # Fewer hops than proxies: the request did not come through all of them.
    return hops[0] if hops else remote
