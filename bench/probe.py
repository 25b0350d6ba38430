"""Probe of the fast path on a random Gemma-2 9B built on the GPU: where its time goes and where precision is lost.

    python bench/probe.py --parts speed,int8,precision          # on a GPU (about 6 min on an H100)
    python bench/probe.py --tiny --parts speed,precision        # the same code on a tiny model, CPU, no compile

speed     ms per full 16k-token pack for `fast` (compiled layers, flex attention, fp16) and variants, against the
          time of its matrix products alone (the same 7 linears x 42 layers, eager, same shapes); a profile of one
          pack, by kernel kind.
int8      the weights as bitsandbytes LLM.int8 layers (the first design of `fast-8bit`, kept as the comparison for
          `gemma_arena.model.Int8Linear`): ms per pack, peak memory.
precision a fp32 model with fp32 weights (the reference) and, on the same rows one at a time, the same model with
          one rounding to fp16 added at a time by hooks (weights, linear inputs, linear outputs, the residual stream,
          RoPE's cos/sin, norm outputs), then the real fp16/bf16/int8 runs: max |dp| and the relative error of the
          last layer's hidden state.
Prints a table per part; writes probe.json under $OUT.
"""
import argparse, json, os, sys, time
from contextlib import contextmanager
from pathlib import Path

import numpy as np, torch
from torch import nn

sys.path.insert(0, str(Path(__file__).parent))
from bench import arena_rows, free, replaced, sync
import gemma_arena.packing as packing
from gemma_arena.model import gemma2_9b_config, decoder_and_head
from gemma_arena.testing import tiny_config, spread_score_head, random_classifier
from gemma_arena.packing import pack_rows, packed_logits, compile_layers

results, START, DEADLINE = {}, time.time(), 540  # seconds: skip what would not end inside one device call


def time_left(): return DEADLINE - (time.time() - START)


def median_ms(fn, reps=5):
    "Median milliseconds of `fn()` over `reps` runs after one warm-up."
    fn(); sync()
    times = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); sync(); times.append((time.perf_counter() - t) * 1000)
    return float(np.median(times))


def full_pack(rows, capacity):
    "The rows of the fullest pack of `rows` at `capacity`."
    return [rows[i] for i in pack_rows([len(r) for r in rows], capacity)[0]]


def fp16_model(ref, attn):
    "A fp16 copy of `ref` (weights rounded once), built in fp16 so that RoPE's inv_freq stays fp32."
    m = random_classifier(ref.config, torch.float16, ref.device.type).eval()
    m.load_state_dict(ref.state_dict())
    m.config._attn_implementation = attn
    return m


def forward_pack(model, seqs, capacity, dtype=torch.float16, kernel_options="library"):
    "Packed logits under autocast; `kernel_options` replaces the library's choice of flex tiles (None: torch's own)."
    tiles = {} if kernel_options == "library" else dict(flex_options=lambda device, dtype: kernel_options)
    with replaced(packing, **tiles), torch.autocast("cuda" if torch.cuda.is_available() else "cpu", dtype=dtype):
        return packed_logits(model, seqs, capacity)


def gemm_floor_ms(model, n):
    "Milliseconds of the decoder's linears alone on `n` tokens (fp16, eager): the matrix products' own time."
    layers = decoder_and_head(model)[0].layers
    x = torch.randn(n, model.config.hidden_size, dtype=torch.float16, device=model.device)
    mid = torch.randn(n, model.config.intermediate_size, dtype=torch.float16, device=model.device)
    att = torch.randn(n, model.config.num_attention_heads * model.config.head_dim, dtype=torch.float16, device=model.device)
    def run():
        for l in layers:
            a, m = l.self_attn, l.mlp
            a.q_proj(x); a.k_proj(x); a.v_proj(x); a.o_proj(att); m.gate_proj(x); m.up_proj(x); m.down_proj(mid)
    return median_ms(run)


def kernel_table(fn):
    "Device milliseconds of one `fn()` by kernel kind, from the profiler."
    from torch.profiler import profile, ProfilerActivity
    with profile(activities=[ProfilerActivity.CUDA]) as prof: fn(); sync()
    kinds = {}
    for e in prof.key_averages():
        name, t = e.key.lower(), e.self_device_time_total / 1000
        kind = ("gemm" if any(k in name for k in ("gemm", "nvjet", "xmma", "cutlass", "sm90")) else
                "flex attention" if "flex" in name or "tem_fused" in name else
                "fused elementwise (triton)" if name.startswith("triton") else "other")
        kinds[kind] = kinds.get(kind, 0) + t
    top = sorted(((e.self_device_time_total / 1000, e.key[:90]) for e in prof.key_averages()), reverse=True)[:12]
    return kinds, top


