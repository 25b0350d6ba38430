"""A verbatim transcription of the seed notebook's inference code (Kaggle: "Inference - Gemma-2 9b 4-bit QLoRA").

This is the *reference*, not gemma_arena: the tests and the benchmark compare gemma_arena against it. The seed's
cells are kept as they were, in the same order; the only changes are that its module-level globals (`cfg`, the
tokenizer, the two models and devices, the test table) are passed in as arguments, so that the same code runs on a
tiny CPU model in the tests and on one GPU in the benchmark. Lines marked `# seed:` are the seed's own words where a
parameter replaced a global. Nothing here is "fixed": it keeps the seed's `eval` and its positional TTA averaging.
"""
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from transformers.data.data_collator import pad_without_fast_tokenizer_warning


@dataclass
class Config:
    gemma_dir = '/kaggle/input/gemma-2/transformers/gemma-2-9b-it-4bit/1/gemma-2-9b-it-4bit'
    lora_dir = '/kaggle/input/73zap2gx/checkpoint-5748'
    max_length = 2048
    batch_size = 4
    device = torch.device("cuda")
    tta = False  # test time augmentation. <prompt>-<model-b's response>-<model-a's response>
    spread_max_length = False  # whether to apply max_length//3 on each input or max_length on the concatenated input


def process_text(text: str) -> str:
    return " ".join(eval(text, {"null": ""}))


def read_test(test: pd.DataFrame) -> pd.DataFrame:
    test = test.copy()  # seed: test = pd.read_csv('/kaggle/input/lmsys-chatbot-arena/test.csv')
    test.loc[:, 'prompt'] = test['prompt'].apply(process_text)
    test.loc[:, 'response_a'] = test['response_a'].apply(process_text)
    test.loc[:, 'response_b'] = test['response_b'].apply(process_text)
    return test


