"""How the bundled sample files were made: `python -m gemma_arena.samples.make_samples` rewrites them, identically.

The rows are written by us (not copied from Kaggle) in the competition's schema and encoding: each text field is a
JSON list of turns as Kaggle's CSVs have them, non-ASCII as `\\uXXXX` escapes, emoji as escaped surrogate pairs,
and `/` escaped as `\\/` in some fields (about 11% of real fields contain `\\/`). They cover the data's quirks, listed
in `QUIRKS` (test file) and `MALFORMED` (malformed file: which id is broken in which column, and how).
"""
import csv, json, random
from pathlib import Path

HERE = Path(__file__).parent
TEST_COLUMNS = ["id", "prompt", "response_a", "response_b"]
TRAIN_COLUMNS = ["id", "model_a", "model_b", "prompt", "response_a", "response_b", "winner_model_a", "winner_model_b", "winner_tie"]

SENTENCES = [
    "The committee reviewed the proposal and asked for a clearer budget.",
    "Rivers carry sediment downstream, slowly reshaping the valley floor.",
    "A good unit test fails for exactly one reason and says which.",
    "In the spring the orchard smells of blossom and wet earth.",
    "Compound interest rewards patience more than cleverness.",
    "The parser reads tokens one at a time and builds a tree.",
    "Most bridges are designed for loads far above what they carry.",
    "She kept a notebook of every bird she heard before dawn.",
]


def long_text(seed, n_sentences):
    "Deterministic varied prose, long enough to pass 2048 tokens."
    rng = random.Random(seed)
    return " ".join(f"{rng.choice(SENTENCES)} (point {i})" for i in range(n_sentences))


def field(turns, slash=False):
    "A field as Kaggle stores it: JSON with ASCII escapes; `slash` escapes `/` as `\\/` like the real files do."
    text = json.dumps(turns, ensure_ascii=True)
    return text.replace("/", "\\/") if slash else text


# (prompt turns, response_a turns, response_b turns, slash-escaped, quirk names)
ROWS = [
    (["What is the capital of France?"], ["The capital of France is Paris."], ["Paris."], False, ["short"]),
    (["Explain recursion briefly.", "Now give an example in Python."],
     ["Recursion is when a function calls itself.", "def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)"],
     ["A function that solves a problem by solving smaller copies of it.", "See the factorial: `fact(5) == 120`."],
     False, ["multi_turn", "code"]),
    (["Hi", "Are you there?"], ["Hello! How can I help?", None], ["Hi there!", "Yes, I'm here."], False, ["null_item", "multi_turn"]),
    (["Tell me a joke."], [None], ["Why did the scarecrow win an award? He was outstanding in his field."], False, ["null_response"]),
    (["Say nothing."], [""], ["..."], False, ["empty_string"]),
    (["Reply with an empty list."], [], ["[]"], False, ["empty_list"]),
    (["What does and/or mean?"], ["\"and/or\" means either or both."], ["It is a legal shorthand: A and/or B."], True, ["slash_escape"]),
    (["Give me the URL of the Python docs."], ["https://docs.python.org/3/"], ["Visit https://www.python.org/doc/ for docs."], True, ["slash_escape"]),
    (["Send me a smiley"], ["Here you go: \U0001F600"], ["\U0001F44D\U0001F3FD Done!"], False, ["emoji"]),
    (["Rate this: \U0001F680 to the moon"], ["\U0001F680\U0001F319 Nice!"], ["5/5 \u2b50\u2b50\u2b50\u2b50\u2b50"], True, ["emoji", "slash_escape"]),
    (["\u4f60\u597d\uff0c\u4f60\u662f\u8c01\uff1f"], ["\u6211\u662f\u4e00\u4e2a\u4eba\u5de5\u667a\u80fd\u52a9\u624b\u3002"], ["\u4f60\u597d\uff01\u6211\u662f\u804a\u5929\u673a\u5668\u4eba\u3002"], False, ["non_latin"]),
    (["\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430?"], ["\u0425\u043e\u0440\u043e\u0448\u043e, \u0441\u043f\u0430\u0441\u0438\u0431\u043e!"], ["\u0412\u0441\u0451 \u043e\u0442\u043b\u0438\u0447\u043d\u043e."], False, ["non_latin"]),
    (["\u0645\u0627 \u0647\u064a \u0639\u0627\u0635\u0645\u0629 \u0645\u0635\u0631\u061f"], ["\u0627\u0644\u0642\u0627\u0647\u0631\u0629."], ["\u0639\u0627\u0635\u0645\u0629 \u0645\u0635\u0631 \u0647\u064a \u0627\u0644\u0642\u0627\u0647\u0631\u0629."], False, ["non_latin"]),
    (["\u0928\u092e\u0938\u094d\u0924\u0947, \u0906\u092a \u0915\u0948\u0938\u0947 \u0939\u0948\u0902?"], ["\u092e\u0948\u0902 \u0920\u0940\u0915 \u0939\u0942\u0901\u0964"], ["\u0928\u092e\u0938\u094d\u0924\u0947!"], False, ["non_latin"]),
    (["\u65e5\u672c\u306e\u9996\u90fd\u306f\u3069\u3053\u3067\u3059\u304b\uff1f"], ["\u6771\u4eac\u3067\u3059\u3002"], ["\u65e5\u672c\u306e\u9996\u90fd\u306f\u6771\u4eac\u3067\u3059\u3002\U0001F5FC"], False, ["non_latin", "emoji"]),
    (["Write a long essay about rivers."], [long_text(1, 260)], ["Rivers are important."], False, ["long"]),
    (["Summarise the history of bridges in detail."], ["Bridges began as logs."], [long_text(2, 300)], True, ["long", "slash_escape"]),
    (["Tell me everything about orchards.", "More, please."], [long_text(3, 150), long_text(4, 150)], [long_text(5, 120)], False, ["long", "multi_turn"]),
    (["Repeat after me: hello"], ["hello"], ["hello"], False, ["identical"]),
    (["Which is larger, 2 or 3?"], ["3 is larger than 2."], ["3 is larger than 2."], False, ["identical"]),
    (["Quote this: \"to be\" \\ or not"], ["He said \"to be\" \\ or not."], ["'to be' or not"], False, ["quotes_backslash"]),
    (["Tab\tseparated\tvalues?"], ["Yes:\ta\tb\tc"], ["Use csv.reader(f, delimiter='\\t')"], False, ["quotes_backslash", "code"]),
    (["broken emoji"], ["cut in half: \ud83d end"], ["fine \U0001F600"], False, ["lone_surrogate", "emoji"]),
    (["2+2?"], ["4"], ["Four."], False, ["short"]),
    (["Name a prime."], ["7"], ["2 is the only even prime."], False, ["short"]),
    (["Translate 'cat' to Spanish."], ["gato"], ["El gato."], False, ["short"]),
    (["What's 10% of 250?"], ["25"], ["10% of 250 is 25 (250 / 10)."], True, ["slash_escape"]),
    (["Is the sky blue?", "Why?"], ["Usually, yes.", "Rayleigh scattering favours short wavelengths."], ["Yes.", None], False, ["multi_turn", "null_item"]),
    (["Write a haiku about code."], ["Silent loops at night\nbugs sleep beneath the cursor\ntests turn green at dawn"], ["Code flows like water"], False, ["newlines"]),
    (["List three fruits."], ["1. Apple\n2. Banana\n3. Cherry"], ["- mango\n- kiwi\n- fig"], False, ["newlines"]),
    (["Give JSON for a person."], ["{\"name\": \"Ada\", \"born\": 1815}"], ["```json\n{\"name\": \"Alan\"}\n```"], False, ["code", "quotes_backslash"]),
    (["What is a regex for digits?"], ["\\d+ matches one or more digits."], ["[0-9]+"], False, ["quotes_backslash"]),
    (["Paths on Windows?"], ["C:\\Users\\me\\file.txt"], ["Use / or \\\\ as separator."], True, ["quotes_backslash", "slash_escape"]),
    (["Caf\u00e9 or cafe?"], ["Caf\u00e9, with an acute accent."], ["Both are fine; caf\u00e9 is French."], False, ["non_latin"]),
    ([None], ["I received an empty prompt."], ["Could you say more?"], False, ["null_prompt"]),
    (["Count to five"], ["1 2 3 4 5"], ["one, two, three, four, five"], False, ["short"]),
    (["Best sorting algorithm?"], ["It depends: quicksort on average, mergesort for stability."], ["Timsort, as Python uses."], False, ["short"]),
    (["Emoji only"], ["\U0001F389\U0001F38A"], ["\U0001F44B"], False, ["emoji"]),
    (["Why is the ocean salty?"], ["Rivers carry dissolved minerals to the sea; water evaporates, salt stays."], ["Because of dissolved salts."], False, ["short"]),
    (["Say goodbye"], ["Goodbye!"], ["Bye \U0001F44B see you/soon"], True, ["emoji", "slash_escape"]),
]

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


