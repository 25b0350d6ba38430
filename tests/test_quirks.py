"""A corpus of malformed and quirky input files, made in tmp_path. Each is either read with every id once, exactly as
written, and the expected text, or refused with one short line that names the file (and the row and column, where
there is one). The same holds through the console script for a few of them: exit 0 with each id once in the
submission, or exit 2 with one `gemma-arena: error:` line and no traceback."""
import csv, gzip, io, json, random, subprocess, sys, zipfile
from pathlib import Path
import pandas as pd, pyarrow as pa, pyarrow.parquet as pq, pytest

from gemma_arena.data import ArenaFileError, load_arena, text_columns

COLUMNS = ["id", *text_columns]


def table(rows, header=COLUMNS, sep=",", newline="\n")->str:
    "CSV text of `rows` (fields as stored, e.g. `'[\"Hi\"]'`), quoted as the competition's files are."
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=newline)
    w.writerow(header); w.writerows(rows)
    return buf.getvalue()


def good(n): return [[str(i), f'["p{i}"]', f'["a{i}"]', f'["b{i}"]'] for i in range(1, n + 1)]
def texts(n): return {str(i): [f"p{i}", f"a{i}", f"b{i}"] for i in range(1, n + 1)}


def writes(data): return lambda p: p.write_bytes(data)
def parquet(**columns): return lambda p: pq.write_table(pa.table(columns), p)
def ok(ids, texts=None, **kw): return dict(ids=ids, texts=texts or {}, kw=kw)
def err(found, **kw): return dict(error=found, kw=kw)


