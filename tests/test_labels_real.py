"""The bar on real public transcripts (tests/fixtures/real): with the kind left to
detection, at least 99% of turn boundaries and of speakers right (the person, not the
office) on the publication-style text; 100% from the native XML and the captions.
And every truth file is what its make.py derives from the structured source."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
FOLDERS = sorted(p.name for p in REAL.iterdir() if (p / "truth.json").is_file())

sys.path.insert(0, str(ROOT / "benchmarks"))
import attribution  # noqa: E402


def test_there_is_a_real_fixture_per_family():
    assert {"ca_committee", "ca_house_hansard", "us_senate_cr", "us_house_cr", "us_scotus_oyez", "za_akoma_ntoso",
            "gb_parlamint_tei", "gb_parlparse", "ie_oireachtas_dail", "gb_inquiry_hearing",
            "us_ny_trial_qa", "gb_inquiry_qa", "au_house_hansard",
            "ie_limerick_minutes", "gb_community_council_minutes"} <= set(FOLDERS)
    for folder in FOLDERS:
        assert (REAL / folder / "SOURCE.md").is_file() and (REAL / folder / "make.py").is_file()


@pytest.mark.parametrize("folder", FOLDERS)
def test_text_meets_the_bar(folder):
    truth = json.loads((REAL / folder / "truth.json").read_text(encoding="utf-8"))
    score = attribution.score_text(REAL / folder, truth)
    if score is None:
        pytest.skip("too few turns to be told from prose: scored on its native XML")
    assert score["kind"] == truth.get("kind", "transcript")  # minutes fixtures say "minutes"
    assert score["boundaries"] >= 0.99, score
    assert score["speakers"] >= 0.99, score


@pytest.mark.parametrize("folder", FOLDERS)
def test_native_xml_and_captions_are_exact(folder):
    truth = json.loads((REAL / folder / "truth.json").read_text(encoding="utf-8"))
    scores = [s for s in (attribution.score_native(REAL / folder, truth),
                          attribution.score_native(REAL / folder, truth, "captions")) if s]
    if not scores:
        pytest.skip("no structured file to read natively")
    for score in scores:
        assert (score["boundaries"], score["speakers"]) == (1.0, 1.0), score


@pytest.mark.parametrize("folder", FOLDERS)
def test_truth_is_derived_by_the_script_not_typed(folder, tmp_path):
    copy = tmp_path / folder
    shutil.copytree(REAL / folder, copy)
    shutil.copytree(REAL / "_derive", tmp_path / "_derive")  # scripts shared by fixtures of one source
    outputs = ["truth.json", "text.txt"] + [n for n in ("captions.srt",) if (copy / n).exists()]
    for name in outputs:
        (copy / name).unlink()
    subprocess.run([sys.executable, "make.py"], cwd=copy, check=True, capture_output=True, timeout=120)
    for name in outputs:
        assert (copy / name).read_bytes() == (REAL / folder / name).read_bytes(), name
