"""The tensorshell Jupyter kernel: ipykernel's IPythonKernel with the tensorshell extension.

``python -m tensorshell.kernel -f {connection_file}`` is what the kernelspec runs;
``tensorshell kernel install`` installs the spec.
"""
