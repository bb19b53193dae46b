"""load_corpus on the bundled corpus (what a reader can check by hand) and on bad input."""

from __future__ import annotations

import codecs
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from transcript_qa.corpus import Corpus, corpus_fingerprint, load_corpus
from transcript_qa.errors import CorpusError

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "corpus"
FIXTURES = Path(__file__).parent / "fixtures" / "corpora"
TRANSCRIPT = "2022-07-20-transcript-probation-services"
REPORT = "2023-01-19-report-probation-services-in-london"
LETTER = "2023-03-17-letter-hmpps-response"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(BUNDLED)


def doc_passages(corpus: Corpus, doc_id: str, *, content: bool = True):
    return [p for p in corpus.passages if p.document == doc_id and (not content or p.boilerplate is None)]


def source(doc_id: str) -> str:
    return (BUNDLED / f"{doc_id}.txt").read_text(encoding="utf-8")


# --- the bundled transcript -----------------------------------------------------------------


def test_transcript_has_219_turns(corpus):
    assert len(doc_passages(corpus, TRANSCRIPT)) == 219


def test_turn_counts_per_speaker(corpus):
    counts = Counter(p.speaker for p in doc_passages(corpus, TRANSCRIPT))
    assert counts["Kilvinder Vigurs"] == 59
    assert counts["Susan Hall"] == 38
    assert counts["Will Balakrishnan"] == 22
    assert counts["Caroline Pidgeon"] == 21
    assert sum(counts.values()) == 219 and None not in counts


def test_roles_and_organisations_come_from_labels(corpus):
    turns = doc_passages(corpus, TRANSCRIPT)
    kv = {(p.role, p.organisation) for p in turns if p.speaker == "Kilvinder Vigurs"}
    assert kv == {("Regional Director for London", "Her Majesty's Prison and Probation Service")}
    assert {p.role for p in turns if p.speaker == "Susan Hall"} == {"Chairman"}
    nick = [p for p in turns if p.speaker == "Nick John"]
    assert nick and all(p.organisation == "Metropolitan Police Service" for p in nick)


def test_title_lines_are_metadata_not_turns(corpus):
    meta = [p for p in doc_passages(corpus, TRANSCRIPT, content=False) if p.boilerplate]
    assert [p.boilerplate for p in meta] == ["metadata", "metadata"]
    assert meta[0].text.startswith("London Assembly Police and Crime Committee")


def test_every_transcript_paragraph_lands_in_exactly_one_turn(corpus):
    text = source(TRANSCRIPT)
    turns = doc_passages(corpus, TRANSCRIPT)
    paragraphs = [m for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text)]
    body = paragraphs[2:]  # the two title lines are metadata
    assert len(body) == 301
    for m in body:
        start, end = m.start(), m.start() + len(m.group(0).rstrip())
        owners = [t for t in turns if t.start <= start and end <= t.end]
        assert len(owners) == 1, m.group(0)[:60]
        turn = owners[0]
        body_text = m.group(0)
        if text[start:].startswith(turn.speaker_label + ":") and start == turn.start:
            body_text = text[start + len(turn.speaker_label) + 1 : end]
        # the turn text is the paragraph with whitespace normalised and *italic* markup removed
        assert " ".join(body_text.replace("*", "").split()) in " ".join(turn.text.split()), m.group(0)[:60]


def test_no_turn_starts_with_a_lower_case_continuation(corpus):
    for p in doc_passages(corpus, TRANSCRIPT):
        assert p.text and not p.text[0].islower(), p.id


def test_page_breaks_inside_a_turn_are_joined(corpus):
    turn = next(p for p in doc_passages(corpus, TRANSCRIPT) if "That just makes it" in p.text)
    assert "That just makes it much easier for us as a partnership" in turn.text


# --- the bundled report ---------------------------------------------------------------------


def test_bed_blocking_quote_is_st_mungos(corpus):
    q = [p for p in doc_passages(corpus, REPORT) if "bed blocking very quickly" in p.text]
    assert len(q) == 1
    assert q[0].text.rstrip().endswith("bed blocking very quickly.”")
    assert q[0].speaker == "St Mungo's" and q[0].organisation == "St Mungo's"
    assert "St Mungo's, written evidence" in q[0].citation


