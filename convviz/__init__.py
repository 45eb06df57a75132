"""convviz: see and teach convolution."""