def tokenize(tokenizer, prompt, response_a, response_b, max_length, spread_max_length):
    # seed: max_length=cfg.max_length, spread_max_length=cfg.spread_max_length
    prompt = ["<prompt>: " + p for p in prompt]
    response_a = ["\n\n<response_a>: " + r_a for r_a in response_a]
    response_b = ["\n\n<response_b>: " + r_b for r_b in response_b]
    if spread_max_length:
        prompt = tokenizer(prompt, max_length=max_length//3, truncation=True, padding=False).input_ids
        response_a = tokenizer(response_a, max_length=max_length//3, truncation=True, padding=False).input_ids
        response_b = tokenizer(response_b, max_length=max_length//3, truncation=True, padding=False).input_ids
        input_ids = [p + r_a + r_b for p, r_a, r_b in zip(prompt, response_a, response_b)]
        attention_mask = [[1]* len(i) for i in input_ids]
    else:
        text = [p + r_a + r_b for p, r_a, r_b in zip(prompt, response_a, response_b)]
        tokenized = tokenizer(text, max_length=max_length, truncation=True, padding=False)
        input_ids = tokenized.input_ids
        attention_mask = tokenized.attention_mask
    return input_ids, attention_mask


def make_data(tokenizer, test, cfg):
    data = pd.DataFrame()
    data["id"] = test["id"]
    data["input_ids"], data["attention_mask"] = tokenize(tokenizer, test["prompt"], test["response_a"], test["response_b"], cfg.max_length, cfg.spread_max_length)
    data["length"] = data["input_ids"].apply(len)

    aug_data = pd.DataFrame()
    aug_data["id"] = test["id"]
    # swap response_a & response_b
    aug_data['input_ids'], aug_data['attention_mask'] = tokenize(tokenizer, test["prompt"], test["response_b"], test["response_a"], cfg.max_length, cfg.spread_max_length)
    aug_data["length"] = aug_data["input_ids"].apply(len)
    return data, aug_data


def make_inference(tokenizer, batch_size):
    # seed: a module-level function using the global `tokenizer` and `cfg.batch_size`
    @torch.no_grad()
    @torch.cuda.amp.autocast()
    def inference(df, model, device, batch_size=batch_size):
        a_win, b_win, tie = [], [], []

        for start_idx in range(0, len(df), batch_size):
            end_idx = min(start_idx + batch_size, len(df))
            tmp = df.iloc[start_idx:end_idx]
            input_ids = tmp["input_ids"].to_list()
            attention_mask = tmp["attention_mask"].to_list()
            inputs = pad_without_fast_tokenizer_warning(
                tokenizer,
                {"input_ids": input_ids, "attention_mask": attention_mask},
                padding="longest",
                pad_to_multiple_of=None,
                return_tensors="pt",
            )
            outputs = model(**inputs.to(device))
            proba = outputs.logits.softmax(-1).cpu()

            a_win.extend(proba[:, 0].tolist())
            b_win.extend(proba[:, 1].tolist())
            tie.extend(proba[:, 2].tolist())

        df["winner_model_a"] = a_win
        df["winner_model_b"] = b_win
        df["winner_tie"] = tie

        return df
    return inference


def run(test, tokenizer, models, devices, cfg):
    """The seed's run: `models`/`devices` are its (model_0, model_1)/(device_0, device_1); returns submission_df."""
    test = read_test(test)
    data, aug_data = make_data(tokenizer, test, cfg)
    inference = make_inference(tokenizer, cfg.batch_size)
    model_0, model_1 = models
    device_0, device_1 = devices

    st = time.time()

    # sort by input length to fully leverage dynaminc padding
    data = data.sort_values("length", ascending=False)
    # the total #tokens in sub_1 and sub_2 should be more or less the same
    sub_1 = data.iloc[0::2].copy()
    sub_2 = data.iloc[1::2].copy()

    with ThreadPoolExecutor(max_workers=2) as executor:
        results = executor.map(inference, (sub_1, sub_2), (model_0, model_1), (device_0, device_1))

    result_df = pd.concat(list(results), axis=0)
    proba = result_df[["winner_model_a", "winner_model_b", "winner_tie"]].values

    print(f"elapsed time: {time.time() - st}")

    st = time.time()

    if cfg.tta:
        data = aug_data.sort_values("length", ascending=False)  # sort by input length to boost speed
        sub_1 = data.iloc[0::2].copy()
        sub_2 = data.iloc[1::2].copy()

        with ThreadPoolExecutor(max_workers=2) as executor:
            results = executor.map(inference, (sub_1, sub_2), (model_0, model_1), (device_0, device_1))

        tta_result_df = pd.concat(list(results), axis=0)
        # recall TTA's order is flipped
        tta_proba = tta_result_df[["winner_model_b", "winner_model_a", "winner_tie"]].values
        # average original result and TTA result.
        proba = (proba + tta_proba) / 2

    print(f"elapsed time: {time.time() - st}")

    result_df.loc[:, "winner_model_a"] = proba[:, 0]
    result_df.loc[:, "winner_model_b"] = proba[:, 1]
    result_df.loc[:, "winner_tie"] = proba[:, 2]
    submission_df = result_df[["id", 'winner_model_a', 'winner_model_b', 'winner_tie']]
    return submission_df  # seed: submission_df.to_csv('submission.csv', index=False)


class Tokenizers2024:
    """The 2024 tokenizers (0.19) behaviour the seed ran with: a surrogate code unit was encoded as the lossy UTF-8
    decoding of its surrogate-pass bytes (three U+FFFD). Today's tokenizers raise instead, so the reference wraps the
    tokenizer to behave as the seed's did. Implemented independently of gemma_arena (by a codec, not a regex)."""
    def __init__(self, tok): self.tok = tok
    def __getattr__(self, name): return getattr(self.tok, name)
    def __call__(self, texts, **kw):
        fix = lambda t: t.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        return self.tok([fix(t) for t in texts], **kw)


def pandas2():
    """The seed ran on pandas 2, whose text columns were plain objects. pandas 3 infers Arrow strings, which refuse
    the surrogate code units that the seed's `eval` text holds; run the seed's code inside this context."""
    import warnings
    warnings.filterwarnings("ignore", message=".*future.infer_string.*")
    return pd.option_context("future.infer_string", False)
