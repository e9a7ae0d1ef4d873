#!/bin/bash
# The GPU checks in one run, from the repository root on a machine with CuPy and a GPU:
# environment, C extension, benchmarks/gpu.py, the gpu-marked tests (every registry op on
# the GPU against the CPU), then, time permitting, the engine, optimizer, data, Keras and
# training suites with the GPU as the default device. Logs and JUnit files go to $OUT
# (default ./gpu-check-out).
# Needs pytest there; pytest-xdist and pytest-timeout are used when present. Wheels in
# .whl/ (e.g. a pinned NumPy, for a machine without a registry) are installed first.
set -u
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
OUT=${OUT:-gpu-check-out}
mkdir -p "$OUT"
if ls .whl/*.whl > /dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl || exit 1
fi
export PYTHONPATH=/tmp/site:$PWD
{ nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.mem --format=csv
  python3 -c "import sys, numpy, cupy; print(sys.version.split()[0], 'numpy', numpy.__version__, 'cupy', cupy.__version__)"
  nproc; } 2>&1 | tee $OUT/env.txt
timeout 90 python3 setup.py -q build_ext --inplace > $OUT/build.txt 2>&1
python3 -c "import tensorshell.engine.speedups as s; print('C speedups:', s.C is not None, s.WHY_NOT)" | tee -a $OUT/env.txt
echo "== t=$SECONDS benchmarks/gpu.py"
timeout 100 python3 benchmarks/gpu.py 2>&1 | tee $OUT/bench.txt
XD=""; python3 -c "import xdist" 2>/dev/null && XD="-n 12"
TO=""; python3 -c "import pytest_timeout" 2>/dev/null && TO="--timeout 120"
DIRS="tests/engine tests/optimizers tests/train tests/data tests/keras tests/display"
echo "== t=$SECONDS gpu-marked tests"
timeout 300 python3 -m pytest -p no:cacheprovider -q -m gpu $XD $TO --tb=short -rf \
  --junitxml=$OUT/gpu.xml $DIRS > $OUT/gpu-tests.log 2>&1
echo "rc=$?"; grep -E "^FAILED|^ERROR" $OUT/gpu-tests.log | cut -c1-160 | head -60; tail -3 $OUT/gpu-tests.log
left=$((470 - SECONDS))
if [ $left -gt 60 ]; then
  echo "== t=$SECONDS unmarked tests, GPU as default device (${left}s)"
  timeout $left python3 -m pytest -p no:cacheprovider -q -m "not gpu" $XD $TO --tb=short -rf \
    --junitxml=$OUT/default-gpu.xml tests/engine tests/optimizers tests/data tests/keras \
    tests/train > $OUT/default-gpu.log 2>&1
  echo "rc=$?"; grep -E "^FAILED|^ERROR" $OUT/default-gpu.log | cut -c1-160 | head -40; tail -2 $OUT/default-gpu.log
fi
echo "== done t=$SECONDS"
