"""What a user sees when files are skipped or read with a fallback: `index build`
names them (the first few; all with --verbose) and `index info` lists them all."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from transcript_qa import cli


def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "hearing.txt").write_text("Ann Lee: Welcome.\n\nBob Ray: Thank you.\n\nAnn Lee: Begin.\n", encoding="utf-8")
    (root / "notes.txt").write_text("Some notes.\n\nMore notes without structure.\n", encoding="utf-8")
    (root / "scan.pdf").write_bytes(b"%PDF-1.4")
    for i in range(4):
        (root / f"feed{i}.xml").write_text("<rss><channel/></rss>\n", encoding="utf-8")
    return root


def run(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def test_index_build_names_skipped_files_and_degraded_documents(tmp_path):
    root = corpus(tmp_path)
    out = tmp_path / "index"
    result = run("index", "build", "--corpus", str(root), "--out", str(out))
    assert result.exit_code == 0, result.output
    text = result.output
    assert "5 files skipped:" in text
    assert "... and 2 more (--verbose lists them all" in text
    assert "1 document degraded:" in text and "notes.txt: no recognisable structure" in text
    verbose = run("index", "build", "--corpus", str(root), "--out", str(out), "--verbose").output
    assert all(f"feed{i}.xml: no passages found" in verbose for i in range(4)) and "more (--verbose" not in verbose
    assert "scan.pdf: a PDF that cannot be read" in verbose
    info = run("index", "info", str(out)).output
    assert "skipped_files:" in info and "feed3.xml" in info and "degraded_documents:" in info