def zipped(data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z: z.writestr("test.csv", data)
    return buf.getvalue()


GOOD = table(good(3))
LIST_ITEMS = [["a\\/b", None], ["😀 and é", "\\ud83d"], ['say "hi"\n', "a/b"]]
ODD_IDS = ["007", "0x1", "1e3", " 7", "7", "7 ", "NA", "null", "-0"]
BIG = "x" * 1_000_000
BAD_BYTE = table([["1", '["é ok"]', '["a"]', '["b"]']]).encode() + b'2,"[""caf\xe9""]",[],[]\n3,[],[],[]\n'  # one field

CASES = {
    # not a table at all
    "missing.csv": (lambda p: None, err("no such file; expected a competition CSV or parquet file with columns id, prompt")),
    "folder.csv": (lambda p: p.mkdir(), err("a directory, not a file")),
    "empty.csv": (writes(b""), err("an empty file (0 bytes)")),
    "blank.csv": (writes(b"\n  \n"), err("an empty file (4 bytes)")),
    "junk.csv": (writes(random.Random(0).randbytes(3000)), err("binary data, not text")),
    "kaggle.zip": (writes(zipped(GOOD)), err("a zip archive")),
    "test.csv.gz": (writes(gzip.compress(GOOD.encode())), err("gzip-compressed data")),
    "json.csv": (writes(json.dumps([dict(zip(COLUMNS, r)) for r in good(3)]).encode()), err("JSON, not CSV")),
    "lines.csv": (writes("\n".join(json.dumps(dict(zip(COLUMNS, r))) for r in good(3)).encode()), err("JSON, not CSV")),
    "login.csv": (writes(b"<!DOCTYPE html>\n<html><body>Sign in</body></html>\n"), err("HTML or XML, not CSV")),
    "damaged.parquet": (writes(b"PAR1" + bytes(200)), err("a damaged parquet file")),
    # text, but not UTF-8
    "utf16.csv": (writes(GOOD.encode("utf-16")), err("not UTF-8 (it looks like UTF-16): save it as UTF-8")),
    "utf16le.csv": (writes(GOOD.encode("utf-16-le")), err("not UTF-8 (it looks like UTF-16): save it as UTF-8")),
    "latin1.csv": (writes(table([["1", '["café"]', '["crème"]', '["b"]']]).encode("latin-1")),
                   err("not UTF-8 (it looks like latin-1 or cp1252): save it as UTF-8")),
    "cp1252.csv": (writes(table([["1", '["“smart” quotes"]', '["a"]', '["b"]']]).encode("cp1252")),
                   err("not UTF-8 (it looks like latin-1 or cp1252)")),
    # not the competition's CSV
    "data.tsv": (writes(table(good(3), sep="\t").encode()), err("tab-separated values, not comma-separated")),
    "semicolon.csv": (writes(table(good(3), sep=";").encode()), err("semicolon-separated values, not comma-separated")),
    "header_only.csv": (writes(table([]).encode()), err("has the competition's columns but no rows: nothing to predict")),
    "no_response_b.csv": (writes(table([r[:3] for r in good(3)], COLUMNS[:3]).encode()),
                          err("missing required column(s) ['response_b']; found ['id', 'prompt', 'response_a']")),
    "ragged.csv": (writes((GOOD + '4,["p, q"],["a"],["b"],oops\n').encode()),
                   err("not a well-formed CSV: line 5 has 6 fields where the header has 4")),
    "ragged_first.csv": (writes(table([[*good(1)[0], "extra"]]).encode()),
                         err("not a well-formed CSV: a row has more fields than the header")),
    "unclosed.csv": (writes((GOOD + '4,"[""p""]\n').encode()),
                     err("not a well-formed CSV: a quoted field that starts on line 5 never ends")),
    # ids
    "odd_ids.csv": (writes(table([[i, *r[1:]] for i, r in zip(ODD_IDS, good(9))]).encode()), ok(ODD_IDS)),
    "dup_ids.csv": (writes(table([["007", *r[1:]] for r in good(2)]).encode()), err("duplicate id(s) '007' in column 'id'")),
    "no_id.csv": (writes(table([r if r[0] != "2" else ["", *r[1:]] for r in good(3)]).encode()),
                  err("no id in column 'id' in rows 2")),
    "id_bytes.csv": (writes(GOOD.encode() + b'caf\xe9,["p"],["a"],["b"]\n'),
                     err("id(s) with bytes that are not UTF-8 in rows 4: 'caf\\udce9'")),
    # fields
    "bom.csv": (writes(GOOD.encode("utf-8-sig")), ok(["1", "2", "3"], texts(3))),
    "crlf.csv": (writes(table(good(3), newline="\r\n").encode()), ok(["1", "2", "3"], texts(3))),
    "one_bad_byte.csv": (writes(BAD_BYTE), err("id='2' column='prompt': bytes that are not UTF-8: b'\\xe9'")),
    "one_bad_byte_raw.csv": (writes(BAD_BYTE), ok(["1", "2", "3"], {"1": ["é ok", "a", "b"], "2": ["caf\ufffd", "", ""]},
                                                  on_bad_row="raw")),
    "long_field.csv": (writes(table([["1", f'["{BIG}"]', "[]", "[null]"]]).encode()), ok(["1"], {"1": [BIG, "", ""]})),
    "long_bad_field.csv": (writes(table([["1", "y" * 10**6, "[]", "[]"]]).encode()),
                           err("id='1' column='prompt': not a list: 'yyyyy")),
    "nulls.csv": (writes(table([["1", "[null]", '[null, "x"]', "[]"]]).encode()), ok(["1"], {"1": ["", " x", ""]})),
    "null_literal.csv": (writes(table([*good(1), ["2", "null", "null", "null"]]).encode()),
                         err("id='2' column='prompt': not a list: 'null'")),
    "null_literal_raw.csv": (writes(table([*good(1), ["2", "null", "null", "null"]]).encode()),
                             ok(["1", "2"], {"2": ["null"] * 3}, on_bad_row="raw")),
    "surrogates.csv": (writes(table([["1", r'["\ud83d!"]', r'["\ud83d\ude00"]', r'["a\/b"]']]).encode()),
                       ok(["1"], {"1": ["\ud83d!", "\ud83d\ude00", "a\\/b"]})),
    "surrogates_json.csv": (writes(table([["1", r'["\ud83d!"]', r'["\ud83d\ude00"]', r'["a\/b"]']]).encode()),
                            ok(["1"], {"1": ["\ufffd!", "😀", "a/b"]}, text_mode="json")),
    # parquet
    "lists.parquet": (parquet(id=["1", "2", "3"], **{c: [LIST_ITEMS[k], [], None] for k, c in enumerate(text_columns)}),
                      err("id='3' column='prompt': empty cell")),
    "lists_raw.parquet": (parquet(id=["1", "2", "3"], **{c: [LIST_ITEMS[k], [], None] for k, c in enumerate(text_columns)}),
                          ok(["1", "2", "3"], {"1": ["a\\/b ", "\ud83d\ude00 and é \\ud83d", 'say "hi"\n a/b'],
                                               "2": ["", "", ""], "3": ["", "", ""]}, on_bad_row="raw")),
    "int_ids.parquet": (parquet(id=[7, 8, 9], **{c: ['["x"]', '["y"]', "[]"] for c in text_columns}), ok([7, 8, 9])),
    "one_row.csv": (writes(table(good(1)).encode()), ok(["1"], texts(1))),
    "str_ids.parquet": (parquet(id=["007", " 7"], **{c: ['["x"]', '["y"]'] for c in text_columns}), ok(["007", " 7"])),
    "nan_ids.parquet": (parquet(id=[1.0, None], **{c: ['["x"]', '["y"]'] for c in text_columns}),
                        err("no id in column 'id' in rows 2")),
    "int_prompt.parquet": (parquet(id=["1"], prompt=[5], response_a=['["a"]'], response_b=['["b"]']),
                           err("id='1' column='prompt': not text but int: 5")),
    "int_items.parquet": (parquet(id=["1"], prompt=[list(range(1000))], response_a=['["a"]'], response_b=['["b"]']),
                          err("id='1' column='prompt': list item is not a string or null: np.int64(0)")),
    "csv_named.parquet": (writes(GOOD.encode()), ok(["1", "2", "3"], texts(3))),
}


@pytest.mark.parametrize("name", CASES)
def test_load_arena_reads_or_names_the_problem(tmp_path, name):
    make, expect = CASES[name]
    path = tmp_path / name
    make(path)
    if "error" in expect:
        with pytest.raises(ArenaFileError) as e: load_arena(path, **expect["kw"])
        msg = str(e.value)
        assert "\n" not in msg and len(msg) < 400 and str(path) in msg, msg
        assert expect["error"] in msg, msg
    else:
        df = load_arena(path, **expect["kw"])
        assert list(df["id"]) == expect["ids"]
        got = dict(zip(df["id"], df[text_columns].values.tolist()))
        for id_, want in expect["texts"].items(): assert got[id_] == want, id_


@pytest.mark.parametrize("mode", ["seed", "json"])
def test_list_fields_read_as_their_json_dumps_csv_form(tmp_path, mode):
    "A list-typed parquet gives the same text as the CSV whose fields are `json.dumps` of the lists."
    lists = {c: [LIST_ITEMS[k], [None], ["plain"]] for k, c in enumerate(text_columns)}
    pq.write_table(pa.table(dict(id=["1", "2", "3"], **lists)), tmp_path / "l.parquet")
    rows = [[i, *(json.dumps(lists[c][r]) for c in text_columns)] for r, i in enumerate(["1", "2", "3"])]
    (tmp_path / "l.csv").write_text(table(rows))
    from_lists = load_arena(tmp_path / "l.parquet", text_mode=mode)
    assert from_lists.values.tolist() == load_arena(tmp_path / "l.csv", text_mode=mode).values.tolist()
    emoji = "\ud83d\ude00" if mode == "seed" else "😀"
    assert from_lists["response_a"][0] == f"{emoji} and é \\ud83d"


# ---------------------------------------------------------------------------------- the same files, through the CLI
CLI_CASES = ["odd_ids.csv", "bom.csv", "one_bad_byte_raw.csv", "lists_raw.parquet", "int_ids.parquet", "one_row.csv",
             "empty.csv", "header_only.csv", "data.tsv", "utf16.csv"]


@pytest.mark.parametrize("name", CLI_CASES)
def test_demo_reads_or_exits_2_with_one_line(tmp_path, name):
    make, expect = CASES[name]
    path, out = tmp_path / name, tmp_path / "out" / "submission.csv"
    make(path)
    r = subprocess.run([sys.executable, "-m", "gemma_arena.cli", "demo", "--data", str(path), "--out", str(out),
                        "--no-progress"], capture_output=True, text=True, timeout=600)
    assert "Traceback" not in r.stderr, r.stderr
    if "error" in expect:
        assert r.returncode == 2, r.stderr
        errors = [line for line in r.stderr.splitlines() if line.startswith("gemma-arena: error:")]
        assert len(errors) == 1 and str(path) in errors[0] and expect["error"] in errors[0], r.stderr
        assert not out.exists()
    else:
        assert r.returncode == 0, r.stderr
        sub = pd.read_csv(out, dtype={"id": str}, keep_default_na=False)
        assert list(sub["id"]) == list(map(str, expect["ids"]))
        lines = out.read_text().splitlines()[1:]
        assert [line.split(",")[0] for line in lines] == list(map(str, expect["ids"]))
        probs = sub.iloc[:, 1:].to_numpy(float)
        assert ((probs > 1e-4) & (probs < 1)).all(), "plausible probabilities, on any number of rows"
        assert "tiny RANDOM Gemma-2" in r.stderr
