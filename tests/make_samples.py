"""How the bundled sample files were made: `python tests/make_samples.py` rewrites them, identically.

The rows are written by us (not copied from Kaggle) in the competition's schema and encoding: each text field is a
JSON list of turns as Kaggle's CSVs have them (`json.dumps(turns, ensure_ascii=True)`, then the CSV written like
pandas' `to_csv(index=False)`), so non-ASCII is stored as `\\uXXXX` escapes, emoji as escaped surrogate pairs
(`\\ud83d\\ude00`), and in some rows every `/` as `\\/` (about 10% of the real data's fields contain `\\/`). Every
field of the test and train files is valid JSON *and* a Python list display that `eval(text, {"null": ""})` turns
into a list of str. Nothing is random: the long texts come from sentence templates and a seeded `random.Random`.

- `sample_test.csv` (test schema, 40 rows): the data's quirks; `QUIRKS` maps each quirk to the ids that have it.
- `sample_train.csv` (train schema, 24 rows): the first 24 of those conversations with invented model names, fresh
  ids and exactly one winner column set to 1 per row.
- `sample_malformed.csv` (test schema): good rows and rows with one broken field each; `MALFORMED` says which id is
  broken in which column, and how. Some broken fields are code that a parser must never run:
      5100001 prompt      "hello"                                    a bare string, not a list
      5100002 response_a  ["abc", "de                                a truncated list
      5100003 response_b  ["a", 3]                                   a list holding a number
      5100004 prompt      [["nested"]]                               a nested list
      5100005 response_a  __import__('os').system('echo pwned > x')  a Python expression that must never run
      5100006 response_b  [open('x', 'w').write('pwned')]            a call inside a list that must never run
      5100007 prompt      (empty cell: NaN once read by pandas)      an empty cell
      5100008 response_a  None                                       the word None
      5100009 response_b  ["ok", true]                               a JSON true
"""
import ast, csv, json, random, re, warnings
from pathlib import Path

HERE = Path(__file__).parents[1] / "gemma_arena" / "samples"  # where the package ships them
TEST_COLUMNS = ["id", "prompt", "response_a", "response_b"]
TEXT_COLUMNS = TEST_COLUMNS[1:]
TRAIN_COLUMNS = ["id", "model_a", "model_b", "prompt", "response_a", "response_b", "winner_model_a", "winner_model_b", "winner_tie"]

# ------------------------------------------------------------------------------------------------ long prose
OPENERS = ["", "", "", "However, ", "In practice, ", "Meanwhile, ", "As a result, ", "On the other hand, ", "Later that year, ",
           "To be fair, ", "Surprisingly, ", "For what it is worth, "]
SUBJECTS = ["the committee", "a careful engineer", "the old river", "every good teacher", "the city council",
            "a patient gardener", "the research team", "my grandmother", "the small startup", "a migrating flock",
            "the night-shift nurse", "the village baker", "an amateur astronomer", "the harbour master", "the new intern"]
VERBS = ["reviewed", "questioned", "rebuilt", "described", "measured", "ignored", "celebrated", "documented",
         "simplified", "revisited", "rediscovered", "argued about", "sketched", "tested", "explained"]
OBJECTS = ["the budget for the new bridge", "the shape of the valley floor", "a forgotten recipe for rye bread",
           "the rules of the regional chess tournament", "every input/output of the billing system",
           "the map of the northern coast", "a proof that seemed far too short", "the schedule for the apple harvest",
           "the cost of heating the town hall", "a list of birds heard before dawn", "the speed limit of 30 km/h",
           "the causes of the 1929 crash", "the wiring of the lighthouse lamp", "a theory about compound interest"]
CLAUSES = ["before the winter storms arrived", "because nobody else had the time", "although the results were mixed",
           "while the others argued about costs", "so that future readers could follow along",
           "and/or wrote a short report about it", "with more patience than anyone expected",
           "after a long and rather tedious meeting", "using nothing but a pencil and a ruler",
           "even though the data were incomplete", "as the tide slowly went out", "in under an hour"]


