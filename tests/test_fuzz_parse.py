"""Fuzz tests of `gemma_arena.data.parse_field` against its contract.

- mode "seed": exactly `" ".join(eval(text, {"null": ""}))` whenever that `eval` gives a list whose items are all str
  (so `\\/` stays backslash + slash and `\\ud83d\\ude00` stays two surrogate code units); otherwise `BadField`, a
  `ValueError`. It never runs code.
- mode "json": `json.loads`; a list of str and None, joined by " " with None as ""; escaped surrogate pairs become the
  real character and lone surrogates U+FFFD; anything else raises `BadField`.

The oracles:
- Texts from our own JSON encoder (lists of `str | None` through `json.dumps`, ASCII-escaped or not, sometimes with
  every `/` written `\\/` as in Kaggle's files) are list displays of string literals and `null`: running the
  contract's own expression on them is safe, and it is the seed oracle. A hand-derived expectation, worked out from
  the turns alone, checks that oracle. The json oracle works from the turns too (their UTF-16 code units), not from
  `json.loads`.
- Garbage (mutated encodings, token soup, arbitrary text) is `eval`ed only when `ast` shows it holds nothing but
  constants, names and list/tuple/set/dict displays, and then with no builtins; otherwise the test only asserts that
  `parse_field` returns a str or raises `BadField`, never anything else.
- Code in a field (`__import__('os').system(...)`, `open(...)`) raises `BadField` and leaves no trace.

One reading is chosen where the contract is silent: a raw (unescaped) surrogate pair inside the text, which no UTF-8
file can hold, may come out of json mode either as the real character or as two U+FFFD.
"""
import ast, json, math, warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from gemma_arena.data import BadField, parse_field
import make_samples
from make_samples import MALFORMED, QUIRKS

FUZZ = settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
UNKNOWN = object()  # the oracle declines: the text is not provably safe to evaluate

# ------------------------------------------------------------------------------------------------ strategies
HIGH, LOW = "\ud83d", "\ude00"
PIECES = ["\\", '"', "'", "/", "\\/", "//", "\\\\", "\\u", "\\ud83d", "\\x41", "\\N{BULLET}", "\\n", "\n", "\t", "\r",
          "\r\n", "\x00", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffd", "null",
          "None", "true", "[", "]", ",", "{", "}", "#", "'''", '"""', "{null}", "caf\u00e9", "\u4e2d\u6587",
          "\u041f\u0440\u0438\u0432\u0435\u0442", "\u0645\u0631\u062d\u0628\u0627", "\u0928\u092e\u0938\u094d\u0924\u0947",
          "\u65e5\u672c\u8a9e", "\U0001F600", "\U0001F44D\U0001F3FD", "\U0010FFFF", HIGH, LOW, HIGH + LOW, LOW + HIGH,
          "\ud800", "\udbff", "\udc00", "\udfff", "https://example.com/a", "and/or", " ", "```python\nprint('hi')\n```"]
surrogate = st.integers(0xD800, 0xDFFF).map(chr)
piece = st.one_of(st.characters(), st.sampled_from(PIECES), surrogate, st.text(max_size=6))
turn = st.lists(piece, max_size=10).map("".join)
turns_st = st.lists(st.one_of(st.none(), turn), max_size=5)
encodings = st.fixed_dictionaries(dict(ensure_ascii=st.booleans(), slash=st.booleans(), compact=st.booleans(),
                                       indent=st.sampled_from([None, None, None, 0, 2])))


def encode(turns, ensure_ascii=True, slash=False, compact=False, indent=None):
    "A field as a JSON writer makes it; `slash` writes every `/` as `\\/`, as some of Kaggle's fields have it."
    text = json.dumps(turns, ensure_ascii=ensure_ascii, indent=indent, separators=(",", ":") if compact else None)
    return text.replace("/", "\\/") if slash else text


SOUP = ["[", "]", ",", ", ", " ", "\t", "\n", "\r\n", "\\\n", "# c\n", "null", "None", "True", "true", "false", "3",
        "-1", "1.5", "1e999", "NaN", "0x1F", '"a"', "'b'", '""', 'r"\\/"', 'b"x"', 'u"x"', 'f"y"', 'rb"z"', '"""q"""',
        "'''q'''", '"\\ud83d"', '"\\ude00"', '"\\/"', '"\\N{BULLET}"', '"\\x41"', '"\\777"', '"\\U0001F600"', '"\\q"',
        "...", "*", "(", ")", "{", "}", ":", "print", "null.upper()", "__name__", "__doc__", "nul", "\\", '"', "'",
        HIGH, "\u00e9", "\x00", "\ufeff"]
