"""The fast CSV path (pandas' C parser over the mapped columns) gives exactly what the csv
module's row-by-row path gives: the same tables, rows, source rows, values and findings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from valuelib import readers
from valuelib.ingest import load

ROOT = Path(__file__).resolve().parents[1]
HEAD = "ticket,opened,resolved,hours,work_type,service,channel,technician\n"
ROW = "T{n},2026-0{m}-1{d},2026-0{m}-2{d},1.5,incident,CRM,phone,note {n}\n"


def _rows(count: int, start: int = 1) -> str:
    return "".join(ROW.format(n=n, m=1 + n % 3, d=n % 9) for n in range(start, start + count))


# (name, bytes, whether the fast path may read it)
CASES = [
    ("servicenow.csv", (ROOT / "tests/data/servicenow_incident_log_sample.csv").read_bytes(),
     True),
    ("blank_lines.csv", (HEAD + _rows(3) + "\n\n" + _rows(3, 10) + "\n  \n" + _rows(2, 20)
                         + "\n\n").encode(), True),
    ("quoted_newline.csv", (HEAD + _rows(2) + 'T9,2026-01-11,2026-01-12,2,incident,CRM,phone,'
                            '"two\nlines, and ""quotes"""\n' + _rows(2, 30)).encode(), True),
    ("all_quoted.csv", "".join('"' + line.replace(",", '","') + '"\n' for line in
                               (HEAD + _rows(5)).splitlines()).replace(
        '"note 3"', '"note, ""three""\r\non two lines"').encode(), True),
    ("crlf.csv", (HEAD + _rows(4)).replace("\n", "\r\n").encode(), True),
    ("semicolon.csv", (HEAD + _rows(4)).replace(",", ";").replace("1.5", "1,5").encode(), True),
    ("tab.tsv", (HEAD + _rows(4)).replace(",", "\t").encode(), True),
    ("cp1252.csv", (HEAD + _rows(2) + "T8,2026-01-11,2026-01-12,2,incident,Caf\xe9 "
                    "\u20ac,phone,na\xefve\n").encode("cp1252"), True),
    ("utf8_bom.csv", ("\ufeff" + HEAD + _rows(2) + "T8,2026-01-11,,?,incident,Café,NULL,n/a\n")
     .encode(), True),
    ("title_row.csv", ("Northwind support log\n" + HEAD + _rows(3)).encode(), True),
    ("short_rows.csv", (HEAD + _rows(2) + "T7,2026-01-11\n" + _rows(2, 40)).encode(), True),
    ("total_row.csv", (HEAD + _rows(3) + ",,,4.5,,,,Total\n").encode(), True),
    ("ragged.csv", (HEAD + _rows(2) + "T7,2026-01-11,2026-01-12,1,incident,CRM,phone,x,extra,"
                    "more\n" + _rows(2, 50)).encode(), True),
    ("inch_marks.csv", (HEAD + _rows(2) + 'T7,2026-01-11,2026-01-12,1,incident,CRM,phone,'
                        'monitor 24" and 27"\nT8,2026-01-11,2026-01-12,1,incident,"CRM"x,'
                        'phone, "spaced"\n' + _rows(2, 70)).encode(), True),
    ("ragged_late.csv", (HEAD + _rows(30) + "T7,2026-01-11,2026-01-12,1,incident,CRM,phone,x,"
                         "extra,more\n" + _rows(2, 50)).encode(), True),
    ("ragged_first.csv", (HEAD + "T7,2026-01-11,2026-01-12,1,incident,CRM,phone,x,extra\n"
                          + _rows(30)).encode(), True),
    ("unbalanced_quote.csv", (HEAD + _rows(2) + 'T7,2026-01-11,2026-01-12,1,incident,"CRM,x\n'
                              + _rows(2, 60)).encode(), False),
    ("lone_cr.csv", (HEAD + _rows(2) + "T7,2026-01-11,2026-01-12,1,incident,CRM\r,phone,x\n"
                     ).encode(), False),
    ("nul_late.csv", (HEAD + _rows(200) + "T7,2026-01-11,2026-01-12,1,incident,CRM,phone,\x00\n"
                      ).encode(), False),
] + [(path.name, path.read_bytes(), None) for path in sorted((ROOT / "tests/golden").glob("*.csv"))]


def _same(fast, slow) -> None:
    assert [(f.code, f.sheet, f.row, f.column, f.message, f.value) for f in fast.findings] == \
        [(f.code, f.sheet, f.row, f.column, f.message, f.value) for f in slow.findings]
    assert fast.tables.keys() == slow.tables.keys()
    for key in fast.tables:
        pd.testing.assert_frame_equal(fast.tables[key], slow.tables[key], check_exact=True)


@pytest.mark.parametrize(("name", "data", "fast"), CASES, ids=[c[0] for c in CASES])
def test_fast_and_slow_csv_paths_agree(name, data, fast, monkeypatch):
    def lazy(sheets) -> bool:
        return any(isinstance(sheet.cells, readers.CsvText) for sheet in sheets)

    if fast is not None:
        assert lazy(readers.read_file(name, data).sheets) == fast
    got = load([(name, data)])
    monkeypatch.setattr(readers, "_fast_ok", lambda data: False)
    assert not lazy(readers.read_file(name, data).sheets)
    _same(got, load([(name, data)]))


def test_fast_path_reads_every_row_of_the_body():
    data = (HEAD + _rows(3) + "\n" + _rows(2, 10)).encode()
    support = load([("support.csv", data)]).tables["support"]
    # header is row 1; the blank line is row 5 and is dropped as an empty row
    assert support["source_row"].tolist() == [2, 3, 4, 6, 7]


def test_a_long_quoted_field_across_lines_never_raises():
    """A quoted field spanning short lines but past csv's field limit is refused with a
    finding (never csv.Error), and a CsvText's whole rows never raise either."""
    note = "\n".join("x" * 40_000 for _ in range(4))  # short lines, one long field
    text = "quarter,service,amount,note\n2026-Q3,CRM,10,\"" + note + "\"\nTotal,,10,\n"
    dataset = load([("long_note.csv", text.encode())])
    assert [f.code for f in dataset.findings] == ["FILE_TOO_LARGE"]
    kept = readers.CsvText(text.encode(), text, "utf-8", ",", [["quarter", "service"]])
    rows = kept.rows()  # csv alone would raise here: the C parser's rows instead
    assert rows[-1][0] == "Total"
