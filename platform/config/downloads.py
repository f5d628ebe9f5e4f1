"""The "Preparing the file…" state of the export buttons (frontend/static/js/download.js).

Exports are built synchronously, so the page cannot tell by itself when the browser has
received the file. The script sends a random token with the request; the export view hands
it back as a short-lived cookie on the response, and the script, seeing it, says the file
is ready. The token is random and carries nothing: no filter, name or personal data.
"""

from __future__ import annotations

import re
from typing import TypeVar

from django.http import HttpRequest
from django.http.response import HttpResponseBase

DOWNLOAD_COOKIE = "download_token"  # a cookie name, not a secret
_TOKEN = re.compile(r"[0-9a-f]{8,64}")

Response = TypeVar("Response", bound=HttpResponseBase)


def download_token_echo(request: HttpRequest, response: Response) -> Response:
    """Set the download-token cookie on an export response when the request carried a
    well-formed token; anything else is ignored, so no value of the user's is echoed back."""
    token = request.GET.get(DOWNLOAD_COOKIE, "")
    if _TOKEN.fullmatch(token):
        response.set_cookie(
            DOWNLOAD_COOKIE,
            token,
            max_age=120,
            samesite="Strict",
            secure=request.is_secure(),
            # Read by the page's script; it is a random nonce, not a credential.
            httponly=False,
        )
    return response