def long_text(seed, n_chars):
    "Deterministic varied English prose of at least `n_chars` characters, in paragraphs."
    rng, paragraphs = random.Random(seed), []
    while sum(map(len, paragraphs)) < n_chars:
        sentences = []
        for _ in range(rng.randint(4, 8)):
            s = f"{rng.choice(OPENERS)}{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CLAUSES)}."
            sentences.append(s[0].upper() + s[1:])
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


CODE_PROMPT = "Write a Python function that splits a Windows path and show how to print it with tabs."
CODE_ANSWER = ('Here is one way:\n\n```python\nimport re\n\ndef split_path(p: str) -> list[str]:\n'
               '    """Split C:\\\\Users\\\\me into its parts."""\n    return re.split(r"[\\\\/]+", p)\n\n'
               'parts = split_path("C:\\\\Users\\\\me\\\\notes.txt")\nprint("\\t".join(parts))  # tab-separated\n'
               "print('it\\'s \"quoted\"')\n```\n\nOutput:\n\nC:\tUsers\tme\tnotes.txt\nit's \"quoted\"\n\n"
               "The regex `[\\\\/]+` matches backslashes and forward slashes.")
CODE_OTHER = 'Use `pathlib`:\n\n```python\nfrom pathlib import PureWindowsPath\nprint(PureWindowsPath(r"C:\\Users\\me").parts)\n```'