def test_dynamic_framework_quote_is_monique_williams_of_switchback(corpus):
    q = [p for p in doc_passages(corpus, REPORT) if "Dynamic Framework" in p.text and "small organisation" in p.text]
    assert len(q) == 1
    assert (q[0].speaker, q[0].role, q[0].organisation) == ("Monique Williams", "Head of Delivery", "Switchback")


def test_report_quotes_by_transcript_speakers_merge_identities(corpus):
    q = next(p for p in doc_passages(corpus, REPORT) if "The retention is a lot harder" in p.text)
    assert (q.speaker, q.role, q.organisation) == ("Kilvinder Vigurs", "Regional Director for London", "London Probation Service")
    q = next(p for p in doc_passages(corpus, REPORT) if "Those staff were transplanted" in p.text)
    assert (q.speaker, q.role) == ("Katie Lomas", "National Chair of Napo")  # from the lead-in "..., said:"


def test_report_sections(corpus):
    ps = doc_passages(corpus, REPORT)
    rec11 = [p for p in ps if p.section == "Recommendation 11"]
    assert len(rec11) == 2 and all("CAS3" in p.text for p in rec11)
    # the inline recommendation keeps its list of partners
    assert rec11[1].text.endswith("- G15 Housing Associations.")
    for n in range(1, 14):
        assert len([p for p in ps if p.section == f"Recommendation {n}"]) == 2, n
    first = next(p for p in ps if p.text.startswith("Most voluntary-sector guests told the Committee"))
    assert first.section == "Resettlement services are not functioning properly"
    headings = [p for p in doc_passages(corpus, REPORT, content=False) if p.text == "Supporting people on release from prison"]
    assert [p.boilerplate for p in headings] == ["metadata"]
    assert next(p for p in ps if p.text.startswith("The London Probation Service oversees")).section == "Foreword"


def test_footnotes_are_citations_not_passages(corpus):
    text = source(REPORT)
    footnotes = re.findall(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+) (.+)$", text, flags=re.M)
    assert len(footnotes) == 132
    content = doc_passages(corpus, REPORT)
    everything = doc_passages(corpus, REPORT, content=False)
    citations = "\n".join(p.citation or "" for p in everything)
    for marker, body in footnotes:
        assert not any(p.text.startswith(marker + " ") for p in content)
        assert f"{marker} " in citations
    # no indexable passage carries a footnote marker in its text
    assert not [p.id for p in content if re.search(r"[a-z.,’”)][¹²³⁴⁵⁶⁷⁸⁹⁰]", p.text)]


def test_translations_block_is_boilerplate(corpus):
    ps = doc_passages(corpus, REPORT, content=False)
    block = [p for p in ps if p.section == "Other formats and languages"]
    assert len(block) >= 10 and {p.boilerplate for p in block} == {"translations"}
    assert not [p for p in doc_passages(corpus, REPORT) if "braille" in p.text or "如您需要" in p.text]


def test_form_contact_and_contents_are_boilerplate(corpus):
    ps = doc_passages(corpus, REPORT, content=False)
    by_text = {p.text.splitlines()[0]: p.boilerplate for p in ps}
    assert by_text["Printed Name: Susan Hall AM, Chairman of the Police and Crime Committee"] == "form"
    assert by_text["Janette.Roker@london.gov.uk"] == "contact"
    assert by_text["Foreword..... 5"] == "contents"


# --- the bundled letter and the speakers list ----------------------------------------------


def test_letter_paragraphs_are_kilvinder_vigurs(corpus):
    ps = doc_passages(corpus, LETTER)
    assert len(ps) >= 20
    assert {p.speaker for p in ps} == {"Kilvinder Vigurs"}
    doc = corpus.document(LETTER)
    assert doc.author == "Kilvinder Vigurs" and doc.recipient == "Susan Hall"
    assert next(p for p in ps if p.text.startswith("Prison Strategic Housing")).section == "Prison Leavers (Recommendations 8, 9, 10,11)"


