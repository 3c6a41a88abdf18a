"""The locks in requirements/ pin what pyproject.toml allows, every pin with its files' hashes.

The README's commands install from the locks, so a lock that drifted from pyproject.toml (a new
dependency not pinned, a pin outside the allowed range) would give users something CI never ran.
"""

from __future__ import annotations

import io
import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# A pin: `name==version ; marker \` followed by its `--hash=` lines.
_PIN = re.compile(r"^(?P<requirement>[A-Za-z0-9_.\-]+==[^\s\\;]+(?:\s*;[^\\]*)?)\s*\\?\s*$")


def pins(lock: Path) -> dict[str, list[tuple[Requirement, int]]]:
    """Package name -> [(pinned requirement, number of hashes)] (one per environment marker)."""
    found: dict[str, list[tuple[Requirement, int]]] = {}
    current: list | None = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            requirement = Requirement(match["requirement"])
            current = [requirement, 0]
            found.setdefault(canonicalize_name(requirement.name), []).append(current)  # type: ignore[arg-type]
        elif line.strip().startswith("--hash=sha256:") and current is not None:
            current[1] += 1
    return {name: [(r, n) for r, n in entries] for name, entries in found.items()}


EXTRAS = PROJECT["optional-dependencies"]
LOCKS = {
    "validate.txt": PROJECT["dependencies"],
    # What the documented `site` and `export --format parquet` need on top of the validator.
    "extras.txt": PROJECT["dependencies"] + EXTRAS["site"] + EXTRAS["parquet"],
    "test.txt": PROJECT["dependencies"] + EXTRAS["test"],
}


@pytest.mark.parametrize("lock_name", LOCKS)
def test_every_dependency_is_pinned_inside_its_allowed_range(lock_name: str) -> None:
    locked = pins(ROOT / "requirements" / lock_name)
    environment = default_environment() | {"python_full_version": "3.11.0", "python_version": "3.11"}
    for declared in map(Requirement, LOCKS[lock_name]):
        entries = locked.get(canonicalize_name(declared.name))
        assert entries, f"{declared.name} is not pinned in requirements/{lock_name}: run bash .ci/lock"
        for_311 = [r for r, _ in entries if r.marker is None or r.marker.evaluate(environment)]
        assert len(for_311) == 1, f"{declared.name}: expected one pin for Python 3.11 in {lock_name}"
        [version] = [s.version for s in for_311[0].specifier]
        assert declared.specifier.contains(version, prereleases=True), (
            f"{declared.name}=={version} in requirements/{lock_name} is outside {declared.specifier} of pyproject.toml"
        )


@pytest.mark.parametrize("lock_name", LOCKS)
def test_every_pin_carries_hashes(lock_name: str) -> None:
    locked = pins(ROOT / "requirements" / lock_name)
    assert locked, f"requirements/{lock_name} pins nothing"
    unhashed = [str(r) for entries in locked.values() for r, hashes in entries if hashes == 0]
    assert not unhashed, f"pins without --hash in requirements/{lock_name}: {unhashed}"


def test_the_extras_lock_changes_nothing_the_validate_lock_installed() -> None:
    # README: the extras are installed after validate.txt, into the same environment.
    validate, extras = pins(ROOT / "requirements" / "validate.txt"), pins(ROOT / "requirements" / "extras.txt")
    differing = {name: (validate[name], extras.get(name)) for name in validate
                 if [str(r) for r, _ in validate[name]] != [str(r) for r, _ in extras.get(name, [])]}
    assert not differing


def _missing_module_message(module: str, call) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, module, None)  # `import module` now raises ImportError
        with pytest.raises(RuntimeError) as missing:
            call()
    return str(missing.value)


def _render_site() -> None:
    from validator.commands.site.render import environment

    environment()


def _write_parquet() -> None:
    from validator.commands.export.writers import write_parquet

    write_parquet(None, io.BytesIO())  # type: ignore[arg-type]


@pytest.mark.parametrize(("module", "package", "call"), [
    ("jinja2", "jinja2", _render_site), ("pyarrow", "pyarrow", _write_parquet),
])
def test_a_missing_extra_names_a_lock_that_pins_it(module: str, package: str, call) -> None:
    message = _missing_module_message(module, call)
    named = re.search(r"pip install --require-hashes -r (requirements/\S+\.txt)", message)
    assert named, f"the message names no locked install command: {message}"
    assert (ROOT / named[1]).is_file(), message
    assert canonicalize_name(package) in pins(ROOT / named[1]), f"{named[1]} does not pin {package}"