WRAPS = [" {}", "\t{}", "  \t{}", "\n{}", "\x0c{}", "{}\n", "{} ", "{}\t", "[{}]", "({})", "{},", "{} # c", "\\\n{}",
         "{}\x00", "\ufeff{}", "[{}", "{}]"]


@st.composite
def mutated(draw):
    "A JSON-encoded field, then one to four edits: deletions, insertions, duplications, truncations, wrappings."
    text = encode(draw(turns_st), **draw(encodings))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 8)))
        op = draw(st.sampled_from(["delete", "insert", "insert", "duplicate", "truncate", "wrap", "swap"]))
        if op == "delete": text = text[:i] + text[j:]
        elif op == "insert": text = text[:i] + draw(st.sampled_from(SOUP)) + text[i:]
        elif op == "duplicate": text = text[:j] + text[i:j] + text[j:]
        elif op == "truncate": text = text[:i]
        elif op == "wrap": text = draw(st.sampled_from(WRAPS)).replace("{}", text)
        elif op == "swap" and j - i >= 2: text = text[:i] + text[j - 1] + text[i + 1:j - 1] + text[i] + text[j:]
    return text


soup = st.lists(st.sampled_from(SOUP), max_size=12).map("".join)
garbage = st.one_of(mutated(), soup, soup.map(lambda s: f"[{s}]"), st.text(max_size=40), turn,
                    st.lists(st.sampled_from(SOUP[:45]), max_size=8).map(lambda xs: "[" + ",".join(xs) + "]"))

# ------------------------------------------------------------------------------------------------ oracles
def is_surrogate(c): return 0xD800 <= ord(c) <= 0xDFFF


def code_units(s):
    "`s` as UTF-16 code units, one str item per unit: what an ASCII JSON writer escapes it into."
    return "".join(c if ord(c) < 0x10000 else chr(0xD800 + ((ord(c) - 0x10000) >> 10)) + chr(0xDC00 + ((ord(c) - 0x10000) & 0x3FF))
                   for c in s)


def pair_up(units):
    "Adjacent high + low surrogates as the real character, every other surrogate as U+FFFD."
    out, i = [], 0
    while i < len(units):
        c = ord(units[i])
        if 0xD800 <= c <= 0xDBFF and i + 1 < len(units) and 0xDC00 <= ord(units[i + 1]) <= 0xDFFF:
            out.append(chr(0x10000 + ((c - 0xD800) << 10) + ord(units[i + 1]) - 0xDC00)); i += 2
        else:
            out.append("\ufffd" if is_surrogate(units[i]) else units[i]); i += 1
    return "".join(out)


def replace_all(s): return "".join("\ufffd" if is_surrogate(c) else c for c in s)


def as_list_of_str(out, nulls=False):
    "The joined text if `out` is a list of str (and None, when `nulls`), else BadField."
    if isinstance(out, list) and all(isinstance(t, str) or (nulls and t is None) for t in out): return out
    return BadField


def seed_oracle(text):
    "The contract's own expression. Only ever called on texts our encoder made: string literals and `null` in a list."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `\/` is an invalid escape: a DeprecationWarning (3.11), a SyntaxWarning (3.12+)
        try: out = eval(text, {"null": ""})
        except Exception: return BadField  # e.g. UnicodeEncodeError: raw surrogates cannot be compiled
    out = as_list_of_str(out)
    return out if out is BadField else " ".join(out)


def seed_by_hand(turns, ensure_ascii, slash, **_):
    "What the seed oracle must give, from the turns alone: Python keeps `\\/` and does not pair escaped surrogates."
    if not ensure_ascii and any(is_surrogate(c) for t in turns if t for c in t): return BadField
    out = [code_units(t or "") if ensure_ascii else t or "" for t in turns]
    return " ".join(t.replace("/", "\\/") if slash else t for t in out)


def json_by_hand(turns, ensure_ascii, **_):
    "The json-mode texts allowed, from the turns alone (a set: raw surrogate pairs may be paired up or replaced)."
    if ensure_ascii: return {" ".join(pair_up(code_units(t or "")) for t in turns)}
    return {" ".join(pair_up(t or "") for t in turns), " ".join(replace_all(t or "") for t in turns)}


SAFE_NODES = (ast.Expression, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Constant, ast.Name, ast.Load, ast.UnaryOp,
              ast.USub, ast.UAdd, ast.Not, ast.Invert)