def test_speakers_one_identity_across_documents(corpus):
    speakers = {s.name: s for s in corpus.speakers()}
    kv = speakers["Kilvinder Vigurs"]
    assert set(kv.documents) == {TRANSCRIPT, REPORT, LETTER}
    assert "Regional Director for London" in kv.roles
    assert speakers["Susan Hall"].honours == ("AM",)
    assert speakers["Caroline Pidgeon"].honours == ("MBE", "AM")
    assert speakers["St Mungo's"].organisations == ("St Mungo's",)
    assert not [n for n in speakers if n.endswith((" AM", " MBE")) or n.startswith(("Dr ", "Commander "))]
    counts = [s.passages for s in corpus.speakers()]
    assert counts == sorted(counts, reverse=True)


def test_documents_and_manifest(corpus):
    assert [d.kind for d in corpus.documents] == ["transcript", "report", "press_release", "letter", "covering_report"]
    assert all(d.date for d in corpus.documents)
    assert corpus.warnings == () and corpus.skipped == ()
    assert "corpus.json" in corpus.files and len(corpus.files) == 6
    with pytest.raises(CorpusError, match="did you mean"):
        corpus.document("2023-03-17-letter-hmpps")


def test_ids_offsets_and_fingerprint_are_stable(corpus):
    again = load_corpus(BUNDLED)
    assert [(p.id, p.text, p.start, p.end) for p in again.passages] == [(p.id, p.text, p.start, p.end) for p in corpus.passages]
    assert corpus.fingerprint == corpus_fingerprint(BUNDLED) == again.fingerprint
    texts = {d.id: (BUNDLED / d.path).read_text(encoding="utf-8") for d in corpus.documents}
    for p in corpus.passages:
        assert p.id == f"{p.document}:{p.position}"
        raw = texts[p.document][p.start : p.end]
        assert raw.strip() and p.text.split()[0].strip("*\"“-") in raw.replace("*", ""), p.id


# --- fixtures: every kind and format, and bad input ----------------------------------------


def test_mixed_fixture_loads_every_kind_and_format():
    c = load_corpus(FIXTURES / "mixed")
    kinds = {d.id: d.kind for d in c.documents}
    assert kinds == {
        "hearing": "transcript", "report": "report", "letter": "letter", "press": "press_release",
        "covering": "covering_report", "decision": "decision_form", "zoom": "transcript", "turns": "transcript",
        "turns-array": "transcript", "2024-07-01-notes": "plain",
    }
    speakers = {s.name: s for s in c.speakers()}
    # one identity across transcript, report, VTT, JSON Lines and JSON
    assert set(speakers["Priya Patel"].documents) == {"hearing", "report", "zoom", "turns", "turns-array"}
    assert set(speakers["Amir Khan"].documents) >= {"hearing", "letter", "zoom", "turns"}
    assert c.document("letter").author == "Amir Khan"


def test_file_without_manifest_entry_still_loads():
    c = load_corpus(FIXTURES / "mixed")
    doc = c.document("2024-07-01-notes")
    assert (doc.kind, doc.date, doc.title) == ("plain", "2024-07-01", "Meeting notes on deposits")
    assert any(w.startswith("2024-07-01-notes.txt: no recognisable structure") for w in c.warnings)
    assert [p.text for p in c.passages if p.document == doc.id and p.boilerplate is None][0].startswith("Members discussed")


