"""The site in a real browser (headless Chromium through selenium): pages load without console errors,
local links resolve, every figure is visible, and screenshots of a county page go to test-artifacts/.

Chromium comes from Debian's packages; the test installs them when missing and it runs as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from validator.cli import main
from validator.support.paths import REPO_ROOT

RECORDS = REPO_ROOT / "records"
ARTIFACTS = REPO_ROOT / "test-artifacts"
SCREENSHOT_RECORD = RECORDS / "yunnan" / "eryuan.yaml"
# Debian's browser and its driver, and a font with Chinese glyphs for the names.
PACKAGES = ["chromium", "chromium-driver", "fonts-wqy-microhei"]
CORRECTED_FUND = "poverty-day-donations"  # a fund whose stated amount has a curated reading
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
INSTALL_TIMEOUT_SECONDS = 1200


def browser_binaries() -> tuple[str, str] | None:
    # Debian's chromium; or the Chrome and driver that GitHub's Ubuntu runners come with.
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver") or shutil.which("chromedriver", path=os.environ.get("CHROMEWEBDRIVER", ""))
    return (browser, driver) if browser and driver else None


def install_browser() -> str | None:
    """Install Chromium with apt-get when missing; the reason it cannot be had, or None."""
    if browser_binaries():
        return None
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return "Chromium and chromium-driver are not installed, and the test is not root to apt-get install them"
    if not shutil.which("apt-get"):
        return "Chromium is not installed, and there is no apt-get to install it"
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *PACKAGES]):
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS, env=environment)
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"`{' '.join(command)}` did not finish: {err}"
        if done.returncode != 0 and command[1] == "install":
            return f"`{' '.join(command)}` failed: {done.stderr.strip()[-300:]}"
    return None if browser_binaries() else "apt-get installed Chromium, but chromium or chromedriver is not on PATH"


@pytest.fixture(scope="module")
def driver():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (it is in the test extra)")
    reason = install_browser()
    if reason:
        pytest.skip(reason)
    browser, chromedriver = browser_binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The driver named explicitly, so that selenium does not try to download one.
    chrome = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=chromedriver))
    chrome.set_page_load_timeout(60)
    yield chrome
    chrome.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser-site") / "public"
    assert main(["site", "--today", date.today().isoformat(), "--out", str(out), str(RECORDS)]) == 0
    return out


def stated_values(record_file: Path) -> list[str]:
    values = []

    def visit(node):
        if isinstance(node, dict):
            if "value" in node and "quote" in node:
                values.append(" ".join(str(node["value"]).split()))
            for child in node.values():
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    record = yaml.safe_load(record_file.read_text(encoding="utf-8"))
    for section in ("observations", "targets", "programmes", "funds", "shares"):
        visit(record.get(section, []))
    return values


def page_for(site: Path, record_file: Path) -> Path:
    code = yaml.safe_load(record_file.read_text(encoding="utf-8"))["division"]["code"]
    return site / "counties" / f"{code}.html"


def page_overflow(driver) -> int:
    """How much wider than the window the page is: wide tables and charts must scroll inside their own boxes."""
    return driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_every_page_loads_without_console_errors_or_broken_links(driver, site) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == len(list(RECORDS.rglob("*.yaml"))) + 1
    driver.set_window_size(*SIZES["phone"])
    for page in pages:
        driver.get(page.as_uri())
        severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert not severe, f"{page.name}: {severe[:3]}"
        assert page_overflow(driver) <= 0, f"{page.name} is wider than a phone's window"
        targets = driver.execute_script(
            "return Array.from(document.querySelectorAll('[href],[src]'), e => e.getAttribute('href') || e.getAttribute('src'))"
        )
        for target in targets:
            parts = urlsplit(target)
            if parts.scheme == "data" or not parts.path:
                continue
            assert not parts.scheme and not parts.netloc, f"{page.name}: {target} is not a local link"
            assert (page.parent / unquote(parts.path)).resolve().is_file(), f"{page.name}: {target} is broken"


def test_every_figure_of_a_record_is_visible_on_its_page(driver, site) -> None:
    from selenium.webdriver.common.by import By

    for record_file in sorted(RECORDS.rglob("*.yaml")):
        driver.get(page_for(site, record_file).as_uri())
        visible = " ".join(driver.find_element(By.TAG_NAME, "body").text.split())
        missing = [value for value in stated_values(record_file) if value not in visible]
        assert not missing, f"{record_file.name}: not visible: {missing[:5]}"


def test_a_county_page_at_phone_and_desktop_width_is_saved_as_screenshots(driver, site) -> None:
    from selenium.webdriver.common.by import By

    ARTIFACTS.mkdir(exist_ok=True)
    page = page_for(site, SCREENSHOT_RECORD).as_uri()
    saved = []
    for name, (width, height) in SIZES.items():
        driver.set_window_size(width, height)
        driver.get(page)
        assert page_overflow(driver) <= 0, f"{name}: the page is wider than the window"
        top = ARTIFACTS / f"site-eryuan-{name}-top.png"
        assert driver.save_screenshot(str(top))
        correction = driver.find_element(By.XPATH, f"//article[h3/code[text()='{CORRECTED_FUND}']]")
        driver.execute_script("arguments[0].scrollIntoView()", correction)
        figure = ARTIFACTS / f"site-eryuan-{name}-correction.png"
        assert driver.save_screenshot(str(figure))
        chart = driver.find_element(By.CSS_SELECTOR, "figure.chart")
        driver.execute_script("arguments[0].scrollIntoView()", chart)
        chart_shot = ARTIFACTS / f"site-eryuan-{name}-chart.png"
        assert driver.save_screenshot(str(chart_shot))
        saved += [top, figure, chart_shot]
    for path in saved:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000, path