# ------------------------------------------------------------------------------------------------ the test rows
# (prompt turns, response_a turns, response_b turns, write `/` as `\/`, hand-given quirk names). Quirks that can be
# read off the data (slash_escape, emoji, long, identical, multi_turn, ...) are found by `quirks_of`, not given here.
ROWS = [
    (["What is the capital of France?"], ["The capital of France is Paris."], ["Paris."], False, ["short"]),
    (["Explain recursion briefly.", "Now give an example in Python.", "What happens with n = 0?"],
     ["Recursion is when a function calls itself.", "def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)",
      "fact(0) returns 1, the empty product."],
     ["A function that solves a problem by solving smaller copies of it.", "See the factorial: `fact(5) == 120`.", None],
     False, ["code"]),
    (["Hi", "Are you there?"], ["Hello! How can I help?", None], ["Hi there!", "Yes, I'm here."], False, []),
    (["Tell me a joke."], [None], ["Why did the scarecrow win an award? He was outstanding in his field."], False, ["null_response"]),
    (["Say nothing."], [""], ["..."], False, ["empty_string"]),
    (["Reply with an empty list."], [], ["[]"], False, []),
    (["What does and/or mean?"], ["\"and/or\" means either or both."], ["It is a legal shorthand: A and/or B."], True, []),
    (["Give me the URL of the Python docs."], ["https://docs.python.org/3/"], ["Visit https://www.python.org/doc/ for docs."], True, []),
    (["Send me a smiley"], ["Here you go: \U0001F600"], ["\U0001F44D\U0001F3FD Done!"], False, []),
    (["Rate this: \U0001F680 to the moon"], ["\U0001F680\U0001F319 Nice!"], ["5/5 \u2b50\u2b50\u2b50\u2b50\u2b50"], True, []),
    (["\u4f60\u597d\uff0c\u4f60\u662f\u8c01\uff1f"], ["\u6211\u662f\u4e00\u4e2a\u4eba\u5de5\u667a\u80fd\u52a9\u624b\u3002"], ["\u4f60\u597d\uff01\u6211\u662f\u804a\u5929\u673a\u5668\u4eba\u3002"], False, ["non_latin"]),
    (["\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430?"], ["\u0425\u043e\u0440\u043e\u0448\u043e, \u0441\u043f\u0430\u0441\u0438\u0431\u043e!"], ["\u0412\u0441\u0451 \u043e\u0442\u043b\u0438\u0447\u043d\u043e."], False, ["non_latin"]),
    (["\u0645\u0627 \u0647\u064a \u0639\u0627\u0635\u0645\u0629 \u0645\u0635\u0631\u061f"], ["\u0627\u0644\u0642\u0627\u0647\u0631\u0629."], ["\u0639\u0627\u0635\u0645\u0629 \u0645\u0635\u0631 \u0647\u064a \u0627\u0644\u0642\u0627\u0647\u0631\u0629."], False, ["non_latin"]),
    (["\u0928\u092e\u0938\u094d\u0924\u0947, \u0906\u092a \u0915\u0948\u0938\u0947 \u0939\u0948\u0902?"], ["\u092e\u0948\u0902 \u0920\u0940\u0915 \u0939\u0942\u0901\u0964"], ["\u0928\u092e\u0938\u094d\u0924\u0947!"], False, ["non_latin"]),
    (["\u65e5\u672c\u306e\u9996\u90fd\u306f\u3069\u3053\u3067\u3059\u304b\uff1f"], ["\u6771\u4eac\u3067\u3059\u3002"], ["\u65e5\u672c\u306e\u9996\u90fd\u306f\u6771\u4eac\u3067\u3059\u3002\U0001F5FC"], False, ["non_latin"]),
    (["Write a long essay about rivers."], [long_text(1, 15000)], ["Rivers are important."], False, []),
    (["Summarise the history of bridges in detail."], ["Bridges began as logs."], [long_text(2, 17000)], True, []),
    (["Tell me everything about orchards.", "More, please."], [long_text(3, 7000), long_text(4, 7000)], [long_text(5, 5000)], False, []),
    (["Repeat after me: hello"], ["hello"], ["hello"], False, []),
    (["Which is larger, 2 or 3?"], ["3 is larger than 2."], ["3 is larger than 2."], False, []),
    (["Quote this: \"to be\" \\ or not"], ["He said \"to be\" \\ or not."], ["'to be' or not"], False, ["quotes_backslash"]),
    (["Tab\tseparated\tvalues?"], ["Yes:\ta\tb\tc"], ["Use csv.reader(f, delimiter='\\t')"], False, ["quotes_backslash", "code"]),
    (["broken emoji"], ["cut in half: \ud83d end"], ["fine \U0001F600"], False, ["lone_surrogate"]),
    (["2+2?"], ["4"], ["Four."], False, ["short"]),
    (["Name a prime."], ["7"], ["2 is the only even prime."], False, ["short"]),
    (["Translate 'cat' to Spanish."], ["gato"], ["El gato."], False, ["short"]),
    (["What's 10% of 250?"], ["25"], ["10% of 250 is 25 (250 / 10)."], True, []),
    (["Is the sky blue?", "Why?", "And at sunset?", "Thanks!"],
     ["Usually, yes.", "Rayleigh scattering favours short wavelengths.", "Light crosses more air, so reds remain.", None],
     ["Yes.", None, "It turns orange and red.", "You're welcome \U0001F305"], False, []),
    (["Write a haiku about code."], ["Silent loops at night\nbugs sleep beneath the cursor\ntests turn green at dawn"], ["Code flows like water"], False, ["newlines"]),
    (["List three fruits."], ["1. Apple\n2. Banana\n3. Cherry"], ["- mango\n- kiwi\n- fig"], False, ["newlines"]),
    (["Give JSON for a person."], ["{\"name\": \"Ada\", \"born\": 1815}"], ["```json\n{\"name\": \"Alan\"}\n```"], False, ["code", "quotes_backslash"]),
    (["What is a regex for digits?"], ["\\d+ matches one or more digits."], ["[0-9]+"], False, ["quotes_backslash"]),
    (["Paths on Windows?"], ["C:\\Users\\me\\file.txt"], ["Use / or \\\\ as separator."], True, ["quotes_backslash"]),
    (["Caf\u00e9 or cafe?"], ["Caf\u00e9, with an acute accent."], ["Both are fine; caf\u00e9 is French."], False, ["non_latin"]),
    ([None], ["I received an empty prompt."], ["Could you say more?"], False, ["null_prompt"]),
    ([CODE_PROMPT], [CODE_ANSWER], [CODE_OTHER], True, ["code", "quotes_backslash", "newlines"]),
    (["Best sorting algorithm?"], ["It depends: quicksort on average, mergesort for stability."], ["Timsort, as Python uses."], False, ["short"]),
    (["Emoji only"], ["\U0001F389\U0001F38A"], ["\U0001F44B"], False, []),
    (["Why is the ocean salty?"], ["Rivers carry dissolved minerals to the sea; water evaporates, salt stays."], ["Because of dissolved salts."], False, ["short"]),
    (["Say goodbye"], ["Goodbye!"], ["Bye \U0001F44B see you/soon"], True, []),
]
LONG_CHARS = 12_000  # a row whose fields' text together pass this many characters runs past 2048 tokens