def ids(n, seed):
    "Distinct, non-sequential 7-digit ids."
    return random.Random(seed).sample(range(1_000_000, 9_999_999), n)


def test_rows():
    return [dict(id=i, prompt=field(p, s), response_a=field(a, s), response_b=field(b, s)) for i, (p, a, b, s, _) in zip(ids(len(ROWS), 0), ROWS)]


QUIRKS = {}
for _id, (_p, _a, _b, _s, _names) in zip(ids(len(ROWS), 0), ROWS):
    for _n in _names: QUIRKS.setdefault(_n, []).append(_id)

MODELS = ["gpt-4-0613", "claude-2.1", "llama-2-70b-chat", "mixtral-8x7b-instruct", "gemini-pro", "vicuna-33b"]


def train_rows():
    rng, out = random.Random(1), []
    for k, r in enumerate(test_rows()[:24]):
        win = [0, 0, 0]; win[k % 3] = 1
        a, b = rng.sample(MODELS, 2)
        out.append(dict(id=r["id"] + 1, model_a=a, model_b=b, prompt=r["prompt"], response_a=r["response_a"], response_b=r["response_b"],
                        winner_model_a=win[0], winner_model_b=win[1], winner_tie=win[2]))
    return out


def malformed_rows():
    good = test_rows()[:3]
    bad = []
    for i, (col, _) in MALFORMED.items():
        row = dict(id=i, prompt=field(["fine prompt"]), response_a=field(["fine a"]), response_b=field(["fine b"]))
        row[col] = MALFORMED_FIELDS[i]
        bad.append(row)
    return good[:2] + bad + good[2:]


def write(rows, columns, path):
    "Write like pandas' to_csv: a header, minimal quoting, '\\n' line ends."
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, columns, lineterminator="\n")
        w.writeheader(); w.writerows(rows)


if __name__ == "__main__":
    write(test_rows(), TEST_COLUMNS, HERE / "sample_test.csv")
    write(train_rows(), TRAIN_COLUMNS, HERE / "sample_train.csv")
    write(malformed_rows(), TEST_COLUMNS, HERE / "sample_malformed.csv")