def part_speed(ref, rows, tiny):
    cap = 16384 if not tiny else 512
    packs = pack_rows([len(r) for r in rows], cap)
    longest, typical = [[rows[i] for i in packs[k]] for k in (0, len(packs) // 2)]
    model = fp16_model(ref, "flex_attention")
    out = dict(capacity=cap, typical_pack_tokens=sum(map(len, typical)), typical_pack_rows=len(typical))
    if not tiny and "gemm_floor_ms" in SPEED_ITEMS: out["gemm_floor_ms"] = gemm_floor_ms(model, cap)
    if tiny: out["eager_uncompiled_ms"] = median_ms(lambda: forward_pack(model, typical, cap), reps=2)
    else:
        compile_layers(model)
        torch._dynamo.config.recompile_limit = 64
        for name, ko in flex_options.items():
            if time_left() < 120: break
            try:
                for what, seqs in dict(typical=typical, longest=longest).items():
                    out[f"{name}_{what}_ms"] = median_ms(lambda: forward_pack(model, seqs, cap, kernel_options=ko))
            except Exception as e: out[name] = f"failed: {type(e).__name__}: {str(e)[:200]}"
            print(name, {k: round(v, 1) for k, v in out.items() if k.startswith(name) and isinstance(v, float)}, flush=True)
        if "profile" in SPEED_ITEMS: out["typical_kinds_ms"], _ = kernel_table(lambda: forward_pack(model, typical, cap))
    del model; free()
    results["speed"] = out
    print(json.dumps(out, indent=1, default=str), flush=True)


flex_options = dict(default=None,
                    m64_n64_s2_w4=dict(BLOCK_M=64, BLOCK_N=64, num_stages=2, num_warps=4),
                    m128_n64_s2_w8=dict(BLOCK_M=128, BLOCK_N=64, num_stages=2, num_warps=8),
                    m64_n64_s2_w8=dict(BLOCK_M=64, BLOCK_N=64, num_stages=2, num_warps=8),
                    m128_n32_s2_w8=dict(BLOCK_M=128, BLOCK_N=32, num_stages=2, num_warps=8),
                    m128_n64_s1_w8=dict(BLOCK_M=128, BLOCK_N=64, num_stages=1, num_warps=8),
                    m64_n32_s3_w4_tma=dict(BLOCK_M=64, BLOCK_N=32, num_stages=3, num_warps=4, USE_TMA=True))
SPEED_ITEMS = ("profile",)


def int8_copy(model, threshold=6.0):
    "`model` with every decoder linear replaced by a bitsandbytes LLM.int8 layer (in place)."
    import bitsandbytes as bnb
    dec = decoder_and_head(model)[0]
    for name, m in list(dec.named_modules()):
        if isinstance(m, nn.Linear):
            assert m.bias is None, name
            q = bnb.nn.Linear8bitLt(m.in_features, m.out_features, bias=False, has_fp16_weights=False, threshold=threshold, device="meta")
            CB, SCB, _ = bnb.functional.int8_vectorwise_quant(m.weight.data.half())
            q.weight = bnb.nn.Int8Params(CB, requires_grad=False, has_fp16_weights=False, CB=CB, SCB=SCB)
            dec.set_submodule(name, q)
    return model


def part_int8(ref, rows, tiny):
    cap = 16384 if not tiny else 512
    out = {}
    for threshold in (6.0, 0.0):
        if time_left() < 60: break
        model = int8_copy(fp16_model(ref, "flex_attention"), threshold); free()
        key = f"t{threshold:g}"
        out[key + "_weights_gib"] = torch.cuda.memory_allocated() / 2**30 - ref_gib if torch.cuda.is_available() else None
        for c in (cap, cap // 2) if not tiny and threshold else (cap,):  # on CPU flex compiles one length per process
            seqs = full_pack(rows, c)
            if torch.cuda.is_available(): torch.cuda.reset_peak_memory_stats()
            base = torch.cuda.memory_allocated() if torch.cuda.is_available() else 0
            out[f"{key}_eager_{c}_ms"] = median_ms(lambda: forward_pack(model, seqs, c), reps=2)
            out[f"{key}_eager_{c}_tok_s"] = sum(map(len, seqs)) / out[f"{key}_eager_{c}_ms"] * 1000
            if torch.cuda.is_available(): out[f"{key}_{c}_activation_peak_gib"] = (torch.cuda.max_memory_allocated() - base) / 2**30
        if not tiny and time_left() > 150:
            try:
                compile_layers(model); seqs = full_pack(rows, cap)
                out[f"{key}_compiled_{cap}_ms"] = median_ms(lambda: forward_pack(model, seqs, cap), reps=3)
                out[f"{key}_compiled_{cap}_tok_s"] = sum(map(len, seqs)) / out[f"{key}_compiled_{cap}_ms"] * 1000
            except Exception as e: out[f"{key}_compiled"] = f"failed: {type(e).__name__}: {str(e)[:300]}"
            torch._dynamo.reset()
        del model; free()
    results["int8"] = out
    print(json.dumps(out, indent=1, default=str), flush=True)


# --- precision: one rounding at a time, by hooks on the fp32 model -------------------------------------------------

def rounded(t): return t.half().float() if isinstance(t, torch.Tensor) and t.is_floating_point() else t

def round_output(mod, args, output):
    return tuple(rounded(o) for o in output) if isinstance(output, tuple) else rounded(output)

def round_inputs(mod, args): return tuple(rounded(a) for a in args)


@contextmanager
def rounding(model, where):
    "Hooks that round to fp16 the tensors named by `where` while the context is open."
    dec = decoder_and_head(model)[0]
    hooks = []
    for name, m in dec.named_modules():
        kind = type(m).__name__
        if "linear_in" in where and isinstance(m, nn.Linear): hooks.append(m.register_forward_pre_hook(round_inputs))
        if "linear_out" in where and isinstance(m, nn.Linear): hooks.append(m.register_forward_hook(round_output))
        if "residual" in where and (kind.endswith("DecoderLayer") or m is dec.embed_tokens): hooks.append(m.register_forward_hook(round_output))
        if "rope" in where and kind.endswith("RotaryEmbedding"): hooks.append(m.register_forward_hook(round_output))
        if "norm" in where and kind.endswith("RMSNorm"): hooks.append(m.register_forward_hook(round_output))
    try: yield
    finally:
        for h in hooks: h.remove()


@torch.no_grad()
def per_row(model, seqs, dtype=None):
    "Probabilities and last-token final hidden states (fp32) of each row, run alone (no padding)."
    dev = decoder_and_head(model)[0].embed_tokens.weight.device
    probs, hidden = [], []
    with torch.autocast(dev.type, dtype=dtype or torch.float32, enabled=dtype is not None):
        for s in seqs:
            out = model(torch.tensor([s], device=dev), output_hidden_states=True)
            probs.append(out.logits.float().softmax(-1)[0]); hidden.append(out.hidden_states[-1][0, -1].float())
    return torch.stack(probs).cpu().double().numpy(), torch.stack(hidden)


def part_precision(ref, rows, tiny):
    seqs = rows[:24] if not tiny else rows[:8]
    ref.config._attn_implementation = "eager"
    p_ref, h_ref = per_row(ref, seqs)
    out = {"rows": len(seqs), "tokens": sum(map(len, seqs))}
    def record(name, p, h):
        out[name] = dict(max_dp=float(np.abs(p - p_ref).max()), hidden_rel=float(((h - h_ref).norm(dim=-1) / h_ref.norm(dim=-1)).max()))
        print(f"{name:34s} max|dp| {out[name]['max_dp']:.2e}  hidden rel {out[name]['hidden_rel']:.2e}", flush=True)
    for where in (["linear_in"], ["linear_out"], ["residual"], ["rope"], ["norm"], ["linear_in", "linear_out", "residual", "rope", "norm"]):
        with rounding(ref, where): record("fp32 + fp16 " + "+".join(where), *per_row(ref, seqs))
    m16 = fp16_model(ref, "eager")
    record("fp16 weights, fp16 autocast, eager", *per_row(m16, seqs, torch.float16))
    record("fp16 weights, bf16 autocast, eager", *per_row(m16, seqs, torch.bfloat16))
    if torch.cuda.is_available():
        m16.config._attn_implementation = "flex_attention"
        p = forward_pack(m16, seqs, None).softmax(-1).double().cpu().numpy()
        out["fp16 flex packed (fast, per row)"] = dict(max_dp=float(np.abs(p - p_ref).max()))
        print(f"fp16 flex (fast): max|dp| {out['fp16 flex packed (fast, per row)']['max_dp']:.2e}", flush=True)
        del m16; free()
        m8 = int8_copy(fp16_model(ref, "eager")); free()
        record("int8 (LLM.int8, t=6) weights, fp16, eager", *per_row(m8, seqs, torch.float16))
        del m8; free()
    else: del m16
    with torch.no_grad():  # last: round the reference's own weights to fp16, compute in fp32
        for p in ref.parameters(): p.data = p.data.half().float()
    record("fp32 compute, weights rounded to fp16", *per_row(ref, seqs))
    results["precision"] = out


def main():
    global ref_gib
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default="precision,speed,int8")
    ap.add_argument("--tiny", action="store_true")
    args = ap.parse_args()
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    config = tiny_config(vocab_size=512) if args.tiny else gemma2_9b_config()
    rows = arena_rows(400 if not args.tiny else 64, 2048 if not args.tiny else 128, config.vocab_size)
    t = time.time(); torch.manual_seed(0)
    ref = random_classifier(config, torch.float32, dev).eval()
    spread_score_head(ref, rows[:24] if not args.tiny else rows[:8])
    ref_gib = torch.cuda.memory_allocated() / 2**30 if dev == "cuda" else 0
    print(f"fp32 model built in {time.time() - t:.0f} s; {torch.cuda.get_device_name() if dev == 'cuda' else 'cpu'}; torch {torch.__version__}", flush=True)
    for part in args.parts.split(","):
        t = time.time()
        globals()["part_" + part](ref, rows, args.tiny)
        print(f"part {part}: {time.time() - t:.0f} s", flush=True)
        if os.environ.get("OUT"): Path(os.environ["OUT"], "probe.json").write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
