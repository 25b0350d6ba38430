"""gemma_arena against a verbatim transcription of the seed's code (tests/seed_recipe.py): the same tokens, and the
same probabilities on a tiny random model in fp32 (max |dp| <= 1e-5) for every combination of options."""
import itertools
import numpy as np, pandas as pd, pytest

import seed_recipe
from gemma_arena.data import load_arena, read_table, sample_path
from gemma_arena.tokens import encode
from gemma_arena.model import load_model
from gemma_arena.inference import Options, predict, prob_columns

SAMPLES = ["test", "train"]


def seed_ids(tok, raw, max_length, spread, swap=False):
    "Token ids from the seed's own `process_text` (eval) and `tokenize`, with the 2024 tokenizers' surrogate handling."
    with seed_recipe.pandas2():
        test = seed_recipe.read_test(raw)
        a, b = ("response_b", "response_a") if swap else ("response_a", "response_b")
        return seed_recipe.tokenize(seed_recipe.Tokenizers2024(tok), test["prompt"], test[a], test[b], max_length, spread)[0]


@pytest.mark.parametrize("sample,truncation,max_length,swap", itertools.product(SAMPLES, ["right", "spread"], [2048, 300], [False, True]))
def test_same_token_ids_as_seed(tok, sample, truncation, max_length, swap):
    raw = read_table(sample_path(sample))
    ours = encode(load_arena(raw), tok, max_length, truncation, swap=swap)
    theirs = seed_ids(tok, raw, max_length, truncation == "spread", swap)
    assert len(ours) == len(raw)
    for id_, o, t in zip(raw["id"], ours, theirs): assert o == t, f"row {id_}"


def test_samples_exercise_truncation(tok):
    lengths = [len(s) for s in encode(load_arena(sample_path()), tok, max_length=10**6)]
    assert max(lengths) > 2048 and min(lengths) < 100


def seed_probs(raw, tok, model, cfg):
    "The seed's run, with its TTA done right: the seed's code on the input and on the swapped input, averaged by id."
    cfg.tta = False
    with seed_recipe.pandas2():
        return seed_recipe.run(raw, seed_recipe.Tokenizers2024(tok), (model, model), ("cpu", "cpu"), cfg).set_index("id")


@pytest.fixture(scope="module")
def fp32_model(tiny): return load_model(*tiny)


@pytest.fixture(scope="module")
def raw(raw_test): return raw_test


def seed_reference(raw, tok, model, max_length, spread, tta):
    cfg = seed_recipe.Config(); cfg.max_length, cfg.spread_max_length = max_length, spread
    plain = seed_probs(raw, tok, model, cfg)
    if not tta: return plain.loc[raw["id"], prob_columns].to_numpy()
    swapped = seed_probs(raw.rename(columns=dict(response_a="response_b", response_b="response_a")), tok, model, cfg)
    return (plain.loc[raw["id"], prob_columns].to_numpy() + swapped.loc[raw["id"], ["winner_model_b", "winner_model_a", "winner_tie"]].to_numpy()) / 2


@pytest.mark.parametrize("truncation,tta", itertools.product(["right", "spread"], [False, True]))
def test_same_probabilities_as_seed(tok, fp32_model, raw, truncation, tta):
    max_length = 1024
    ref = seed_reference(raw, tok, fp32_model, max_length, truncation == "spread", tta)
    df = load_arena(raw)
    for batching, devices in itertools.product([dict(batch_size=4), dict(batch_size=None, token_budget=3000)], [["cpu"], ["cpu", "cpu"]]):
        opts = Options(max_length=max_length, truncation=truncation, tta=tta, **batching)
        got = predict(df, [fp32_model] * len(devices), devices, tok, opts, progress=False)
        assert list(got["id"]) == list(raw["id"])
        dp = np.abs(got[prob_columns].to_numpy() - ref).max()
        assert dp <= 1e-5, f"{batching} {devices}: max |dp| {dp:.2e}"
    assert np.abs(ref - 1 / 3).max() > 0.05, "probabilities nearly uniform: the comparison would say nothing"


def test_seed_split_is_reproduced(tok, fp32_model, raw):
    "With the seed's alternate split and fixed batches, every batch is the seed's: the probabilities agree to fp32 noise."
    ref = seed_reference(raw, tok, fp32_model, 1024, False, False)
    got = predict(load_arena(raw), [fp32_model] * 2, ["cpu", "cpu"], tok, Options(max_length=1024, split="alternate"), progress=False)
    assert np.abs(got[prob_columns].to_numpy() - ref).max() <= 1e-6


def test_seed_tta_misaligns_rows_we_do_not(tok, fp32_model, raw):
    """The seed averages TTA by position after two sorts. Where swapping the responses changes a row's token length
    (here every other response_a ends with a newline, which merges with the "\n\n" after it in one order only), and
    where many rows tie (the sample three times over), the two sorts differ and rows are averaged with other rows'
    predictions. We align by id."""
    import json
    raw = pd.concat([raw.assign(id=raw["id"] + str(k)) for k in range(3)], ignore_index=True)
    raw["response_a"] = pd.Series([json.dumps([" ".join(t or "" for t in json.loads(v)) + "\n" * (i % 2)]) for i, v in enumerate(raw["response_a"])], dtype=object)
    cfg = seed_recipe.Config(); cfg.max_length, cfg.tta = 1024, True
    with seed_recipe.pandas2(): seed_tta = seed_recipe.run(raw, seed_recipe.Tokenizers2024(tok), (fp32_model, fp32_model), ("cpu", "cpu"), cfg).set_index("id").loc[raw["id"], prob_columns].to_numpy()
    right = seed_reference(raw, tok, fp32_model, 1024, False, True)
    ours = predict(load_arena(raw), [fp32_model], ["cpu"], tok, Options(max_length=1024, tta=True), progress=False)[prob_columns].to_numpy()
    assert np.abs(ours - right).max() <= 1e-5
    assert np.abs(seed_tta - right).max() > 1e-2, "the seed's positional averaging should mix rows up here"