def test_bad_inputs_each_get_one_line_and_the_rest_loads():
    c = load_corpus(FIXTURES / "bad")
    assert {d.id for d in c.documents} == {"good", "memo", "cp1252", "declared"}
    reasons = {s.path: s.reason for s in c.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.md"] == "empty file"
    assert reasons["gone.txt"] == "listed in corpus.json but not found"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["notes.pdf"].startswith("a PDF that cannot be read")  # not really a PDF
    assert reasons["corpus.json"] == 'document entry 4 has no "file"'
    assert ".hidden.txt" not in reasons and ".hidden.txt" not in c.files
    warnings = "\n".join(c.warnings)
    assert "good.txt: bad date '2023-13-45'" in warnings
    assert "memo.txt: unknown kind 'memo'" in warnings
    assert "cp1252.txt: not valid UTF-8" in warnings and "read as cp1252" in warnings
    assert "declared.txt: not valid UTF-8" in warnings and "iso8859-7" in warnings
    assert all("\n" not in w for w in c.warnings)
    assert c.document("good").date is None and c.document("memo").kind == "plain"
    assert c.document("cp1252").encoding == "cp1252"
    cp = " ".join(p.text for p in c.passages if p.document == "cp1252")
    assert "“deposits are the barrier” – and nobody pays them…" in cp
    assert "Ελληνικά" in " ".join(p.text for p in c.passages if p.document == "declared")
    assert c.fingerprint == corpus_fingerprint(FIXTURES / "bad")


def test_malformed_manifest_is_an_error_naming_file_and_line():
    with pytest.raises(CorpusError, match=r"corpus\.json:3: malformed manifest"):
        load_corpus(FIXTURES / "malformed_manifest")


def test_nothing_loadable_and_missing_folder_are_errors(tmp_path):
    with pytest.raises(CorpusError, match="no loadable document"):
        load_corpus(FIXTURES / "nothing_loadable")
    with pytest.raises(CorpusError, match="not found"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no loadable document"):
        load_corpus(tmp_path)
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(tmp_path / "file.txt")


def test_fingerprint_changes_with_content_and_new_files(tmp_path):
    root = tmp_path / "c"
    shutil.copytree(FIXTURES / "mixed", root)
    before = corpus_fingerprint(root)
    assert load_corpus(root).fingerprint == before
    (root / "turns-array.json").write_text('[{"speaker": "A B", "text": "changed"}]', encoding="utf-8")
    changed = corpus_fingerprint(root)
    assert changed != before
    (root / "new.md").write_text("A new note about deposits and homes.\n", encoding="utf-8")
    assert corpus_fingerprint(root) != changed
    assert load_corpus(root).fingerprint == corpus_fingerprint(root)


def test_bom_utf16_toml_manifest_and_duplicate_ids(tmp_path):
    (tmp_path / "corpus.toml").write_text(
        'format = 1\ntitle = "T"\n[[documents]]\nfile = "a.txt"\nid = "same"\nkind = "transcript"\n'
        '[[documents]]\nfile = "b.txt"\nid = "same"\n',
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_bytes(codecs.BOM_UTF8 + "Ann Lee AM: Hello there.\n\nBob Ray: Hi.\n".encode("utf-8"))
    (tmp_path / "b.txt").write_bytes("A note in UTF-16.\n".encode("utf-16"))
    c = load_corpus(tmp_path)
    assert c.title == "T"
    a, b = c.documents
    assert (a.id, a.encoding) == ("same", "utf-8-sig")
    assert b.id == "same-2" and b.encoding == "utf-16"
    assert any("id 'same' is already used" in w for w in c.warnings)
    first = next(p for p in c.passages if p.document == "same")
    text = (tmp_path / "a.txt").read_bytes()[3:].decode("utf-8")
    assert text[first.start : first.end] == "Ann Lee AM: Hello there."


def test_unreadable_file_and_unparseable_json_are_skipped(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text("Ann Lee AM: Hello.\n\nBob Ray AM: Hi.\n", encoding="utf-8")
    (tmp_path / "locked.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "broken.json").write_text('[{"speaker": "A", "text": "x"},,]', encoding="utf-8")
    real = os.open

    def locked_open(path, flags, *args, **kwargs):
        if os.fspath(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", locked_open)  # root reads even mode 000 files
    c = load_corpus(tmp_path)
    assert [d.id for d in c.documents] == ["ok"]
    reasons = {s.path: s.reason for s in c.skipped}
    assert reasons["locked.txt"] == "unreadable: Permission denied"
    assert reasons["broken.json"].startswith("no passages found (malformed JSON at line 1")
    assert "locked.txt" not in c.files
    assert c.fingerprint == corpus_fingerprint(tmp_path)


def test_loading_reports_progress_file_by_file():
    calls = []
    c = load_corpus(FIXTURES / "mixed", progress=lambda stage, done, total: calls.append((stage, done, total)))
    total = calls[-1][2]
    assert calls[-1] == ("reading documents", total, total) and total >= len(c.documents)
    assert [d for _, d, _ in calls] == list(range(total + 1))
