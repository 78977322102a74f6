"""Our own int8 pass over an exported ONNX graph (numpy only; no onnxruntime quantizer here).

mode "qdq" (the DequantizeLinear variant, measured but not shipped: no faster than fp32 in onnxruntime-web):
  * every MatMul whose B input is a 2-D float initializer W [K, N] gets per-output-channel (axis 1) symmetric int8
    weights: DequantizeLinear(W_q int8, scale [N], zero_point int8 zeros [N], axis=1) -> MatMul.
  * every Gather whose data input is a 2-D float initializer (the word embedding table [V, E]) gets per-row int8:
    Gather(table_q, ids) -> Cast(float) -> Mul(Gather(scale [V, 1], ids)): only the rows used are dequantised
    (per-row DequantizeLinear of the whole table would dequantise V x E values on every call).
mode "integer" (shipped as model_quantized.onnx, ~2x faster than fp32): as above for the embedding, and MatMul -> DynamicQuantizeLinear(x) + MatMulInteger(x_q uint8,
  W_q int8, x_zp, 0) -> Cast -> Mul(x_scale * W_scale) (activations quantised per call).
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def _q_per_axis(w, axis):
    red = tuple(i for i in range(w.ndim) if i != axis)
    amax = np.abs(w).max(axis=red)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def quantize(src, dst, mode="qdq", min_elems=4096):
    m = onnx.load(src)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    new_nodes, drop = [], set()
    counter = [0]

    def uniq(base):
        counter[0] += 1
        return f"{base}__q{counter[0]}"

    for node in g.node:
        if node.op_type == "MatMul" and node.input[1] in inits:
            w = numpy_helper.to_array(inits[node.input[1]])
            if w.ndim == 2 and w.dtype == np.float32 and w.size >= min_elems:
                q, s = _q_per_axis(w, 1)
                base = node.input[1]
                qn, sn, zn = uniq(base + "_q"), uniq(base + "_scale"), uniq(base + "_zp")
                g.initializer.extend([numpy_helper.from_array(q, qn), numpy_helper.from_array(s, sn),
                                      numpy_helper.from_array(np.zeros(s.shape, np.int8), zn)])
                drop.add(base)
                if mode == "qdq":
                    dq = uniq(base + "_dq")
                    new_nodes.append(helper.make_node("DequantizeLinear", [qn, sn, zn], [dq], axis=1, name=uniq("DQ")))
                    node.input[1] = dq
                    new_nodes.append(node)
                else:
                    x = node.input[0]
                    xq, xs, xz = uniq("xq"), uniq("xs"), uniq("xz")
                    new_nodes.append(helper.make_node("DynamicQuantizeLinear", [x], [xq, xs, xz], name=uniq("DQL")))
                    acc = uniq("acc")
                    # MatMulInteger's b_zero_point: per-column zeros (int8)
                    new_nodes.append(helper.make_node("MatMulInteger", [xq, qn, xz, zn], [acc], name=uniq("MMI")))
                    accf = uniq("accf")
                    new_nodes.append(helper.make_node("Cast", [acc], [accf], to=TensorProto.FLOAT, name=uniq("Cast")))
                    sc = uniq("sc")
                    new_nodes.append(helper.make_node("Mul", [xs, sn], [sc], name=uniq("Mul")))
                    new_nodes.append(helper.make_node("Mul", [accf, sc], [node.output[0]], name=uniq("Mul")))
                continue
        if node.op_type == "Gather" and node.input[0] in inits:
            w = numpy_helper.to_array(inits[node.input[0]])
            if w.ndim == 2 and w.dtype == np.float32 and w.size >= min_elems:
                q, s = _q_per_axis(w, 0)
                base = node.input[0]
                qn, sn = uniq(base + "_q"), uniq(base + "_rowscale")
                g.initializer.extend([numpy_helper.from_array(q, qn), numpy_helper.from_array(s.reshape(-1, 1), sn)])
                drop.add(base)
                ids = node.input[1]
                gq, gf, gs = uniq("gq"), uniq("gf"), uniq("gs")
                new_nodes.append(helper.make_node("Gather", [qn, ids], [gq], axis=0, name=uniq("Gather")))
                new_nodes.append(helper.make_node("Cast", [gq], [gf], to=TensorProto.FLOAT, name=uniq("Cast")))
                new_nodes.append(helper.make_node("Gather", [sn, ids], [gs], axis=0, name=uniq("Gather")))
                new_nodes.append(helper.make_node("Mul", [gf, gs], [node.output[0]], name=uniq("Mul")))
                continue
        new_nodes.append(node)
    # drop float initializers no longer used
    used = {i for n in new_nodes for i in n.input}
    keep = [i for i in g.initializer if not (i.name in drop and i.name not in used)]
    del g.initializer[:]
    g.initializer.extend(keep)
    del g.node[:]
    g.node.extend(new_nodes)
    onnx.checker.check_model(m)
    onnx.save(m, dst)
