"""CTC by enumeration, for tiny inputs: every path of classes over the frames, collapsed
(repeats merged, blanks removed), its probability added to the labelling it spells. An
independent reference for ts.nn.ctc_loss and the decoders."""

import itertools

import numpy as np


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def collapse(path, blank):
    out, prev = [], None
    for k in path:
        if k != prev and k != blank:
            out.append(k)
        prev = k
    return tuple(out)


def labelling_probabilities(logits, blank):
    """``{labelling: probability}`` for one sequence's ``[frames, classes]`` logits."""
    p = _softmax(np.asarray(logits, np.float64))
    frames, classes = p.shape
    probs = {}
    for path in itertools.product(range(classes), repeat=frames):
        key = collapse(path, blank)
        probs[key] = probs.get(key, 0.0) + np.prod(p[np.arange(frames), path])
    return probs


def ctc_loss(labels, logits, label_length, logit_length, blank=0):
    """``[batch]`` losses for time-major ``[frames, batch, classes]`` logits."""
    logits = np.asarray(logits, np.float64)
    losses = []
    for b in range(logits.shape[1]):
        probs = labelling_probabilities(logits[:logit_length[b], b], blank)
        target = tuple(int(v) for v in labels[b][:label_length[b]])
        losses.append(-np.log(probs.get(target, 0.0)))
    return np.array(losses)