def field(turns, slash=False):
    "A field as Kaggle stores it: JSON with ASCII escapes; `slash` escapes `/` as `\\/` like some of the real fields."
    text = json.dumps(turns, ensure_ascii=True)
    return text.replace("/", "\\/") if slash else text


def ids(n, seed):
    "Distinct, non-sequential 7-digit ids."
    return random.Random(seed).sample(range(1_000_000, 9_999_999), n)


def test_rows():
    return [dict(id=i, prompt=field(p, s), response_a=field(a, s), response_b=field(b, s)) for i, (p, a, b, s, _) in zip(ids(len(ROWS), 0), ROWS)]


def quirks_of(row, given):
    "The quirk names of one written row: the hand-given ones and those read off its fields."
    turns = {c: json.loads(row[c]) for c in TEXT_COLUMNS}
    found = set(given)
    if any("\\/" in row[c] for c in TEXT_COLUMNS): found.add("slash_escape")
    if any(re.search(r"\\ud83[c-e]\\ud[c-f][0-9a-f]{2}", row[c]) for c in TEXT_COLUMNS): found.add("emoji")
    if any(None in t for t in turns.values()): found.add("null_item")
    if any(t == [] for t in turns.values()): found.add("empty_list")
    if len(turns["prompt"]) >= 2: found.add("multi_turn")
    if row["response_a"] == row["response_b"]: found.add("identical")
    if sum(len(s or "") for t in turns.values() for s in t) > LONG_CHARS: found.add("long")
    return found


QUIRKS = {}
for _row, (*_, _names) in zip(test_rows(), ROWS):
    for _n in sorted(quirks_of(_row, _names)): QUIRKS.setdefault(_n, []).append(_row["id"])

# ------------------------------------------------------------------------------------------------ train rows
MODELS = ["nimbus-7b-chat", "corvid-70b-instruct", "quill-2.1", "halcyon-pro", "larkspur-13b-v1.5", "orrery-34b-chat"]


def train_rows():
    rng, out = random.Random(1), []
    for k, (i, r) in enumerate(zip(ids(24, 1), test_rows()[:24])):
        win = [0, 0, 0]; win[rng.randrange(3) if k >= 3 else k] = 1
        a, b = rng.sample(MODELS, 2)
        out.append(dict(id=i, model_a=a, model_b=b, prompt=r["prompt"], response_a=r["response_a"], response_b=r["response_b"],
                        winner_model_a=win[0], winner_model_b=win[1], winner_tie=win[2]))
    return out

# ------------------------------------------------------------------------------------------------ malformed rows
MALFORMED = {
    5100001: ("prompt", "a bare string, not a list"),
    5100002: ("response_a", "a truncated list"),
    5100003: ("response_b", "a list holding a number"),
    5100004: ("prompt", "a nested list"),
    5100005: ("response_a", "a Python expression that must never run"),
    5100006: ("response_b", "a call inside a list that must never run"),
    5100007: ("prompt", "an empty cell"),
    5100008: ("response_a", "the word None"),
    5100009: ("response_b", "a JSON true"),
}
MALFORMED_FIELDS = {
    5100001: '"hello"', 5100002: '["abc", "de', 5100003: '["a", 3]', 5100004: '[["nested"]]',
    5100005: "__import__('os').system('echo pwned > x')", 5100006: "[open('x', 'w').write('pwned')]",
    5100007: "", 5100008: "None", 5100009: '["ok", true]',
}


