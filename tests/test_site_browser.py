"""The site in a real browser (headless Chromium through selenium): pages load without console errors, local
links resolve, every figure is visible, no page is wider than a phone's or a desktop's window, axe-core finds no
serious or critical accessibility violation on any kind of page, and screenshots of the index and two county
pages at 1,280 and 390 pixels go to artifacts/site/ (the test prints the folder; CI keeps artifacts/).

Chromium comes from Debian's packages and axe-core from npm; the test installs them when missing (apt-get as
root; npm into the user's cache) and skips, saying why, where that cannot be done.
"""

from __future__ import annotations

import json
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
ARTIFACTS = Path(os.environ.get("COUNTY_RECORDS_ARTIFACTS", REPO_ROOT / "artifacts")) / "site"
SCREENSHOT_RECORD = RECORDS / "yunnan" / "eryuan.yaml"
SECOND_RECORD = RECORDS / "hunan" / "yanling.yaml"
# Debian's browser and its driver, and a font with Chinese glyphs for the names.
PACKAGES = ["chromium", "chromium-driver", "fonts-wqy-microhei"]
CORRECTED_FUND = "poverty-day-donations"  # a fund whose stated amount has a curated reading
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
INSTALL_TIMEOUT_SECONDS = 1200
AXE = "axe-core@4.10.2"  # pinned: a new release may add rules, which should be a change we make, not one we get
BLOCKING_IMPACTS = {"serious", "critical"}


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


def install_axe() -> Path | str:
    """axe-core's axe.min.js, installed with npm into the user's cache when missing; or why it cannot be had."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "county-records-tests" / AXE.replace("@", "-")
    script = cache / "node_modules" / "axe-core" / "axe.min.js"
    if script.is_file():
        return script
    if not shutil.which("npm") and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        try:
            subprocess.run(["apt-get", "install", "-y", "-q", "npm"], capture_output=True, timeout=INSTALL_TIMEOUT_SECONDS, env=environment)
        except (OSError, subprocess.TimeoutExpired):
            pass  # said below: npm is still missing
    npm = shutil.which("npm")
    if not npm:
        return "npm is not installed (nor installable with apt-get as root), so axe-core cannot be installed for the accessibility check"
    cache.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(cache), "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", AXE]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"`{' '.join(command)}` did not finish: {err}"
    if done.returncode != 0 or not script.is_file():
        return f"`{' '.join(command)}` failed: {done.stderr.strip()[-300:]}"
    return script


@pytest.fixture(scope="module")
def axe() -> str:
    found = install_axe()
    if isinstance(found, str):
        pytest.skip(found)
    return found.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser-site") / "public"
    assert main(["site", "--today", date.today().isoformat(), "--out", str(out), str(RECORDS)]) == 0
    return out


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    """The site of three records, for the slow accessibility check: every kind of page, with a short index."""
    out = tmp_path_factory.mktemp("browser-small-site") / "public"
    short = [f for f in sorted(RECORDS.rglob("*.yaml")) if without_figures(f)][:1]
    broken = tmp_path_factory.mktemp("broken") / "broken.yaml"
    broken.write_text("division: [unclosed\n", encoding="utf-8")
    paths = [str(p) for p in (SCREENSHOT_RECORD, SECOND_RECORD, *short, broken)]
    assert main(["site", "--today", date.today().isoformat(), "--out", str(out), *paths]) == 0
    assert (out / "counties" / "file-broken.html").is_file()
    return out


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def without_figures(record_file: Path) -> bool:
    return not stated_values(record_file)


def page_kinds(site: Path) -> dict[str, Path]:
    """One page of each kind the site has: the index, the comparison, county pages with and without figures,
    a source text, a table source, a record's lines, and a file that does not load where there is one."""
    kinds = {"index": site / "index.html", "compare": site / "compare.html", "county": page_for(site, SCREENSHOT_RECORD),
             "lines": site / "records" / "yunnan" / "eryuan.yaml.html"}
    if (site / "counties" / "file-broken.html").is_file():
        kinds["file that does not load"] = site / "counties" / "file-broken.html"
    short = next((f for f in sorted(RECORDS.rglob("*.yaml")) if without_figures(f)), None)
    if short is not None:
        kinds["county without figures"] = page_for(site, short)
    for source in sorted((site / "sources").glob("*.html")):
        kind = "table source" if "<table" in source.read_text(encoding="utf-8") else "text source"
        kinds.setdefault(kind, source)
    return kinds


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
    # Every page but the records' line views, which are one template over the file's lines (one is checked).
    pages = [p for p in sorted(site.rglob("*.html")) if "records" not in p.relative_to(site).parts]
    assert len(list((site / "counties").glob("*.html"))) == len(list(RECORDS.rglob("*.yaml")))
    pages.append(site / "records" / "yunnan" / "eryuan.yaml.html")
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
            if parts.netloc == "creativecommons.org":  # the licence, the one link to the web
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


