"""Watching a page in a real browser: headless Chromium (Debian's `chromium` package) driven
by Playwright. The `browser` and `watched` fixtures in conftest.py use it."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (Debian's chromium package)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"Playwright for Python cannot be imported: {error}"
    return None


def is_local(url: str, server_url: str) -> bool:
    # data: images and the blob: Redoc makes its search worker from are no requests to anywhere.
    return url.startswith((f"{server_url}/", "data:", f"blob:{server_url}/"))


class Watched:
    """A page with every request it made and every console error or uncaught exception."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.errors: list[tuple[str, str]] = []  # (text, url of the resource it is about)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append((f"pageerror: {error}", "")))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append((message.text, message.location.get("url", "")))

    def assert_clean(self, server_url: str, document_status: tuple[str, int] | None = None):
        """No console error and no request to elsewhere. ``document_status``: (url, code) of
        a page served with an error code on purpose; Chromium logs that as a console error of
        its own, which is excused (only for that URL and code)."""
        self.page.wait_for_load_state("networkidle")
        errors = self.errors
        if document_status:
            url, code = document_status
            logged = f"Failed to load resource: the server responded with a status of {code} "
            errors = [e for e in errors if not (e[1] == url and e[0].startswith(logged))]
        assert errors == [], errors
        outside = [url for url in self.requests if not is_local(url, server_url)]
        assert outside == [], "requests left the server"
        assert self.requests, "no request recorded"