def malformed_rows():
    good = test_rows()[:3]
    bad = []
    for i, (col, _) in MALFORMED.items():
        row = dict(id=i, prompt=field(["fine prompt"]), response_a=field(["fine a"]), response_b=field(["fine b"]))
        row[col] = MALFORMED_FIELDS[i]
        bad.append(row)
    return good[:2] + bad + good[2:]

# ------------------------------------------------------------------------------------------------ writing, checking
def write(rows, columns, path):
    "Write like pandas' to_csv: a header, minimal quoting, '\\n' line ends."
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, columns, lineterminator="\n")
        w.writeheader(); w.writerows(rows)


def _lone_surrogates(s):
    "How many surrogate code units in `s` are not part of a high + low pair."
    n, i = 0, 0
    while i < len(s):
        if "\ud800" <= s[i] <= "\udbff" and i + 1 < len(s) and "\udc00" <= s[i + 1] <= "\udfff": i += 2; continue
        n += "\ud800" <= s[i] <= "\udfff"; i += 1
    return n


def _literal_list(text):
    "True if `text` is a list display of string literals and `null` only: safe to `eval`."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `\/` is an invalid escape sequence to Python
        tree = ast.parse(text, mode="eval").body
    return isinstance(tree, ast.List) and all(isinstance(e, ast.Constant) and isinstance(e.value, str) or
                                              isinstance(e, ast.Name) and e.id == "null" for e in tree.elts)


def check():
    "Read the files back with pandas and check what the docstring promises; raise AssertionError if not."
    import pandas as pd
    read = lambda name: pd.read_csv(HERE / f"sample_{name}.csv", dtype=object, keep_default_na=False, na_values=[""])
    test, train, mal = read("test"), read("train"), read("malformed")
    assert len(test) == 40 and len(train) == 24 and list(test.columns) == TEST_COLUMNS and list(train.columns) == TRAIN_COLUMNS
    assert (HERE / "sample_test.csv").stat().st_size < 150_000
    lone = 0
    for df in [test, train]:
        assert df["id"].is_unique and all(6 <= len(i) <= 8 for i in df["id"])
        for col in TEXT_COLUMNS:
            for raw in df[col]:
                assert raw.isascii() and isinstance(json.loads(raw), list) and _literal_list(raw), raw[:80]
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # `\/` is an invalid escape sequence to Python
                    turns = eval(raw, {"null": ""})
                assert isinstance(turns, list) and all(isinstance(t, str) for t in turns)
                if df is test: lone += sum(map(_lone_surrogates, turns))
    assert lone == 1, f"{lone} lone surrogates in the test file, not 1"
    assert (train[["winner_model_a", "winner_model_b", "winner_tie"]].astype(int).sum(axis=1) == 1).all()
    slashed = sum("\\/" in v for c in TEXT_COLUMNS for v in test[c]) / (3 * len(test))
    assert 0.08 <= slashed <= 0.15, slashed
    for name in ["lone_surrogate", "long", "identical", "empty_list", "null_item", "non_latin", "emoji", "slash_escape", "multi_turn"]:
        assert QUIRKS.get(name), name
    assert len(QUIRKS["long"]) >= 3 and len(QUIRKS["identical"]) == 2 and len(QUIRKS["lone_surrogate"]) == 1
    assert max(len(json.loads(test.set_index("id").loc[str(i), "prompt"])) for i in QUIRKS["multi_turn"]) == 4
    by_id = mal.set_index(mal["id"].astype(int))
    for i, (col, _) in MALFORMED.items():
        v = by_id.loc[i, col]
        assert (v != v) if MALFORMED_FIELDS[i] == "" else v == MALFORMED_FIELDS[i], (i, col)
        for c in TEXT_COLUMNS:
            if c != col: assert _literal_list(by_id.loc[i, c])
    return dict(test=len(test), train=len(train), malformed=len(mal), slash_fraction=round(slashed, 3))


if __name__ == "__main__":
    write(test_rows(), TEST_COLUMNS, HERE / "sample_test.csv")
    write(train_rows(), TRAIN_COLUMNS, HERE / "sample_train.csv")
    write(malformed_rows(), TEST_COLUMNS, HERE / "sample_malformed.csv")
    print(check())
