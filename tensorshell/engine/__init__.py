"""The eager tensor engine: dtypes, devices, tensors, Variables and the op registry."""
