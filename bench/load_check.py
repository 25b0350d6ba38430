"""The replicas gemma_arena builds itself, against the ones transformers (with bitsandbytes) and PEFT build.

    python bench/load_check.py --workdir DIR [--only nf4|lora]

On the benchmark's weights (`e2e.prepare`: a random Gemma-2 9B saved in 4-bit NF4 by bitsandbytes, a seed-shaped
LoRA), on a GPU: each 4-bit weight as `nf4_dequantized` reads it against bitsandbytes' `dequantize_4bit` of the
layer `from_pretrained` built, to the bit; then the merged `fast` replica both ways (one per GPU when there are two),
every weight and buffer compared to the bit. Then the seed's unmerged replica as `load_model` builds it (the
checkpoint read by `nf4_unmerged`, the adapter in `model.LoraLinear`) against PEFT's wrapper of the bitsandbytes
model that `from_pretrained` builds: logits of padded batches of 4 under fp16 autocast, as the seed runs,
compared to the bit. Prints one JSON line per check.
"""
import argparse, json, sys, time
from pathlib import Path
import torch

sys.path.insert(0, str(Path(__file__).parent))
from e2e import prepare
from gemma_arena.model import (read_checkpoint, nf4_dequantized, dequantized, is_quantized, load_model,
                               loaded_by_transformers, decoder_and_head, autocast)


def weights_equal(bnb_model, tensors):
    "How many 4-bit layers there are, and the names of those whose weights differ."
    layers = {n: m for n, m in bnb_model.named_modules() if isinstance(m, torch.nn.Linear) and is_quantized(m)}
    return len(layers), [n for n, m in layers.items()
                         if not torch.equal(dequantized(m), nf4_dequantized(tensors, f"{n}.weight"))]


def models_equal(a, b):
    "Names of the weights and buffers that differ between two models (either device)."
    sa, sb = dict(a.state_dict()), dict(b.state_dict())
    sa.update(a.named_buffers()); sb.update(b.named_buffers())
    assert sa.keys() == sb.keys(), sa.keys() ^ sb.keys()
    return [k for k in sa if sa[k].dtype != sb[k].dtype or not torch.equal(sa[k].cpu(), sb[k].cpu())]


def check_nf4(base, lora):
    "The 4-bit weights and the merged replica, read by `nf4_merged` and through bitsandbytes."
    out = {}
    bnb = loaded_by_transformers(base, None, "cuda:0", "fp16", None, False, "flex_attention", False)
    out["layers"], out["weights_differing"] = weights_equal(bnb, read_checkpoint(base, "cuda:0"))
    del bnb; torch.cuda.empty_cache()
    second = "cuda:1" if torch.cuda.device_count() > 1 else "cuda:0"
    t = time.perf_counter()
    old = loaded_by_transformers(base, lora, "cuda:0", "fp16", None, True, "flex_attention", False)
    old.score.float(); torch.cuda.synchronize(); out["through_bitsandbytes_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    new = load_model(base, lora, second, "fp16", merge=True, attn="flex_attention")
    torch.cuda.synchronize(); out["read_itself_s"] = round(time.perf_counter() - t, 2)
    out["merged_differing"], out["tensors"] = models_equal(old, new), len(new.state_dict())
    return out


def seed_logits(model, batches):
    "The logits of each padded batch under fp16 autocast, as the seed computes them."
    with torch.no_grad(), autocast("cuda", "fp16"):
        return [model(input_ids=ids.cuda(), attention_mask=mask.cuda()).logits.float().cpu() for ids, mask in batches]


def check_lora(base, lora, seed=0):
    "The seed's replica with `LoraLinear` against PEFT's wrapper: logits of padded batches of 4."
    from peft import PeftModel
    g = torch.Generator().manual_seed(seed)
    lengths = [[2048, 1500, 900, 40], [600, 580, 500, 7]]
    batches = []
    for ls in lengths:
        ids = torch.randint(4, 50000, (len(ls), max(ls)), generator=g)
        mask = (torch.arange(max(ls))[None] < torch.tensor(ls)[:, None]).long()
        batches.append((ids * mask, mask))
    t = time.perf_counter()
    ours = load_model(base, lora, "cuda:0", "fp16")
    torch.cuda.synchronize(); out = {"lora_linear_load_s": round(time.perf_counter() - t, 2)}
    a = seed_logits(ours, batches); del ours; torch.cuda.empty_cache()
    t = time.perf_counter()
    theirs = PeftModel.from_pretrained(loaded_by_transformers(base, None, "cuda:0", "fp16", None, False, "eager",
                                                              False), str(lora)).eval()
    decoder_and_head(theirs)[1].float()
    torch.cuda.synchronize(); out["peft_load_s"] = round(time.perf_counter() - t, 2)
    b = seed_logits(theirs, batches)
    out["batches"], out["logits_identical"] = len(a), all(torch.equal(x, y) for x, y in zip(a, b))
    out["max_abs_diff"] = max((x - y).abs().max().item() for x, y in zip(a, b))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default="/tmp/ga-e2e")
    ap.add_argument("--only", choices=["nf4", "lora"])
    args = ap.parse_args()
    work = Path(args.workdir)
    _, base, lora, _ = prepare(work / "check", work, 10, False)
    for name, check in [("nf4", check_nf4), ("lora", check_lora)]:
        if args.only in (None, name): print(json.dumps(dict(check=name, **check(base, lora))), flush=True)


if __name__ == "__main__": main()
