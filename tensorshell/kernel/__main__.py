"""``python -m tensorshell.kernel -f CONNECTION_FILE``: start the kernel."""

from ipykernel.kernelapp import IPKernelApp

from .kernel import TensorShellKernel

if __name__ == "__main__":
    IPKernelApp.launch_instance(kernel_class=TensorShellKernel)
