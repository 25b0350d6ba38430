"""Fuzzing the field parser: on any list of strings and nulls encoded as Kaggle encodes it, `parse_field` gives
exactly what the seed's `" ".join(eval(text, {"null": ""}))` gives; on anything else it raises `BadField` and runs
nothing. The `json` mode is checked against json.loads with lone surrogates replaced."""
import json, re, warnings
from pathlib import Path
from hypothesis import given, settings, strategies as st, HealthCheck
import pytest

from gemma_arena.data import parse_field, BadField

# any code point, surrogates included (the data has escaped emoji halves), plus the characters that need escaping
chars = st.one_of(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()),
                  st.sampled_from(list('\\"/\n\t\r\b\f\x00\ud83d\ude00')))
turns = st.lists(st.one_of(st.none(), st.text(chars, max_size=30)), max_size=6)


def kaggle_json(items, ascii_only, escape_slash):
    "A field as the competition's files hold it: JSON, with `null` for None, sometimes `\\/`-escaped."
    text = json.dumps(items, ensure_ascii=ascii_only)
    return text.replace("/", "\\/") if escape_slash else text


def seed_oracle(text):
    "The seed's own expression. Only called on text made by `kaggle_json`, which is a plain list display."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return " ".join(eval(text, {"null": ""}))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns, st.booleans(), st.booleans())
def test_seed_mode_equals_eval(items, ascii_only, escape_slash):
    text = kaggle_json(items, ascii_only, escape_slash)
    try: expected = seed_oracle(text)
    except (SyntaxError, ValueError):  # e.g. a raw NUL character: eval refuses it, so must we
        with pytest.raises(BadField): parse_field(text)
        return
    assert parse_field(text) == expected


surrogate = re.compile("[\ud800-\udfff]")


@settings(max_examples=400, deadline=None)
@given(turns, st.booleans(), st.booleans())
def test_json_mode_is_proper_unicode(items, ascii_only, escape_slash):
    text = kaggle_json(items, ascii_only, escape_slash)
    expected = " ".join(surrogate.sub("\ufffd", t) if t else "" for t in json.loads(text))
    assert parse_field(text, "json") == expected
    assert not surrogate.search(parse_field(text, "json"))


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list('[]"\\,nul ()_.:abc0123\'{}x\ud83d')), max_size=40))
def test_garbage_gives_text_or_bad_field(text):
    for mode in ["seed", "json"]:
        try: assert isinstance(parse_field(text, mode), str)
        except BadField: pass


@settings(max_examples=200, deadline=None)
@given(turns.filter(bool), st.sampled_from(["3", "true", "None", "[\"x\"]", "{}", "f'x'", "b'x'", "x.y", "print(1)"]), st.integers(0, 5))
def test_a_non_string_item_is_a_bad_field(items, intruder, at):
    text = kaggle_json(items, True, False)
    elements = text[1:-1].split(", ") if len(items) else []
    bad = "[" + ", ".join(elements[:at] + [intruder] + elements[at:]) + "]"
    with pytest.raises(BadField): parse_field(bad)


def test_code_is_never_run(tmp_path):
    marker = tmp_path / "PWNED"
    for text in [f"__import__('pathlib').Path({str(marker)!r}).touch()", f"[__import__('pathlib').Path({str(marker)!r}).touch()]",
                 f"[f\"{{__import__('pathlib').Path({str(marker)!r}).touch()}}\"]", "[(lambda: 1)()]", "[*range(3)]"]:
        with pytest.raises(BadField): parse_field(text)
    assert not marker.exists()
