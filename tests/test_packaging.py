"""The wheel carries the package, the bundled corpus and the console script.

Built offline from a copy of the checkout: ``pip wheel --no-deps
--no-build-isolation`` when the ``wheel`` package (or setuptools >= 70.1, which
builds wheels on its own) is installed, as ``pip install ".[test]"`` does;
otherwise setuptools' ``build_py``, which applies the same package data mapping.
"""

from __future__ import annotations

import configparser
import importlib.util
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FILES = sorted(p.name for p in (ROOT / "corpus").iterdir() if p.is_file() and not p.name.startswith("."))
MODULES = sorted(p.name for p in (ROOT / "transcript_qa").glob("*.py"))

pytestmark = pytest.mark.slow


def _copy_checkout(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "indexes",
                                    ".venv", "results")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def _can_build_wheels() -> bool:
    if importlib.util.find_spec("wheel") is not None:
        return True
    try:
        import setuptools

        major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    except (ImportError, ValueError):
        return False
    return (major, minor) >= (70, 1)


def _run(args: list[str], cwd: Path) -> None:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.mark.skipif(not _can_build_wheels(), reason="needs the 'wheel' package (pip install '.[test]')")
def test_wheel_contains_the_bundled_corpus_and_the_console_script(tmp_path):
    src = _copy_checkout(tmp_path / "src")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w",
          str(tmp_path / "dist"), str(src)], cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("transcript_qa-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in CORPUS_FILES:
        assert f"transcript_qa/bundled_corpus/{name}" in names
    for name in MODULES:
        assert f"transcript_qa/{name}" in names
    assert not any(n.startswith(("tests/", "corpus/", "benchmarks/")) for n in names)
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser()
    parser.read_file(io.StringIO(zipfile.ZipFile(wheel).read(entry_points).decode()))
    assert parser["console_scripts"]["transcript-qa"] == "transcript_qa.cli:main"


def test_package_data_mapping_ships_the_corpus(tmp_path):
    """Same check without building a wheel: setuptools' build_py lays out the package."""
    pytest.importorskip("setuptools")
    src = _copy_checkout(tmp_path / "src")
    lib = tmp_path / "lib"
    _run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py", "--build-lib", str(lib)],
         cwd=src)
    shipped = sorted(p.name for p in (lib / "transcript_qa" / "bundled_corpus").iterdir() if p.is_file())
    assert [n for n in shipped if n != "__init__.py"] == CORPUS_FILES
    assert sorted(p.name for p in (lib / "transcript_qa").glob("*.py")) == MODULES
