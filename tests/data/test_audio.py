"""ts.audio: 16-bit PCM WAV files as TensorFlow writes and reads them (bytes and samples
printed by TensorFlow 2.21, and compared live when it is installed)."""

import os

import numpy as np
import pytest

import tensorshell as ts

AUDIO = np.array([[0., 0.5], [-1., 1.], [0.25, -0.3], [1.5, -2.]], np.float32)
WAV = (b"RIFF4\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00\x80>\x00\x00\x00\xfa\x00"
       b"\x00\x04\x00\x10\x00data\x10\x00\x00\x00\x00\x00\x00@\x00\x80\xff\x7f\x00 \x9a\xd9"
       b"\xff\x7f\x00\x80")


def test_encode_wav_is_tensorflows():
    assert ts.audio.encode_wav(AUDIO, 16000).numpy() == WAV


def test_decode_wav():
    audio, rate = ts.audio.decode_wav(WAV)
    assert int(rate) == 16000 and audio.dtype is ts.float32
    assert audio.numpy().tolist() == [[0.0, 0.5], [-1.0, 0.999969482421875],
                                      [0.25, -0.29998779296875], [0.999969482421875, -1.0]]
    assert ts.audio.decode_wav(WAV, desired_channels=1)[0].shape == [4, 1]
    three = ts.audio.decode_wav(WAV, desired_channels=3)[0].numpy()
    np.testing.assert_array_equal(three[:, 2], three[:, 1])           # last one repeated
    padded = ts.audio.decode_wav(WAV, desired_samples=6)[0].numpy()
    assert padded.shape == (6, 2) and not padded[4:].any()
    assert ts.audio.decode_wav(WAV, desired_samples=2)[0].shape == [2, 2]
    with pytest.raises(ts.errors.InvalidArgumentError, match="too short"):
        ts.audio.decode_wav(b"RIFFxxxx")
    with pytest.raises(ts.errors.InvalidArgumentError, match="only 16-bit PCM"):
        ts.audio.decode_wav(WAV.replace(b"\x10\x00data", b"\x08\x00data"))
    with pytest.raises(ts.errors.InvalidArgumentError, match="float32 matrix"):
        ts.audio.encode_wav(np.zeros(3, np.float32), 8000)


@pytest.mark.tf_oracle
def test_against_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(0)
    for audio in (rng.uniform(-1.2, 1.2, (101, 3)).astype(np.float32),
                  np.zeros((0, 1), np.float32)):
        wav = tf.audio.encode_wav(audio, 22050).numpy()
        assert ts.audio.encode_wav(audio, 22050).numpy() == wav
        for kwargs in ({}, {"desired_channels": 1}, {"desired_samples": 200}):
            ours, theirs = ts.audio.decode_wav(wav, **kwargs), tf.audio.decode_wav(wav, **kwargs)
            np.testing.assert_array_equal(ours[0], theirs[0])
            assert int(ours[1]) == int(theirs[1])
