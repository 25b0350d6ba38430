"""Write tokens2024_surrogates.json: for each bundled sample row whose seed text holds lone surrogates, the ids of its
whole seed text (`row_parts` joined) from today's tokenizers after `as_tokenizers_2024`. tests/test_stack2024.py checks
them against today's stack and, in the 2024 venv of .ci/stack2024, against tokenizers 0.19 itself."""
import json
from pathlib import Path
from gemma_arena.data import load_arena, sample_path, surrogates
from gemma_arena.tokens import gemma3_tokenizer, row_parts, as_tokenizers_2024


def surrogate_texts(sample):
    "{id: seed text} of the rows of a bundled sample whose text holds lone surrogates."
    df = load_arena(sample_path(sample))
    texts = {i: "".join(row_parts(*r)) for i, *r in zip(df["id"], df["prompt"], df["response_a"], df["response_b"])}
    return {str(i): t for i, t in texts.items() if surrogates.search(t)}


if __name__ == "__main__":
    tok = gemma3_tokenizer()
    ids = {s: {i: tok(as_tokenizers_2024(t)).input_ids for i, t in surrogate_texts(s).items()} for s in ["test", "train"]}
    (Path(__file__).parent / "tokens2024_surrogates.json").write_text(json.dumps(ids) + "\n")
