"""Screenshots of the main pages, for people to look at (`make screenshots`; not a test, not
in CI): a scratch database with the fixtures, the development server on loopback, headless
Chromium (Debian's) at 1400 px and 390 px wide, in Dutch and English, logged in as the
development superuser. Writes var/screenshots/*.png."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "screenshots"
PORT = os.environ.get("SCREENSHOT_PORT", "8790")
BASE = f"http://127.0.0.1:{PORT}"
PAGES = {
    "home": "/",
    "overview": "/overview/?since=2000-01-01",
    "admin-index": "/admin/",
    "admin-list": "/admin/recommendations/recommendation/",
    "admin-item": "/admin/recommendations/recommendation/1/change/",
    "api-list": "/api/v1/recommendations/",
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    database = ROOT / "var" / "screenshots.sqlite3"
    database.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "true"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["load_initial_data"], ["ensure_dev_superuser"]):
        subprocess.run([*manage, *command], env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{PORT}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{BASE}/admin/login/")
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            for language in ("nl-BE", "en"):
                for width in (1400, 390):
                    page = browser.new_page(
                        locale=language, viewport={"width": width, "height": 900}
                    )
                    page.goto(f"{BASE}/admin/login/")
                    page.fill("#id_username", "admin")
                    page.fill("#id_password", "admin")
                    page.click("input[type=submit]")
                    for name, path in PAGES.items():
                        page.goto(BASE + path)
                        file = OUT / f"{name}-{language}-{width}.png"
                        page.screenshot(path=str(file), full_page=True)
                        print(file.relative_to(ROOT))
                    page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
