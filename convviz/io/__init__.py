"""Reading and writing arrays, pictures and files (no Qt).

Import from the modules: ``arrays`` (inputs, kernels, maps), ``picture`` (grids as images),
``atomic`` (files that appear whole or not at all).
"""