def test_no_page_kind_is_wider_than_the_window_at_phone_and_desktop_width(driver, site) -> None:
    for name, (width, height) in SIZES.items():
        driver.set_window_size(width, height)
        for kind, page in page_kinds(site).items():
            driver.get(page.as_uri())
            inner = driver.execute_script("return window.innerWidth")
            assert inner == width or name == "desktop", f"the window is {inner} wide, not {width}"
            scroll = driver.execute_script("return document.documentElement.scrollWidth")
            assert scroll <= inner, f"{kind} ({page.name}) at {name} width: scrollWidth {scroll} > {inner}"


def test_the_index_and_two_county_pages_are_saved_as_screenshots(driver, site, artifacts, capsys) -> None:
    from selenium.webdriver.common.by import By

    with capsys.disabled():  # shown however pytest captures output, so a reader of the log finds them
        print(f"\nscreenshots of the site: {artifacts}")
    pages = {"index": site / "index.html", "eryuan": page_for(site, SCREENSHOT_RECORD), "yanling": page_for(site, SECOND_RECORD)}
    saved = []
    for size, (width, height) in SIZES.items():
        driver.set_window_size(width, height)
        for name, page in pages.items():
            driver.get(page.as_uri())
            assert page_overflow(driver) <= 0, f"{name} at {size} width is wider than the window"
            top = artifacts / f"{name}-{width}px.png"
            assert driver.save_screenshot(str(top))
            saved.append(top)
        driver.get(pages["eryuan"].as_uri())
        correction = driver.find_element(By.XPATH, f"//article[@data-id='{CORRECTED_FUND}']")
        driver.execute_script("arguments[0].scrollIntoView()", correction)
        figure = artifacts / f"eryuan-correction-{width}px.png"
        assert driver.save_screenshot(str(figure))
        saved.append(figure)
    for path in saved:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000, path


def test_the_index_sorts_and_filters_with_its_script(driver, site) -> None:
    from selenium.webdriver.common.by import By

    driver.set_window_size(*SIZES["desktop"])
    driver.get((site / "index.html").as_uri())
    rows = lambda: driver.execute_script(  # noqa: E731 - the visible rows' first cells, as the reader sees them
        "return Array.from(document.querySelectorAll('#records tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.cells[3].textContent.trim())")
    before = rows()
    driver.find_element(By.XPATH, "//th[normalize-space(.)='Figures']//button").click()
    driver.find_element(By.XPATH, "//th[normalize-space(.)='Figures']//button").click()  # descending
    figures = [int(n) for n in rows()]
    assert figures == sorted(figures, reverse=True) and len(figures) == len(before)
    driver.find_element(By.ID, "records-with-figures").click()
    assert all(int(n) > 0 for n in rows()) and len(rows()) == sum(1 for n in figures if n > 0)


def test_every_kind_of_page_has_no_serious_accessibility_violation(driver, small_site, axe) -> None:
    problems = []
    driver.set_script_timeout(600)  # axe on the 832 rows of the list of counties takes a minute on a busy machine
    for name, size in SIZES.items():
        driver.set_window_size(*size)
        # At a desktop's width the pages' one-column layout is checked on the two kinds that change most.
        kinds = page_kinds(small_site) if name == "phone" else {k: v for k, v in page_kinds(small_site).items() if k in ("index", "county")}
        for kind, page in kinds.items():
            driver.get(page.as_uri())
            driver.execute_script(axe)
            result = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)), e => done(String(e)));")
            violations = json.loads(result)
            for violation in violations:
                if violation["impact"] in BLOCKING_IMPACTS:
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    problems.append(f"{kind} at {size[0]}px: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    assert not problems, "\n".join(problems)
