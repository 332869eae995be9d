#!/usr/bin/env python3
"""Container health check: GET /healthz on the local gunicorn; healthy only on 200.

Django answers 400 to a Host it does not know, so the request names the first ALLOWED_HOSTS
entry. No curl in the slim image; the standard library is enough.
"""

import os
import sys
import urllib.error
import urllib.request

PORT = os.environ.get("PORT", "8000")


def main():
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = next((h.lstrip(".") for h in hosts if h != "*"), "localhost")
    request = urllib.request.Request(  # noqa: S310 - a fixed http:// URL
        f"http://127.0.0.1:{PORT}/healthz", headers={"Host": host}
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthz: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
