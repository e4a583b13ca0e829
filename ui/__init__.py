"""The Streamlit shell's shared parts: session state, cached loaders, sidebar, rendering.

Nothing here computes a figure: numbers come from ``valuelib``; this package only decides
which data is shown (sample, published, an earlier version or a private preview) and draws.
"""