def gated_seed_oracle(text):
    """The contract's `eval` for any text, where that is provably harmless: `eval` first strips leading spaces and tabs,
    so the text is parsed like that; a parse error means `eval` fails too. Texts with anything but constants, names
    and displays (calls, attributes, operators, f-strings, starred items) give UNKNOWN; so do dunder names, the only
    builtins that are str (`[__name__]` evaluates to `['builtins']`). The rest is evaluated with no builtins: any
    other name then raises NameError, as it would give a non-str item or a NameError with the real builtins."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text.lstrip(" \t"), mode="eval")
    except Exception: return BadField
    for node in ast.walk(tree):
        if not isinstance(node, SAFE_NODES) or isinstance(node, ast.Name) and node.id.startswith("__"): return UNKNOWN
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try: out = eval(text, {"__builtins__": {}, "null": ""})
        except Exception: return BadField
    out = as_list_of_str(out)
    return out if out is BadField else " ".join(out)


def json_oracle(text):
    "The json-mode texts allowed for any text: `json.loads`, then the surrogates (a set, as in `json_by_hand`)."
    try: out = as_list_of_str(json.loads(text), nulls=True)
    except (ValueError, RecursionError): return BadField
    if out is BadField: return BadField
    return {" ".join(pair_up(t or "") for t in out), " ".join(replace_all(t or "") for t in out)}


def outcome(text, mode):
    "parse_field's result, or BadField if it raised that; any other exception fails the test."
    try: out = parse_field(text, mode)
    except BadField: return BadField
    assert type(out) is str, f"parse_field returned {type(out).__name__}, not str"
    return out

# ------------------------------------------------------------------------------------------------ tests
def test_badfield_is_a_valueerror(): assert issubclass(BadField, ValueError)


KAGGLE_LIKE = [["Hi", None], [None], [""], [], ["a/b", "https://x.org/y"], ["\U0001F600 ok"], ["broken \ud83d end"],
               ["\u4e2d\u6587", "\u041f\u0440\u0438\u0432\u0435\u0442"], ["say \"hi\"\n\tdef f():\\n"], ["\ude00\ud83d"]]


@FUZZ
@given(turns_st, encodings)
@example(["Hi", None], dict(ensure_ascii=True, slash=False, compact=False, indent=None))
@example(["and/or", "C:\\x\\/y"], dict(ensure_ascii=True, slash=True, compact=False, indent=None))
@example(["\U0001F600", "lone \ud83d"], dict(ensure_ascii=True, slash=False, compact=False, indent=None))
@example(["\U0001F600", "lone \ud83d"], dict(ensure_ascii=False, slash=False, compact=False, indent=None))
@example(["\u2028\x85\x7f\ufeff"], dict(ensure_ascii=False, slash=True, compact=True, indent=2))
def test_seed_mode_is_eval_on_encoded_fields(turns, enc):
    text = encode(turns, **enc)
    expected = seed_oracle(text)
    assert expected == seed_by_hand(turns, **enc), "the oracle itself disagrees with the hand-derived text"
    assert outcome(text, "seed") == expected


@FUZZ
@given(turns_st, encodings)
@example(["Hi", None], dict(ensure_ascii=True, slash=False, compact=False, indent=None))
@example(["\U0001F600", "lone \ud83d", "\ude00\ud83d", "\ud83d\ude00"], dict(ensure_ascii=True, slash=True, compact=False, indent=None))
@example(["\U0001F600", "lone \ud83d", "\ud83d\ude00"], dict(ensure_ascii=False, slash=False, compact=False, indent=None))
def test_json_mode_on_encoded_fields(turns, enc):
    text = encode(turns, **enc)
    allowed = json_by_hand(turns, **enc)
    assert json_oracle(text) == allowed, "the two json oracles disagree"
    assert outcome(text, "json") in allowed


@pytest.mark.parametrize("turns", KAGGLE_LIKE, ids=range(len(KAGGLE_LIKE)))
def test_kaggle_like_fields(turns):
    for slash in [False, True]:
        text = encode(turns, slash=slash)
        assert parse_field(text) == parse_field(text, "seed") == seed_by_hand(turns, True, slash)
        assert parse_field(text, "json") in json_by_hand(turns, True)


@FUZZ
@given(garbage)
@example(' ["a"]')            # eval strips leading spaces and tabs
@example('\t["a", null]')
@example('["a" "b", null,]')  # implicit concatenation, trailing comma
@example('["a", # comment\n "b"]')
@example("[r'\\/', u'x']")
@example('"hello"')
@example('["abc", "de')
@example('["a", 3]')
@example('[["nested"]]')
@example('None')
@example('["ok", true]')
@example('')
@example('[nul]')
@example('[__name__]')
@example('[*null]')
@example('[f"y"]')
@example('["\\ud83d"]')
@example('["\ud83d"]')
@example('["a"]\x00')
def test_seed_mode_on_garbage(text):
    got = outcome(text, "seed")
    expected = gated_seed_oracle(text)
    if expected is not UNKNOWN: assert got == expected


@FUZZ
@given(garbage)
@example('["a", NaN]')
@example(' ["a"] ')
@example('["\\ud83d\\ude00", "\\ude00\\ud83d"]')
@example('["\\ud83d' + LOW + '"]')
@example("['single']")
@example('["a", null]')
@example('{"a": ["b"]}')
@example('["a\nb"]')
def test_json_mode_on_garbage(text):
    got = outcome(text, "json")
    expected = json_oracle(text)
    assert (got is BadField) if expected is BadField else (got in expected)


PAYLOADS = [
    "__import__('os').system('touch {p}')",
    "[__import__('os').system('touch {p}')]",
    " [__import__('os').system('touch {p}')]",
    "(lambda: __import__('os').system('touch {p}'))()",
    "[open('{p}', 'w').write('pwned')]",
    "[open('{p}').read()]",
    "[null, __import__('pathlib').Path('{p}').touch()]",
    "[\"ok\", exec(\"open('{p}', 'w').close()\")]",
    "[*map(str, [open('{p}', 'w')])]",
    "[f\"{__import__('os').system('touch {p}')}\"]",
    "[\"a\" if __import__('os').system('touch {p}') else \"b\"]",
    "[str(__import__('os').system('touch {p}'))]",
    "[(lambda: open('{p}', 'w').close() or 'x')()]",
]


@pytest.mark.parametrize("mode", ["seed", "json"])
@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_code_in_a_field_is_never_run(tmp_path, payload, mode):
    marker = tmp_path / "PWNED_x"
    with pytest.raises(BadField): parse_field(payload.replace("{p}", str(marker)), mode)
    assert not marker.exists()
    assert not Path("PWNED_x").exists()

# ------------------------------------------------------------------------------------------------ the bundled samples
def read_sample(name):
    return pd.read_csv(make_samples.HERE / f"sample_{name}.csv", dtype=object, keep_default_na=False, na_values=[""])


TEXT_COLUMNS = ["prompt", "response_a", "response_b"]


@pytest.mark.parametrize("name", ["test", "train"])
def test_sample_fields_parse_as_the_contract_says(name):
    df = read_sample(name)
    for col in TEXT_COLUMNS:
        for id_, raw in zip(df["id"], df[col]):
            expected = gated_seed_oracle(raw)
            assert expected is not UNKNOWN and expected is not BadField, (id_, col)
            assert parse_field(raw, "seed") == expected, (id_, col)
            assert parse_field(raw, "json") in json_oracle(raw), (id_, col)


def test_sample_quirks_come_out_as_each_mode_says():
    df = read_sample("test").assign(id=lambda d: d["id"].astype(int)).set_index("id")
    texts = lambda i, mode: [parse_field(df.loc[i, c], mode) for c in TEXT_COLUMNS]
    (lone,) = QUIRKS["lone_surrogate"]
    assert any(HIGH in t for t in texts(lone, "seed"))
    assert any("\ufffd" in t for t in texts(lone, "json")) and not any(is_surrogate(c) for t in texts(lone, "json") for c in t)
    for i in QUIRKS["emoji"]:
        assert any(ord(c) > 0xFFFF for t in texts(i, "json") for c in t), i
        assert not any(ord(c) > 0xFFFF for t in texts(i, "seed") for c in t), i
    for i in QUIRKS["slash_escape"]:
        # every `/` of the row is written `\/`: seed text keeps the backslash before each one, json text drops it
        seed, js = "\0".join(texts(i, "seed")), "\0".join(texts(i, "json"))
        assert seed.count("\\/") == js.count("/") > 0 and seed.count("/") == js.count("/"), i
    for i in QUIRKS["identical"]: assert df.loc[i, "response_a"] == df.loc[i, "response_b"], i


def test_malformed_sample_raises_exactly_where_listed():
    df = read_sample("malformed")
    assert set(MALFORMED) <= set(df["id"].astype(int))
    assert any(isinstance(v, float) and math.isnan(v) for c in TEXT_COLUMNS for v in df[c]), "the empty cell should read as NaN"
    for id_, row in zip(df["id"].astype(int), df.to_dict("records")):
        for col in TEXT_COLUMNS:
            raw = row[col]
            for mode in ["seed", "json"]:
                if MALFORMED.get(id_, (None,))[0] == col:
                    with pytest.raises(BadField): parse_field(raw, mode)
                else:
                    assert isinstance(parse_field(raw, mode), str), (id_, col, mode)
    assert not Path("x").exists()
